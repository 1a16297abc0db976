package io.lifecycle.stats;

import java.util.Arrays;

/**
 * Compressed input of the Gamma-Gamma spend model: distinct (x, mbar) pairs with customer counts.
 *
 * <p>x is the number of repeat transactions (&gt;= 1) and mbar the mean spend per repeat transaction;
 * the likelihood depends on a customer only through that pair. Customers without repeat purchases
 * carry no spend information under the model and must be left out by the caller.
 * Immutable (arrays are copied in).
 */
public final class SpendSummary {

  private final double[] x;
  private final double[] mbar;
  private final double[] weight;
  private final double totalWeight;

  private SpendSummary(double[] x, double[] mbar, double[] weight) {
    int n = x.length;
    if (mbar.length != n || weight.length != n) {
      throw new IllegalArgumentException("x, mbar and weight must have the same length");
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      if (!(x[i] >= 1) || !Double.isFinite(x[i])) {
        throw new IllegalArgumentException("x must be >= 1 (repeat customers only) at row " + i + ": " + x[i]);
      }
      if (!(mbar[i] > 0) || !Double.isFinite(mbar[i])) {
        throw new IllegalArgumentException("mean spend must be positive and finite at row " + i + ": " + mbar[i]);
      }
      if (!(weight[i] > 0) || !Double.isFinite(weight[i])) {
        throw new IllegalArgumentException("weight must be positive and finite at row " + i + ": " + weight[i]);
      }
      total += weight[i];
    }
    this.x = x;
    this.mbar = mbar;
    this.weight = weight;
    this.totalWeight = total;
  }

  public static SpendSummary of(double[] x, double[] mbar, double[] weight) {
    return new SpendSummary(x.clone(), mbar.clone(), weight.clone());
  }

  /** One row per customer, each with weight 1. */
  public static SpendSummary perCustomer(double[] x, double[] mbar) {
    double[] w = new double[x.length];
    Arrays.fill(w, 1.0);
    return new SpendSummary(x.clone(), mbar.clone(), w);
  }

  public int size() {
    return x.length;
  }

  public double x(int i) {
    return x[i];
  }

  public double meanSpend(int i) {
    return mbar[i];
  }

  public double weight(int i) {
    return weight[i];
  }

  public double totalWeight() {
    return totalWeight;
  }

  /** Weighted mean of mbar, the scale used for starting values. */
  public double meanOfMeanSpend() {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += weight[i] * mbar[i];
    }
    return s / totalWeight;
  }

  double[] xs() {
    return x;
  }

  double[] mbars() {
    return mbar;
  }

  double[] weights() {
    return weight;
  }

  @Override
  public String toString() {
    return "SpendSummary[rows=" + x.length + ", customers=" + totalWeight + "]";
  }
}
