package io.lifecycle.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;
import org.apache.commons.math3.linear.NonSymmetricMatrixException;

/**
 * Parameter vectors drawn from a fit's asymptotic sampling distribution, for intervals on anything the
 * model predicts: the log-parameters are normal around the estimates with covariance the inverse
 * observed information in log space. That covariance is the natural parameters' one ({@link
 * MleResult#covariance}) divided by theta_i theta_j (at the optimum the gradient term of the chain rule
 * vanishes, so it is the inverse of the log-space Hessian); drawing in log space keeps every draw
 * positive and is where the likelihood is closest to quadratic. Seeded, so a rerun draws the same
 * parameters. Plain Java: a few hundred vectors of four numbers, made in the driver.
 */
public final class ParameterDraws {
  private ParameterDraws() {}

  /**
   * {@code n} parameter vectors (natural parameters) from the fit's asymptotic normal of the
   * log-parameters, or null when the fit has no usable covariance (not finite, not positive definite).
   */
  public static List<double[]> of(MleResult mle, int n, long seed) {
    double[] theta = mle.estimates();
    double[][] cov = mle.covariance();
    int k = theta.length;
    double[][] logCov = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        logCov[i][j] = cov[i][j] / (theta[i] * theta[j]);
        if (!Double.isFinite(logCov[i][j])) {
          return null;
        }
      }
    }
    double[][] l = cholesky(logCov);
    if (l == null) {
      return null;
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<double[]> draws = new ArrayList<>(n);
    double[] z = new double[k];
    for (int d = 0; d < n; d++) {
      for (int i = 0; i < k; i++) {
        z[i] = random.nextGaussian();
      }
      double[] draw = new double[k];
      for (int i = 0; i < k; i++) {
        double phi = Math.log(theta[i]);
        for (int j = 0; j <= i; j++) {
          phi += l[i][j] * z[j];
        }
        draw[i] = Math.exp(phi);
      }
      draws.add(draw);
    }
    return draws;
  }

  /** The lower-triangular L with L L^T = m, or null when m is not symmetric positive definite. */
  static double[][] cholesky(double[][] m) {
    try {
      return new CholeskyDecomposition(new Array2DRowRealMatrix(m, true), 1e-10, 1e-14).getL().getData();
    } catch (NonPositiveDefiniteMatrixException | NonSymmetricMatrixException e) {
      return null;
    }
  }

  /**
   * The {@code ps}-quantiles of {@code values} with linear interpolation between order statistics (R's
   * type 7, numpy's default, Spark's {@code percentile}): at rank 1 + p (n - 1). Sorts a copy; NaN for
   * no values.
   */
  public static double[] percentiles(double[] values, double... ps) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double[] out = new double[ps.length];
    for (int i = 0; i < ps.length; i++) {
      if (sorted.length == 0) {
        out[i] = Double.NaN;
        continue;
      }
      double h = ps[i] * (sorted.length - 1);
      int lo = (int) Math.floor(h);
      // At an order statistic exactly, no interpolation (an infinite neighbour would make it NaN).
      out[i] = h == lo ? sorted[lo] : sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
    }
    return out;
  }
}
