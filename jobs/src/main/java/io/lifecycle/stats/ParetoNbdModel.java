package io.lifecycle.stats;

import io.lifecycle.tables.ClvModelsTable;
import java.util.List;
import org.apache.commons.math3.analysis.solvers.BrentSolver;

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
public record ParetoNbdModel(double r, double alpha, double s, double beta) implements PurchaseModel {

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
  @Override
  public double probabilityAlive(double x, double tx, double age) {
    double logOdds = Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + age)
        + s * Math.log(beta + age) + ParetoNbdLikelihood.logA0(r, alpha, s, beta, x, tx, age);
    return Math.exp(-SpecialFunctions.logSumExp(0, logOdds));
  }

  /** E[X(t)] for a new customer: r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)]. */
  @Override
  public double expectedPurchases(double t) {
    checkHorizon(t);
    return r / alpha * beta * lifetimeIntegral(Math.log1p(t / beta));
  }

  /**
   * E[Y(t) | x, t_x, T] = (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)]
   * P(alive | x, t_x, T) (Fader-Hardie note, eq. 20).
   */
  @Override
  public double conditionalExpectedPurchases(double t, double x, double tx, double age) {
    checkHorizon(t);
    return purchasesIfAlive(t, x, age) * probabilityAlive(x, tx, age);
  }

  @Override
  public double purchasesIfAlive(double t, double x, double age) {
    return (r + x) / (alpha + age) * (beta + age) * lifetimeIntegral(Math.log1p(t / (beta + age)));
  }

  @Override
  public String name() {
    return ClvModelsTable.PARETO_NBD;
  }

  /**
   * P(alive at T + t | x, t_x, T) = P(alive at T) ((beta+T)/(beta+T+t))^s: given alive at T the dropout
   * rate is Gamma(s, beta+T).
   */
  @Override
  public double probabilityAliveAfter(double t, double x, double tx, double age) {
    checkHorizon(t);
    return probabilityAlive(x, tx, age) * Math.exp(-s * Math.log1p(t / (beta + age)));
  }

  /**
   * P(no purchase in (T, T+t] | x, t_x, T) = 1 - P(alive) + P(alive) Q(t), Q(t) = P(none | alive)
   * (Fader-Hardie note on the Pareto/NBD conditional PMF, x* = 0). Given alive, lambda ~ Gamma(r+x, A)
   * and mu ~ Gamma(s, B) (A = alpha+T, B = beta+T); no purchase means alive at T+t without one, or
   * dropout at T+u before one: Q(t) = (A/(A+t))^(r+x) (B/(B+t))^s + s A^(r+x) B^s integral_0^t
   * (A+u)^-(r+x) (B+u)^-(s+1) du, and the integral is the likelihood's A0 over (T, T+t] / (r+s+x).
   */
  @Override
  public double probabilityNoPurchase(double t, double x, double tx, double age) {
    checkHorizon(t);
    double alive = probabilityAlive(x, tx, age);
    double stillAlive = -(r + x) * Math.log1p(t / (alpha + age)) - s * Math.log1p(t / (beta + age));
    double droppedOut = logDropoutFront(x, age) + ParetoNbdLikelihood.logA0(r, alpha, s, beta, x, age, age + t);
    return 1 - alive + alive * Math.exp(SpecialFunctions.logSumExp(stillAlive, droppedOut));
  }

  /**
   * Median of the time to the next purchase: the t where {@link #probabilityNoPurchase} is 1/2 (Brent's
   * method). NaN when the probability of never buying again, 1 - P(alive) + P(alive) Q(infinity), is at
   * least 1/2; Q(infinity) = s A^(r+x) B^s / (r+s+x) A0-term(T), the integral to infinity.
   */
  @Override
  public double medianTimeToPurchase(double x, double tx, double age) {
    double alive = probabilityAlive(x, tx, age);
    double never = Math.exp(logDropoutFront(x, age) + ParetoNbdLikelihood.logA0Term(r, alpha, s, beta, x, age));
    if (!(1 - alive + alive * never < 0.5)) {
      return Double.NaN;
    }
    double hi = alpha + age;
    while (probabilityNoPurchase(hi, x, tx, age) >= 0.5) {
      hi *= 2; // ends: the probability tends to a limit below 1/2
    }
    return new BrentSolver(1e-10, 1e-12).solve(200, t -> probabilityNoPurchase(t, x, tx, age) - 0.5, 0, hi);
  }

  /**
   * DERT (Fader, Hardie &amp; Lee 2005, "RFM and CLV", eq. 2): expected purchases after T discounted
   * continuously at rate delta per time unit, P(alive) (r+x)/(alpha+T) E[1/(delta + mu)] with mu ~
   * Gamma(s, beta+T), = P(alive) (r+x)/((alpha+T) delta) y^s U(s, s, y), y = delta (beta+T). This is
   * DERT / P(alive).
   */
  @Override
  public double residualPurchasesIfAlive(double delta, double x, double age) {
    if (!(delta > 0) || !Double.isFinite(delta)) {
      throw new IllegalArgumentException("discount rate must be positive and finite: " + delta);
    }
    return (r + x) / ((alpha + age) * delta) * SpecialFunctions.tricomiUScaled(s, delta * (beta + age));
  }

  /**
   * P(X(t) = n) for a new customer: the NBD count over the lifetime if it exceeds t, or over (0, u] for
   * a dropout at u: NBD(n; t) (beta/(beta+t))^s + integral_0^t NBD(n; u) s beta^s (beta+u)^-(s+1) du,
   * NBD(n; u) = Gamma(r+n)/(Gamma(r) n!) (alpha/(alpha+u))^r (u/(alpha+u))^n; the integral numerically.
   */
  @Override
  public double probabilityOfPurchases(double t, int n) {
    checkHorizon(t);
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0: " + n);
    }
    if (t == 0) {
      return n == 0 ? 1.0 : 0.0;
    }
    double front = SpecialFunctions.logGamma(r + n) - SpecialFunctions.logGamma(r) - SpecialFunctions.logGamma(n + 1.0);
    java.util.function.DoubleUnaryOperator logNbd = u -> front - r * Math.log1p(u / alpha)
        + (n == 0 ? 0 : n * Math.log(u / (alpha + u)));
    double dropout = Quadrature.integrate(u -> Math.exp(logNbd.applyAsDouble(u) + Math.log(s)
        - (s + 1) * Math.log1p(u / beta)) / beta, 0, t, 1e-12);
    return Math.exp(logNbd.applyAsDouble(t) - s * Math.log1p(t / beta)) + dropout;
  }

  /** ln[s (alpha+T)^(r+x) (beta+T)^s / (r+s+x)]: turns the A0 integrals into probabilities. */
  private double logDropoutFront(double x, double age) {
    return Math.log(s) + (r + x) * Math.log(alpha + age) + s * Math.log(beta + age) - Math.log(r + s + x);
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
