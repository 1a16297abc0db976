package io.lifecycle.stats;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compressed input of the BG/NBD and Pareto/NBD likelihoods: distinct (x, t_x, T) triples, each with
 * the number of customers (weight) that share it.
 *
 * <p>Both likelihoods depend on a customer only through x (repeat purchases), t_x (time of the last
 * purchase) and T (time since the first purchase), all measured from the first purchase. A million
 * customers collapse to at most tens of thousands of distinct triples when time is in whole days, so
 * callers aggregate first and the fit cost no longer grows with the customer count.
 *
 * <p>Convention checked on construction: x &gt;= 0, 0 &lt;= t_x &lt;= T, t_x = 0 when x = 0, weight &gt; 0.
 * Instances are immutable (arrays are copied in and out).
 */
public final class RfmSummary {

  private final double[] x;
  private final double[] tx;
  private final double[] age;
  private final double[] weight;
  private final double totalWeight;

  private RfmSummary(double[] x, double[] tx, double[] age, double[] weight) {
    int n = x.length;
    if (tx.length != n || age.length != n || weight.length != n) {
      throw new IllegalArgumentException("x, tx, T and weight must have the same length");
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      check(x[i], tx[i], age[i], i);
      if (!(weight[i] > 0) || !Double.isFinite(weight[i])) {
        throw new IllegalArgumentException("weight must be positive and finite at row " + i + ": " + weight[i]);
      }
      total += weight[i];
    }
    this.x = x;
    this.tx = tx;
    this.age = age;
    this.weight = weight;
    this.totalWeight = total;
  }

  /** Distinct triples with their customer counts (arrays are copied). */
  public static RfmSummary of(double[] x, double[] tx, double[] age, double[] weight) {
    return new RfmSummary(x.clone(), tx.clone(), age.clone(), weight.clone());
  }

  /**
   * Per-customer arrays (one row per customer), aggregated here into distinct triples. Convenient for
   * small data and tests; at scale the caller aggregates in Spark and uses {@link #of}.
   */
  public static RfmSummary aggregate(double[] x, double[] tx, double[] age) {
    if (tx.length != x.length || age.length != x.length) {
      throw new IllegalArgumentException("x, tx and T must have the same length");
    }
    Map<Triple, double[]> counts = new LinkedHashMap<>();
    for (int i = 0; i < x.length; i++) {
      check(x[i], tx[i], age[i], i);
      counts.computeIfAbsent(new Triple(x[i], tx[i], age[i]), k -> new double[1])[0] += 1;
    }
    return fromCounts(counts);
  }

  /**
   * The same customers with t_x and T rounded to a grid of {@code levels} steps over the largest T,
   * re-aggregated. Much smaller (typically 10-50x for daily data), so a fit on it is a cheap and close
   * starting point for the fit on the exact data; never a substitute for it.
   */
  public RfmSummary coarsened(int levels) {
    if (levels < 1) {
      throw new IllegalArgumentException("levels must be >= 1: " + levels);
    }
    double maxAge = 0;
    for (double a : age) {
      maxAge = Math.max(maxAge, a);
    }
    if (maxAge == 0) {
      return this;
    }
    double step = maxAge / levels;
    Map<Triple, double[]> counts = new LinkedHashMap<>();
    for (int i = 0; i < x.length; i++) {
      Triple t = new Triple(x[i], Math.rint(tx[i] / step) * step, Math.rint(age[i] / step) * step);
      counts.computeIfAbsent(t, k -> new double[1])[0] += weight[i];
    }
    return fromCounts(counts);
  }

  private static RfmSummary fromCounts(Map<Triple, double[]> counts) {
    int n = counts.size();
    double[] ox = new double[n];
    double[] otx = new double[n];
    double[] oage = new double[n];
    double[] ow = new double[n];
    int i = 0;
    for (Map.Entry<Triple, double[]> e : counts.entrySet()) {
      ox[i] = e.getKey().x();
      otx[i] = e.getKey().tx();
      oage[i] = e.getKey().age();
      ow[i] = e.getValue()[0];
      i++;
    }
    return new RfmSummary(ox, otx, oage, ow);
  }

  private static void check(double x, double tx, double age, int row) {
    if (!(x >= 0) || !Double.isFinite(x)) {
      throw new IllegalArgumentException("x must be >= 0 and finite at row " + row + ": " + x);
    }
    if (!(tx >= 0) || !(tx <= age) || !Double.isFinite(age)) {
      throw new IllegalArgumentException("need 0 <= t_x <= T (finite) at row " + row + ": t_x=" + tx + " T=" + age);
    }
    if (x == 0 && tx != 0) {
      throw new IllegalArgumentException("t_x must be 0 when x = 0 at row " + row + ": t_x=" + tx);
    }
  }

  private record Triple(double x, double tx, double age) {
  }

  /** Number of distinct rows. */
  public int size() {
    return x.length;
  }

  public double x(int i) {
    return x[i];
  }

  public double tx(int i) {
    return tx[i];
  }

  /** T of row i: time from the first purchase to the end of the calibration period. */
  public double age(int i) {
    return age[i];
  }

  public double weight(int i) {
    return weight[i];
  }

  /** Number of customers represented (sum of weights). */
  public double totalWeight() {
    return totalWeight;
  }

  /** Weighted mean purchase rate sum(w x) / sum(w T): the scale used for starting values. */
  public double meanRate() {
    double num = 0;
    double den = 0;
    for (int i = 0; i < x.length; i++) {
      num += weight[i] * x[i];
      den += weight[i] * age[i];
    }
    return den > 0 ? num / den : Double.NaN;
  }

  /** Weighted mean of T. */
  public double meanAge() {
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += weight[i] * age[i];
    }
    return s / totalWeight;
  }

  // Package-private views without copying, for the likelihood loops.
  double[] xs() {
    return x;
  }

  double[] txs() {
    return tx;
  }

  double[] ages() {
    return age;
  }

  double[] weights() {
    return weight;
  }

  @Override
  public String toString() {
    return "RfmSummary[rows=" + x.length + ", customers=" + totalWeight + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RfmSummary r && Arrays.equals(x, r.x) && Arrays.equals(tx, r.tx)
        && Arrays.equals(age, r.age) && Arrays.equals(weight, r.weight);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * Arrays.hashCode(x) + Arrays.hashCode(tx)) + Arrays.hashCode(age)) + Arrays.hashCode(weight);
  }
}
