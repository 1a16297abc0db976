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
   * type 7, numpy's default, Spark's {@code percentile}): at rank 1 + p (n - 1); NaN for no values. The
   * order statistics are selected in a copy (quickselect, in {@link Double#compare}'s order, as a sort
   * orders them) rather than found by sorting it: the intervals take two percentiles of a few hundred
   * draws for every distinct customer summary.
   */
  public static double[] percentiles(double[] values, double... ps) {
    double[] out = new double[ps.length];
    if (values.length == 0) {
      Arrays.fill(out, Double.NaN);
      return out;
    }
    double[] a = values.clone();
    // The ranks needed (each quantile's order statistic and the next one where it interpolates), selected
    // in increasing order: after rank k is in place, ranks above k are all in a[k+1..].
    int[] ranks = new int[2 * ps.length];
    int n = 0;
    for (double p : ps) {
      double h = p * (a.length - 1);
      int lo = (int) Math.floor(h);
      ranks[n++] = lo;
      if (h != lo) {
        ranks[n++] = lo + 1;
      }
    }
    int[] needed = Arrays.stream(ranks, 0, n).sorted().distinct().toArray();
    int from = 0;
    for (int k : needed) {
      select(a, from, a.length - 1, k);
      from = k + 1;
    }
    for (int i = 0; i < ps.length; i++) {
      double h = ps[i] * (a.length - 1);
      int lo = (int) Math.floor(h);
      // At an order statistic exactly, no interpolation (an infinite neighbour would make it NaN).
      out[i] = h == lo ? a[lo] : a[lo] + (h - lo) * (a[lo + 1] - a[lo]);
    }
    return out;
  }

  /**
   * Rearranges a[from..to] so that a[k] holds its value of rank k in {@link Double#compare}'s order, none
   * greater before it and none smaller after it (Hoare's partition around a median of three).
   */
  private static void select(double[] a, int from, int to, int k) {
    while (to - from > 12) {
      int mid = (from + to) >>> 1;
      if (Double.compare(a[mid], a[from]) < 0) {
        swap(a, mid, from);
      }
      if (Double.compare(a[to], a[from]) < 0) {
        swap(a, to, from);
      }
      if (Double.compare(a[to], a[mid]) < 0) {
        swap(a, to, mid);
      }
      double pivot = a[mid];
      int i = from;
      int j = to;
      while (i <= j) {
        while (Double.compare(a[i], pivot) < 0) {
          i++;
        }
        while (Double.compare(a[j], pivot) > 0) {
          j--;
        }
        if (i <= j) {
          swap(a, i++, j--);
        }
      }
      // a[from..j] <= pivot <= a[i..to], and what lies between them equals the pivot.
      if (k <= j) {
        to = j;
      } else if (k >= i) {
        from = i;
      } else {
        return;
      }
    }
    for (int i = from + 1; i <= to; i++) {
      double v = a[i];
      int j = i - 1;
      while (j >= from && Double.compare(a[j], v) > 0) {
        a[j + 1] = a[j];
        j--;
      }
      a[j + 1] = v;
    }
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
