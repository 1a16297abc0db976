package io.lifecycle.stats;

import java.util.List;

/**
 * A log-likelihood over strictly positive natural parameters, the contract between a model and
 * {@link MaximumLikelihoodFitter}.
 *
 * <p>All model parameters here (shapes, scales) are positive, so the fitter works on their logarithms;
 * implementations only deal with natural parameters. Models with a closed-form gradient override
 * {@link #gradient}; the default is a central difference in log space, accurate to about 1e-10
 * relative, which is enough for the optimizer's convergence test and the observed information.
 */
public interface LogLikelihood {

  /** Step of the default central difference, in log-parameter units (about eps^(1/3)). */
  double LOG_STEP = 1e-5;

  /** Parameter names, in the order of the arrays passed to {@link #value}. */
  List<String> parameterNames();

  /** Total log-likelihood at natural parameters theta (all &gt; 0); may be -inf or NaN if undefined. */
  double value(double[] theta);

  /** True when {@link #gradient} is analytic (the fitter then differentiates it for the Hessian). */
  default boolean hasAnalyticGradient() {
    return false;
  }

  /** d value / d theta at natural parameters theta. */
  default double[] gradient(double[] theta) {
    double[] g = new double[theta.length];
    double[] p = theta.clone();
    for (int i = 0; i < theta.length; i++) {
      p[i] = theta[i] * Math.exp(LOG_STEP);
      double up = value(p);
      p[i] = theta[i] * Math.exp(-LOG_STEP);
      double down = value(p);
      p[i] = theta[i];
      g[i] = (up - down) / (2 * LOG_STEP * theta[i]);
    }
    return g;
  }

  /** Number of parameters. */
  default int dimension() {
    return parameterNames().size();
  }
}
