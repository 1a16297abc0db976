package io.lifecycle.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Benjamini-Hochberg adjusted p-values (R's {@code p.adjust(p, "BH")}): testing many behaviours at once
 * makes some look significant by chance; rejecting those whose adjusted p-value is at most q keeps the
 * expected share of false discoveries among the rejections at most q (Benjamini &amp; Hochberg 1995).
 */
public final class BenjaminiHochberg {
  private BenjaminiHochberg() {}

  /**
   * The adjusted p-values, in the input's order: with the m p-values sorted ascending, the i-th is
   * min over j &gt;= i of m p(j) / j, capped at 1. NaN entries (no test) stay NaN and are not counted in m.
   */
  public static double[] adjust(double[] p) {
    Integer[] order = new Integer[p.length];
    int m = 0;
    for (int i = 0; i < p.length; i++) {
      if (!Double.isNaN(p[i])) {
        order[m++] = i;
      }
    }
    Integer[] tested = Arrays.copyOf(order, m);
    Arrays.sort(tested, Comparator.comparingDouble(i -> p[i]));
    double[] adjusted = new double[p.length];
    Arrays.fill(adjusted, Double.NaN);
    double running = 1;
    for (int rank = m; rank >= 1; rank--) {
      int i = tested[rank - 1];
      running = Math.min(running, p[i] * m / rank);
      adjusted[i] = running;
    }
    return adjusted;
  }
}
