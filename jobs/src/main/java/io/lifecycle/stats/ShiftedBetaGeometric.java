package io.lifecycle.stats;

import java.util.List;

/**
 * Shifted-beta-geometric (sBG) model of contractual retention (Fader &amp; Hardie 2007, "How to Project
 * Customer Retention"): each customer churns at the end of every period with probability
 * theta ~ Beta(alpha, beta), so a cohort's retention rate rises over time as the churn-prone leave.
 *
 * <p>Fitted from a cohort's survivor counts (right-censored: the customers still alive at the end are
 * only known to have lasted at least that long); used to project survival beyond the observed periods.
 * Periods are integers t = 1, 2, ... (the first renewal opportunity is t = 1).
 *
 * @param alpha first shape of the churn-probability distribution
 * @param beta  second shape of the churn-probability distribution
 */
public record ShiftedBetaGeometric(double alpha, double beta) {

  static final List<String> NAMES = List.of("alpha", "beta");
  /** The fitter's starting points: homogeneous-ish and a heterogeneous, slowly churning population. */
  static final List<double[]> STARTS = List.of(new double[] {1.0, 1.0}, new double[] {0.5, 3.0});

  public ShiftedBetaGeometric {
    if (!(alpha > 0) || !(beta > 0) || !Double.isFinite(alpha) || !Double.isFinite(beta)) {
      throw new IllegalArgumentException("sBG parameters must be positive and finite: alpha=" + alpha + " beta=" + beta);
    }
  }

  /** Fits with default fitter options; see {@link #fit(double[], MaximumLikelihoodFitter)}. */
  public static ModelFit<ShiftedBetaGeometric> fit(double[] survivors) {
    return fit(survivors, new MaximumLikelihoodFitter());
  }

  /**
   * Maximum-likelihood fit from survivor counts: {@code survivors[0]} is the cohort size at t = 0 and
   * {@code survivors[t]} the number still active after t periods (non-increasing, at least two values).
   * Counts need not be integers (e.g. percentages of a cohort). The log-likelihood is
   * sum_t (n_{t-1} - n_t) ln P(T = t) + n_last ln S(last).
   */
  public static ModelFit<ShiftedBetaGeometric> fit(double[] survivors, MaximumLikelihoodFitter fitter) {
    MleResult mle = fitter.fit(likelihood(checked(survivors)), STARTS);
    double[] e = mle.estimates();
    ShiftedBetaGeometric model = mle.hasEstimates() ? new ShiftedBetaGeometric(e[0], e[1]) : null;
    return new ModelFit<>(model, mle);
  }

  /** A copy of survivor counts as {@link #fit} takes them, or an IllegalArgumentException saying why not. */
  static double[] checked(double[] survivors) {
    double[] n = survivors.clone();
    if (n.length < 2) {
      throw new IllegalArgumentException("need survivor counts for t = 0 and at least one later period");
    }
    for (int t = 0; t < n.length; t++) {
      if (!(n[t] >= 0) || !Double.isFinite(n[t]) || (t > 0 && n[t] > n[t - 1])) {
        throw new IllegalArgumentException("survivor counts must be finite, >= 0 and non-increasing: at t=" + t);
      }
    }
    if (!(n[0] > 0)) {
      throw new IllegalArgumentException("the cohort must not be empty");
    }
    return n;
  }

  /** The likelihood of survivor counts as an optimisation target (parameters alpha, beta). */
  public static LogLikelihood likelihood(double[] survivors) {
    double[] n = survivors.clone();
    return new LogLikelihood() {
      @Override
      public List<String> parameterNames() {
        return NAMES;
      }

      /**
       * By the recursion rather than Beta functions (a fit evaluates this hundreds of times, and the
       * pooled fits over every cohort): ln P(T = t) = ln S(t-1) + ln(alpha / (alpha + beta + t - 1)),
       * ln S(t) = ln S(t-1) + ln((beta + t - 1) / (alpha + beta + t - 1)).
       */
      @Override
      public double value(double[] theta) {
        double alpha = theta[0];
        double beta = theta[1];
        if (!(alpha > 0) || !(beta > 0) || !Double.isFinite(alpha) || !Double.isFinite(beta)) {
          return Double.NaN;
        }
        double ll = 0;
        double logSurvival = 0;
        for (int t = 1; t < n.length; t++) {
          double churned = n[t - 1] - n[t];
          double logTotal = Math.log(alpha + beta + t - 1);
          if (churned > 0) {
            ll += churned * (logSurvival + Math.log(alpha) - logTotal);
          }
          logSurvival += Math.log(beta + t - 1) - logTotal;
        }
        double last = n[n.length - 1];
        return last > 0 ? ll + last * logSurvival : ll;
      }
    };
  }

  /** P(T = t): probability that a new customer churns at period t &gt;= 1, B(alpha+1, beta+t-1)/B(alpha, beta). */
  public double churnProbability(int t) {
    return Math.exp(logChurnProbability(t));
  }

  /** S(t) = P(T &gt; t) = B(alpha, beta+t) / B(alpha, beta): fraction of the cohort still active after t periods. */
  public double survival(int t) {
    return Math.exp(logSurvival(t));
  }

  /** r(t) = S(t) / S(t-1) = (beta + t - 1) / (alpha + beta + t - 1), for t &gt;= 1: rises with t. */
  public double retentionRate(int t) {
    checkPeriod(t, 1);
    return (beta + t - 1) / (alpha + beta + t - 1);
  }

  /** S(0..horizon), e.g. to project a cohort beyond the observed periods. */
  public double[] survivalCurve(int horizon) {
    checkPeriod(horizon, 0);
    double[] s = new double[horizon + 1];
    s[0] = 1.0;
    for (int t = 1; t <= horizon; t++) {
      s[t] = s[t - 1] * retentionRate(t); // the recursion is exact and cheaper than Beta functions
    }
    return s;
  }

  double logChurnProbability(int t) {
    checkPeriod(t, 1);
    return SpecialFunctions.logBeta(alpha + 1, beta + t - 1) - SpecialFunctions.logBeta(alpha, beta);
  }

  double logSurvival(int t) {
    checkPeriod(t, 0);
    return SpecialFunctions.logBeta(alpha, beta + t) - SpecialFunctions.logBeta(alpha, beta);
  }

  private static void checkPeriod(int t, int min) {
    if (t < min) {
      throw new IllegalArgumentException("period must be >= " + min + ": " + t);
    }
  }
}
