package io.lifecycle.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An empirical-Bayes prior over the sBG parameters of a set of cohorts, so that a young cohort borrows
 * the shape of the older ones. A cohort with one or two periods after its first does not identify
 * (alpha, beta): any pair with the observed first-period churn alpha / (alpha + beta) fits, and the
 * maximum-likelihood fit lands on the extreme of heterogeneity (both shapes near 0: a flat curve).
 *
 * <p>The cohorts' (ln alpha, ln beta) are modelled as drawn from a normal distribution: its centre is the
 * pooled fit (the sum of every cohort's log-likelihood, censoring included, so young cohorts count for
 * what they have seen), its covariance the spread of the fits of the cohorts with at least
 * {@value #SPREAD_PERIODS} periods beyond the noise of each fit (method of moments: the covariance of
 * those fits around the centre minus the mean of their own sampling covariances, with each direction's
 * variance at least {@value #MIN_SPREAD} squared). A cohort's projection is then its posterior mode: its
 * own likelihood plus the prior. One observed period moves the curve's level (its first churn) and the
 * prior supplies the shape; a long history outweighs the prior; a cohort with no complete period after
 * its first is the centre itself.
 *
 * @param centre     the pooled fit
 * @param covariance between-cohort covariance of (ln alpha, ln beta)
 * @param cohorts    how many cohorts' fits estimated the covariance (0: fewer than {@value #MIN_COHORTS}
 *                   qualified, and the covariance is the default, {@value #DEFAULT_SPREAD} squared on
 *                   each parameter, uncorrelated)
 */
public record ShiftedBetaGeometricPrior(ShiftedBetaGeometric centre, double[][] covariance, int cohorts) {

  /** Periods after the first a cohort needs for its own fit to inform the spread. */
  public static final int SPREAD_PERIODS = 3;
  /** Fewer qualifying cohorts than this: the spread is not estimated but {@link #DEFAULT_SPREAD}. */
  public static final int MIN_COHORTS = 3;
  /** Smallest standard deviation of the prior in any direction (log units: a factor 1.1). */
  public static final double MIN_SPREAD = 0.1;
  /** Standard deviation of each log-parameter when the spread cannot be estimated (a factor 1.65). */
  public static final double DEFAULT_SPREAD = 0.5;

  public ShiftedBetaGeometricPrior {
    covariance = new double[][] {covariance[0].clone(), covariance[1].clone()};
    double det = covariance[0][0] * covariance[1][1] - covariance[0][1] * covariance[1][0];
    if (!(covariance[0][0] > 0) || !(det > 0) || covariance[0][1] != covariance[1][0]) {
      throw new IllegalArgumentException("the prior covariance must be symmetric positive definite: "
          + Arrays.deepToString(covariance));
    }
  }

  @Override
  public double[][] covariance() {
    return new double[][] {covariance[0].clone(), covariance[1].clone()};
  }

  @Override
  public String toString() {
    return "ShiftedBetaGeometricPrior[centre=" + centre + ", covariance=" + Arrays.deepToString(covariance)
        + ", cohorts=" + cohorts + "]";
  }

  /**
   * The prior from the cohorts' survivor counts (each as {@link ShiftedBetaGeometric#fit} takes them;
   * cohorts with no period after the first are ignored). Null when no cohort has two periods after its
   * first (the first period's churn says nothing of the shape), or the pooled fit does not converge:
   * there is nothing to borrow.
   */
  public static ShiftedBetaGeometricPrior estimate(List<double[]> survivors) {
    return estimate(survivors, new MaximumLikelihoodFitter());
  }

  /** {@link #estimate(List)} with the given fitter. */
  public static ShiftedBetaGeometricPrior estimate(List<double[]> survivors, MaximumLikelihoodFitter fitter) {
    List<LogLikelihood> parts = new ArrayList<>();
    boolean shape = false;
    for (double[] n : survivors) {
      if (n.length >= 2) {
        parts.add(ShiftedBetaGeometric.likelihood(ShiftedBetaGeometric.checked(n)));
        shape |= n.length >= 3;
      }
    }
    if (!shape) {
      return null;
    }
    MleResult pooled = fitter.fit(sum(parts), ShiftedBetaGeometric.STARTS);
    if (!pooled.converged() || !pooled.hasEstimates()) {
      return null;
    }
    double[] mu = {Math.log(pooled.estimates()[0]), Math.log(pooled.estimates()[1])};
    double[][] spread = new double[2][2];
    double[][] noise = new double[2][2];
    int k = 0;
    for (double[] n : survivors) {
      if (n.length < SPREAD_PERIODS + 1) {
        continue;
      }
      // Started from the pooled fit alone: the cohorts resemble it, and the prior is estimated again at
      // every run (and many times by the backtest), so one start instead of the default two.
      MleResult own = fitter.fit(ShiftedBetaGeometric.likelihood(n), List.of(pooled.estimates()));
      double[][] v = own.covariance();
      // A fit at the boundary is degenerate (its covariance meaningless): it tells nothing of the spread.
      if (!own.converged() || own.atBoundary() || !own.hasEstimates() || !Double.isFinite(v[0][0] + v[0][1] + v[1][1])) {
        continue;
      }
      double[] theta = own.estimates();
      double[] d = {Math.log(theta[0]) - mu[0], Math.log(theta[1]) - mu[1]};
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          spread[i][j] += d[i] * d[j];
          noise[i][j] += v[i][j] / (theta[i] * theta[j]); // to log units
        }
      }
      k++;
    }
    ShiftedBetaGeometric centre = new ShiftedBetaGeometric(pooled.estimates()[0], pooled.estimates()[1]);
    if (k < MIN_COHORTS) {
      double v = DEFAULT_SPREAD * DEFAULT_SPREAD;
      return new ShiftedBetaGeometricPrior(centre, new double[][] {{v, 0}, {0, v}}, 0);
    }
    double[][] between = new double[2][2];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        between[i][j] = spread[i][j] / (k - 1) - noise[i][j] / k;
      }
    }
    return new ShiftedBetaGeometricPrior(centre, floored(between, MIN_SPREAD * MIN_SPREAD), k);
  }

  /**
   * The cohort's posterior mode from its survivor counts (at least two values, as {@link
   * ShiftedBetaGeometric#fit} takes them), started from the centre. The result's log-likelihood is the
   * log-posterior (up to a constant), its standard errors the posterior's.
   */
  public ModelFit<ShiftedBetaGeometric> fit(double[] survivors) {
    return fit(survivors, new MaximumLikelihoodFitter());
  }

  /** {@link #fit(double[])} with the given fitter. */
  public ModelFit<ShiftedBetaGeometric> fit(double[] survivors, MaximumLikelihoodFitter fitter) {
    LogLikelihood data = ShiftedBetaGeometric.likelihood(ShiftedBetaGeometric.checked(survivors));
    double[][] precision = inverse(covariance);
    double[] mu = {Math.log(centre.alpha()), Math.log(centre.beta())};
    LogLikelihood posterior = new LogLikelihood() {
      @Override
      public List<String> parameterNames() {
        return ShiftedBetaGeometric.NAMES;
      }

      @Override
      public double value(double[] theta) {
        double[] d = {Math.log(theta[0]) - mu[0], Math.log(theta[1]) - mu[1]};
        double quadratic = d[0] * (precision[0][0] * d[0] + precision[0][1] * d[1])
            + d[1] * (precision[1][0] * d[0] + precision[1][1] * d[1]);
        return data.value(theta) - 0.5 * quadratic;
      }
    };
    MleResult mode = fitter.fit(posterior, List.of(new double[] {centre.alpha(), centre.beta()}));
    double[] e = mode.estimates();
    return new ModelFit<>(mode.hasEstimates() ? new ShiftedBetaGeometric(e[0], e[1]) : null, mode);
  }

  private static LogLikelihood sum(List<LogLikelihood> parts) {
    return new LogLikelihood() {
      @Override
      public List<String> parameterNames() {
        return ShiftedBetaGeometric.NAMES;
      }

      @Override
      public double value(double[] theta) {
        double total = 0;
        for (LogLikelihood p : parts) {
          total += p.value(theta);
        }
        return total;
      }
    };
  }

  /** The symmetric 2x2 matrix with its eigenvalues raised to at least {@code min}. */
  static double[][] floored(double[][] m, double min) {
    double a = m[0][0];
    double b = 0.5 * (m[0][1] + m[1][0]);
    double c = m[1][1];
    double half = Math.sqrt(0.25 * (a - c) * (a - c) + b * b);
    double l1 = 0.5 * (a + c) + half;
    double l2 = 0.5 * (a + c) - half;
    // Unit eigenvector of l1 (for a diagonal matrix, the axis of the larger entry).
    double x = half == 0 ? 1 : (Math.abs(b) > 0 ? b : (a >= c ? 1 : 0));
    double y = half == 0 ? 0 : (Math.abs(b) > 0 ? l1 - a : (a >= c ? 0 : 1));
    double norm = Math.hypot(x, y);
    x /= norm;
    y /= norm;
    double f1 = Math.max(l1, min);
    double f2 = Math.max(l2, min);
    // Q diag(f1, f2) Q' with Q = [[x, -y], [y, x]].
    return new double[][] {
        {f1 * x * x + f2 * y * y, (f1 - f2) * x * y},
        {(f1 - f2) * x * y, f1 * y * y + f2 * x * x}};
  }

  private static double[][] inverse(double[][] m) {
    double det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    return new double[][] {{m[1][1] / det, -m[0][1] / det}, {-m[1][0] / det, m[0][0] / det}};
  }
}
