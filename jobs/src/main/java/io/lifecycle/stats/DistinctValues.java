package io.lifecycle.stats;

import java.util.Arrays;

/**
 * The distinct values of a column and, for each row, the position of its value among them.
 *
 * <p>Likelihood loops evaluate expensive functions (lnGamma, digamma, ln(alpha + T)) once per distinct
 * value instead of once per row: x, t_x and T each take few distinct values (at most a few hundred
 * days in a two-year window) even when there are tens of thousands of distinct triples.
 */
final class DistinctValues {

  final double[] values;
  final int[] index;

  DistinctValues(double[] column) {
    double[] sorted = column.clone();
    Arrays.sort(sorted);
    int m = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || Double.compare(sorted[i], sorted[m - 1]) != 0) {
        sorted[m++] = sorted[i];
      }
    }
    values = Arrays.copyOf(sorted, m);
    index = new int[column.length];
    for (int i = 0; i < column.length; i++) {
      index[i] = Arrays.binarySearch(values, column[i]);
    }
  }

  int size() {
    return values.length;
  }
}
