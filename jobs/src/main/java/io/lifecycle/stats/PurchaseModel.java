package io.lifecycle.stats;

/**
 * The two purchase models behind one face, so fitting, holdout, scoring and the forecasts treat them
 * alike. Time is in the unit the model was fitted in; (x, t_x, T) is a customer's summary.
 * Serializable: Spark tasks evaluate it per distinct customer summary.
 */
public interface PurchaseModel extends java.io.Serializable {
  /** The model's name in {@code clv_models} (bg_nbd, pareto_nbd). */
  String name();

  /** P(alive at T | x, t_x, T). */
  double probabilityAlive(double x, double tx, double age);

  /** P(alive at T + t | x, t_x, T): alive now and not dropping out in the next t. */
  double probabilityAliveAfter(double t, double x, double tx, double age);

  /** E[Y(t) | x, t_x, T]: expected repeat purchases in (T, T + t]. */
  double conditionalExpectedPurchases(double t, double x, double tx, double age);

  /**
   * E[Y(t) | alive at T, x, T]: expected repeat purchases in (T, T + t] of a customer still alive. Both
   * models factor the conditional expectation as this times P(alive | x, t_x, T), so a CLV horizon's
   * months (and every interval draw's) need P(alive), the costly factor, once rather than once a month.
   */
  double purchasesIfAlive(double t, double x, double age);

  /** {@link #purchasesIfAlive(double, double, double)} at each of several horizons (a CLV horizon's months). */
  default double[] purchasesIfAlive(double[] ts, double x, double age) {
    double[] out = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      out[i] = purchasesIfAlive(ts[i], x, age);
    }
    return out;
  }

  /** P(Y(t) = 0 | x, t_x, T): no purchase in (T, T + t]. */
  double probabilityNoPurchase(double t, double x, double tx, double age);

  /** Median time from T to the next purchase; NaN when the customer more likely than not never buys again. */
  double medianTimeToPurchase(double x, double tx, double age);

  /** DERT: expected purchases after T over the residual lifetime, discounted continuously at rate delta per time unit. */
  default double discountedResidualPurchases(double delta, double x, double tx, double age) {
    double ifAlive = residualPurchasesIfAlive(delta, x, age);
    return probabilityAlive(x, tx, age) * ifAlive;
  }

  /**
   * DERT of a customer still alive at T: both models factor DERT as this times P(alive | x, t_x, T), so
   * the costly part (an integral, a special function) depends on (x, T) only and is computed once for
   * all the customers' t_x.
   */
  double residualPurchasesIfAlive(double delta, double x, double age);

  /** E[X(t)]: expected repeat purchases in (0, t] for a customer just acquired. */
  double expectedPurchases(double t);

  /** P(X(t) = n): exactly n repeat purchases in (0, t] for a customer just acquired. */
  double probabilityOfPurchases(double t, int n);

  static PurchaseModel of(BgNbdModel m) {
    return m;
  }

  static PurchaseModel of(ParetoNbdModel m) {
    return m;
  }
}
