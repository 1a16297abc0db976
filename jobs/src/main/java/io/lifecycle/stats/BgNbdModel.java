package io.lifecycle.stats;

import java.util.List;

import io.lifecycle.tables.ClvModelsTable;
import org.apache.commons.math3.special.Beta;

/**
 * BG/NBD model of repeat purchasing (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy
 * Way"): while alive a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha), and after
 * each repeat purchase drops out with probability p ~ Beta(a, b).
 *
 * <p>Immutable parameter set with the closed forms a CLV pipeline needs; {@link #fit} estimates it from
 * compressed (x, t_x, T) data. Time is in whatever unit the data use (alpha carries that unit).
 *
 * @param r     shape of the purchase-rate distribution
 * @param alpha scale (in time units) of the purchase-rate distribution
 * @param a     first shape of the dropout-probability distribution
 * @param b     second shape of the dropout-probability distribution
 */
public record BgNbdModel(double r, double alpha, double a, double b) implements PurchaseModel {

  /** Around a = 1 the closed forms are 0/0; they are evaluated symmetrically this far away instead. */
  private static final double A_ONE_GAP = 1e-6;

  public BgNbdModel {
    for (double v : new double[] {r, alpha, a, b}) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException("BG/NBD parameters must be positive and finite: r=" + r
            + " alpha=" + alpha + " a=" + a + " b=" + b);
      }
    }
  }

  /** Fits by maximum likelihood with default fitter options and starting values. */
  public static ModelFit<BgNbdModel> fit(RfmSummary data) {
    return fit(data, new MaximumLikelihoodFitter());
  }

  /**
   * Fits by maximum likelihood. Starts: r = 1 and r = 0.3, each with alpha = r / (mean purchase
   * rate) so the start matches the data's time unit, and (a, b) = (1, 2) and (0.5, 3). Above 5,000
   * rows the starts are searched on a coarsened copy of the data and the result is refined (Newton,
   * analytic gradient) on the exact rows; about a second for a million daily customers.
   */
  public static ModelFit<BgNbdModel> fit(RfmSummary data, MaximumLikelihoodFitter fitter) {
    double rate = data.meanRate();
    if (!(rate > 0)) {
      rate = 1 / Math.max(data.meanAge(), 1e-9); // nobody repurchased: any positive scale will do
    }
    List<double[]> starts = List.of(
        new double[] {1.0, 1.0 / rate, 1.0, 2.0},
        new double[] {0.3, 0.3 / rate, 0.5, 3.0});
    MleResult mle = CoarseToFineFit.fit(data, BgNbdModel::likelihood, starts, fitter);
    double[] e = mle.estimates();
    BgNbdModel model = mle.hasEstimates() ? new BgNbdModel(e[0], e[1], e[2], e[3]) : null;
    return new ModelFit<>(model, mle);
  }

  /** The likelihood as an optimisation target (parameters r, alpha, a, b). */
  public static LogLikelihood likelihood(RfmSummary data) {
    return new BgNbdLikelihood(data);
  }

  /** Total (weighted) log-likelihood of the data under this model. */
  public double logLikelihood(RfmSummary data) {
    return likelihood(data).value(toArray());
  }

  /** Log-likelihood of one customer. */
  public double logLikelihood(double x, double tx, double age) {
    return logLikelihood(RfmSummary.of(new double[] {x}, new double[] {tx}, new double[] {age}, new double[] {1}));
  }

  /** Parameters as {r, alpha, a, b}. */
  public double[] toArray() {
    return new double[] {r, alpha, a, b};
  }

  /**
   * P(alive at T | x, t_x, T) = 1 / (1 + [x &gt; 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)).
   * Customers without repeat purchases are alive for sure: BG/NBD only lets them drop out right after a
   * repeat purchase.
   */
  @Override
  public double probabilityAlive(double x, double tx, double age) {
    if (x == 0) {
      return 1.0;
    }
    double logOdds = Math.log(a / (b + x - 1)) + (r + x) * (Math.log(alpha + age) - Math.log(alpha + tx));
    return 1 / (1 + Math.exp(logOdds));
  }

  /**
   * E[X(t)]: expected repeat purchases in (0, t] for a customer just acquired (FHL eq. 9),
   * (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))].
   */
  @Override
  public double expectedPurchases(double t) {
    checkHorizon(t);
    if (t == 0) {
      return 0.0;
    }
    return nearAOne(aa -> {
      double z = t / (alpha + t);
      // Euler's transformation folds the power into 2F1 with the second parameter a-1: the
      // product is computed without overflow of the two factors and the series is better behaved.
      double product = Math.pow(alpha / (alpha + t), aa - 1)
          * Hypergeometric2F1.value(aa + b - 1 - r, aa - 1, aa + b - 1, z);
      return (aa + b - 1) / (aa - 1) * (1 - product);
    });
  }

  /**
   * E[Y(t) | x, t_x, T]: expected repeat purchases in (T, T + t] given the customer's history
   * (FHL eq. 10): (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)]
   * / (1 + [x &gt; 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)), z = t/(alpha+T+t).
   */
  @Override
  public double conditionalExpectedPurchases(double t, double x, double tx, double age) {
    checkHorizon(t);
    return t == 0 ? 0.0 : purchasesIfAlive(t, x, age) * probabilityAlive(x, tx, age);
  }

  /** The numerator of E[Y(t) | x, t_x, T] (FHL eq. 10); 0 at t = 0. */
  @Override
  public double purchasesIfAlive(double t, double x, double age) {
    if (t == 0) {
      return 0.0;
    }
    double z = t / (alpha + age + t);
    double oneMinusZ = (alpha + age) / (alpha + age + t);
    return nearAOne(aa -> {
      // Euler: (1-z)^(r+x) 2F1(r+x, b+x; c; z) = (1-z)^(a-1) 2F1(a+b-1-r, a-1; c; z), c = a+b+x-1.
      double product = Math.pow(oneMinusZ, aa - 1)
          * Hypergeometric2F1.value(aa + b - 1 - r, aa - 1, aa + b + x - 1, z);
      return (aa + b + x - 1) / (aa - 1) * (1 - product);
    });
  }

  /**
   * {@link #purchasesIfAlive(double, double, double)} at each horizon, bit for bit: the horizons share the
   * hypergeometric function's parameters, whose series is summed for all of them at once
   * ({@link Hypergeometric2F1#values}; the CLV's months and every interval draw's, the costliest part of
   * the intervals).
   */
  @Override
  public double[] purchasesIfAlive(double[] ts, double x, double age) {
    double[] out = new double[ts.length];
    int positive = 0;
    for (double t : ts) {
      positive += t == 0 ? 0 : 1;
    }
    if (positive == 0) {
      return out;
    }
    double[] horizons = new double[positive];
    int[] at = new int[positive];
    for (int i = 0, j = 0; i < ts.length; i++) {
      if (ts[i] != 0) {
        horizons[j] = ts[i];
        at[j++] = i;
      }
    }
    double[] values;
    if (Math.abs(a - 1) < A_ONE_GAP) {
      double[] below = ifAlive(1 - A_ONE_GAP, horizons, x, age);
      double[] above = ifAlive(1 + A_ONE_GAP, horizons, x, age);
      values = new double[positive];
      for (int j = 0; j < positive; j++) {
        values[j] = 0.5 * (below[j] + above[j]);
      }
    } else {
      values = ifAlive(a, horizons, x, age);
    }
    for (int j = 0; j < positive; j++) {
      out[at[j]] = values[j];
    }
    return out;
  }

  /** The body of {@link #purchasesIfAlive(double, double, double)} at each (non-zero) horizon, with a = aa. */
  private double[] ifAlive(double aa, double[] ts, double x, double age) {
    double[] z = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      z[i] = ts[i] / (alpha + age + ts[i]);
    }
    double[] f = Hypergeometric2F1.values(aa + b - 1 - r, aa - 1, aa + b + x - 1, z);
    double[] out = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      double oneMinusZ = (alpha + age) / (alpha + age + ts[i]);
      double product = Math.pow(oneMinusZ, aa - 1) * f[i];
      out[i] = (aa + b + x - 1) / (aa - 1) * (1 - product);
    }
    return out;
  }

  /**
   * P(X(t) = n): probability of exactly n repeat purchases in (0, t] for a new customer (FHL eq. 8).
   */
  @Override
  public double probabilityOfPurchases(double t, int n) {
    checkHorizon(t);
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0: " + n);
    }
    double logBab = SpecialFunctions.logBeta(a, b);
    double logP0 = r * Math.log(alpha / (alpha + t));
    double logZ = Math.log(t / (alpha + t));
    double first = Math.exp(SpecialFunctions.logBeta(a, b + n) - logBab
        + SpecialFunctions.logGamma(r + n) - SpecialFunctions.logGamma(r) - SpecialFunctions.logGamma(n + 1.0)
        + logP0 + (n == 0 ? 0 : n * logZ));
    if (n == 0) {
      return first;
    }
    // P(NBD count >= n) = I_z(n, r), the regularized incomplete beta at z = t/(alpha+t): computed
    // directly rather than as 1 - (finite sum), which cancels when the tail is small.
    double tail = Beta.regularizedBeta(t / (alpha + t), n, r);
    return first + Math.exp(SpecialFunctions.logBeta(a + 1, b + n - 1) - logBab) * tail;
  }

  @Override
  public String name() {
    return ClvModelsTable.BG_NBD;
  }

  /**
   * P(alive at T + t | x, t_x, T) = P(alive at T) 2F1(r+x, a; a+b+x; -t/(alpha+T)): given alive at T,
   * lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x), and the customer survives (T, T+t] unless one of
   * the purchases in it (rate lambda, each fatal with probability p) is the last: E[exp(-lambda p t)].
   */
  @Override
  public double probabilityAliveAfter(double t, double x, double tx, double age) {
    checkHorizon(t);
    return probabilityAlive(x, tx, age) * Hypergeometric2F1.value(r + x, a, a + b + x, -t / (alpha + age));
  }

  /**
   * P(no purchase in (T, T+t] | x, t_x, T) = 1 - P(alive) + P(alive) ((alpha+T)/(alpha+T+t))^(r+x): an
   * alive BG/NBD customer can only drop out at a purchase, so "no purchase" is dead already or no
   * purchase event (Fader-Hardie note on the BG/NBD conditional PMF, x* = 0).
   */
  @Override
  public double probabilityNoPurchase(double t, double x, double tx, double age) {
    checkHorizon(t);
    double alive = probabilityAlive(x, tx, age);
    return 1 - alive + alive * Math.exp(-(r + x) * Math.log1p(t / (alpha + age)));
  }

  /**
   * Median of the time to the next purchase, in closed form from {@link #probabilityNoPurchase}:
   * (alpha+T) [(P/(P - 1/2))^(1/(r+x)) - 1] with P = P(alive); NaN when P &lt;= 1/2 (more likely than not
   * the customer never buys again).
   */
  @Override
  public double medianTimeToPurchase(double x, double tx, double age) {
    double alive = probabilityAlive(x, tx, age);
    if (!(alive > 0.5)) {
      return Double.NaN;
    }
    return (alpha + age) * Math.expm1(Math.log(alive / (alive - 0.5)) / (r + x));
  }

  /**
   * DERT: expected purchases after T discounted continuously at rate delta per time unit, over the
   * whole residual lifetime. Given alive, lambda and p, the purchase rate at T + u is lambda
   * exp(-lambda p u), so DERT = P(alive) E[lambda / (delta + lambda p)]; lambda is integrated in closed
   * form, (r+x)/(delta (alpha+T)) (y^c U(c, c, y)) with c = r+x+1, y = delta (alpha+T) / p, and p ~ Beta(a,
   * b+x) numerically (no closed form is known). This is DERT / P(alive).
   */
  @Override
  public double residualPurchasesIfAlive(double delta, double x, double age) {
    if (!(delta > 0) || !Double.isFinite(delta)) {
      throw new IllegalArgumentException("discount rate must be positive and finite: " + delta);
    }
    double scale = delta * (alpha + age);
    double bx = b + x;
    double logBeta = SpecialFunctions.logBeta(a, bx);
    // Beyond p = 60/(b+x) the density carries less than e^-50 of the mass (for b+x above 60): cut there
    // so the quadrature nodes sit where the mass is.
    double upper = bx > 60 ? 60 / bx : 1;
    // u = p^a absorbs the density's p^(a-1) at 0; as p -> 0 the factor y^c U(c, c, y) tends to 1.
    double mean = Quadrature.integrate(u -> {
      double p = Math.pow(u, 1 / a);
      double y = scale / p;
      double factor = Double.isFinite(y) ? SpecialFunctions.tricomiUScaled(r + x + 1, y) : 1;
      return factor * Math.exp((bx - 1) * Math.log1p(-p) - logBeta) / a;
    }, 0, Math.pow(upper, a), 1e-6); // the error about squares per level: two levels 1e-6 apart are ~1e-12 off
    return (r + x) / scale * mean;
  }

  private double nearAOne(java.util.function.DoubleUnaryOperator f) {
    if (Math.abs(a - 1) < A_ONE_GAP) {
      // Removable singularity at a = 1; the symmetric average is accurate to O(gap^2).
      return 0.5 * (f.applyAsDouble(1 - A_ONE_GAP) + f.applyAsDouble(1 + A_ONE_GAP));
    }
    return f.applyAsDouble(a);
  }

  private static void checkHorizon(double t) {
    if (!(t >= 0) || !Double.isFinite(t)) {
      throw new IllegalArgumentException("horizon must be >= 0 and finite: " + t);
    }
  }

}
