package io.lifecycle.stats;

import java.util.List;

/**
 * Pareto/NBD model (Schmittlein, Morrison &amp; Colombo 1987): while alive a customer buys as a Poisson
 * process with rate lambda ~ Gamma(r, alpha); the lifetime is exponential with rate mu ~ Gamma(s, beta).
 *
 * <p>Unlike BG/NBD, customers can drop out at any time, including before any repeat purchase. Immutable
 * parameter set with the closed forms of Fader &amp; Hardie's notes; {@link #fit} estimates it from
 * compressed (x, t_x, T) data. Time is in whatever unit the data use (alpha, beta carry it).
 *
 * @param r     shape of the purchase-rate distribution
 * @param alpha scale (time units) of the purchase-rate distribution
 * @param s     shape of the dropout-rate distribution
 * @param beta  scale (time units) of the dropout-rate distribution
 */
public record ParetoNbdModel(double r, double alpha, double s, double beta) implements java.io.Serializable {

  public ParetoNbdModel {
    for (double v : new double[] {r, alpha, s, beta}) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException("Pareto/NBD parameters must be positive and finite: r=" + r
            + " alpha=" + alpha + " s=" + s + " beta=" + beta);
      }
    }
  }

  /** Fits by maximum likelihood with default fitter options and starting values. */
  public static ModelFit<ParetoNbdModel> fit(RfmSummary data) {
    return fit(data, new MaximumLikelihoodFitter());
  }

  /**
   * Fits by maximum likelihood. Starts scale alpha by the mean purchase rate and beta by the mean
   * customer age, so they match the data's time unit. Above 5,000 rows the starts are searched on a
   * coarsened copy of the data and the result refined by BOBYQA on the exact rows (no analytic
   * gradient here, so this is several times slower than BG/NBD on the same data).
   */
  public static ModelFit<ParetoNbdModel> fit(RfmSummary data, MaximumLikelihoodFitter fitter) {
    double rate = data.meanRate();
    double meanAge = Math.max(data.meanAge(), 1e-9);
    if (!(rate > 0)) {
      rate = 1 / meanAge;
    }
    List<double[]> starts = List.of(
        new double[] {1.0, 1.0 / rate, 1.0, meanAge},
        new double[] {0.3, 0.3 / rate, 0.5, 0.5 * meanAge});
    MleResult mle = CoarseToFineFit.fit(data, ParetoNbdModel::likelihood, starts, fitter);
    double[] e = mle.estimates();
    ParetoNbdModel model = mle.hasEstimates() ? new ParetoNbdModel(e[0], e[1], e[2], e[3]) : null;
    return new ModelFit<>(model, mle);
  }

  /** The likelihood as an optimisation target (parameters r, alpha, s, beta). */
  public static LogLikelihood likelihood(RfmSummary data) {
    return new ParetoNbdLikelihood(data);
  }

  /** Total (weighted) log-likelihood of the data under this model. */
  public double logLikelihood(RfmSummary data) {
    return likelihood(data).value(toArray());
  }

  /** Log-likelihood of one customer. */
  public double logLikelihood(double x, double tx, double age) {
    return SpecialFunctions.logGamma(r + x) - SpecialFunctions.logGamma(r) + r * Math.log(alpha)
        + s * Math.log(beta) + ParetoNbdLikelihood.logBracket(r, alpha, s, beta, x, tx, age);
  }

  /** Parameters as {r, alpha, s, beta}. */
  public double[] toArray() {
    return new double[] {r, alpha, s, beta};
  }

  /**
   * P(alive at T | x, t_x, T) = 1 / (1 + s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A0) (Fader-Hardie
   * note, eq. 18). Below 1 even for x = 0: Pareto/NBD customers can leave before buying again.
   */
  public double probabilityAlive(double x, double tx, double age) {
    double logOdds = Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + age)
        + s * Math.log(beta + age) + ParetoNbdLikelihood.logA0(r, alpha, s, beta, x, tx, age);
    return Math.exp(-SpecialFunctions.logSumExp(0, logOdds));
  }

  /** E[X(t)] for a new customer: r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)]. */
  public double expectedPurchases(double t) {
    checkHorizon(t);
    return r / alpha * beta * lifetimeIntegral(Math.log1p(t / beta));
  }

  /**
   * E[Y(t) | x, t_x, T] = (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)]
   * P(alive | x, t_x, T) (Fader-Hardie note, eq. 20).
   */
  public double conditionalExpectedPurchases(double t, double x, double tx, double age) {
    checkHorizon(t);
    double perAlive = (r + x) / (alpha + age) * (beta + age) * lifetimeIntegral(Math.log1p(t / (beta + age)));
    return perAlive * probabilityAlive(x, tx, age);
  }

  /** [1 - exp(-(s-1) L)] / (s-1), written with expm1 so s = 1 (limit L) and s near 1 stay exact. */
  private double lifetimeIntegral(double logRatio) {
    double k = s - 1;
    if (k == 0) {
      return logRatio;
    }
    return -Math.expm1(-k * logRatio) / k;
  }

  private static void checkHorizon(double t) {
    if (!(t >= 0) || !Double.isFinite(t)) {
      throw new IllegalArgumentException("horizon must be >= 0 and finite: " + t);
    }
  }
}
