package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Population stability index (PSI) of numeric columns between the data a model was trained on and the
 * customers it scores: a model whose inputs have moved is due for retraining before its schedule says
 * so. Each column's bins are the training data's deciles (ties merged) plus one bin for missing values;
 * PSI sums, over the bins, (current share - training share) x ln(current share / training share), with
 * shares floored at {@value #FLOOR} so an empty bin counts as rare rather than impossible. Every pass is
 * one Spark aggregation whose result is bounded by the columns and bins, never by the rows.
 */
public final class PopulationStability {
  /** Share given to an empty bin. */
  static final double FLOOR = 1e-4;
  /** Relative error of the deciles (approxQuantile). */
  static final double QUANTILE_ERROR = 1e-3;
  private static final double[] DECILES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

  private PopulationStability() {}

  /**
   * One column's training distribution: ascending cut points, with bin k holding the values in
   * (cuts[k-1], cuts[k]] (the first from minus infinity, the last, k = cuts.length, to plus infinity),
   * bin cuts.length + 1 the missing values; and the training share of each bin.
   */
  public record Reference(String column, double[] cuts, double[] shares) {
    public int bins() {
      return cuts.length + 2;
    }
  }

  /** The training distribution of {@code columns} in {@code training}: its deciles, then its shares. */
  public static List<Reference> reference(Dataset<Row> training, List<String> columns) {
    double[][] quantiles = training.stat().approxQuantile(columns.toArray(String[]::new), DECILES, QUANTILE_ERROR);
    List<double[]> cuts = new ArrayList<>();
    for (double[] q : quantiles) {
      // A column with no value at all has no deciles: its values are all in the missing bin.
      cuts.add(q == null ? new double[0] : Arrays.stream(q).filter(Double::isFinite).distinct().sorted().toArray());
    }
    List<double[]> shares = shares(training, columns, cuts);
    List<Reference> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      out.add(new Reference(columns.get(i), cuts.get(i), shares.get(i)));
    }
    return out;
  }

  /** The share of {@code current}'s rows in each bin of each reference (one aggregation). */
  public static List<double[]> shares(Dataset<Row> current, List<Reference> references) {
    return shares(current, references.stream().map(Reference::column).toList(), references.stream().map(Reference::cuts).toList());
  }

  private static List<double[]> shares(Dataset<Row> df, List<String> columns, List<double[]> cuts) {
    List<Column> counts = new ArrayList<>();
    counts.add(count(lit(1)));
    for (int i = 0; i < columns.size(); i++) {
      Column value = col(columns.get(i)).cast("double");
      double[] c = cuts.get(i);
      for (int k = 0; k <= c.length; k++) {
        Column in = value.isNotNull();
        if (k > 0) {
          in = in.and(value.gt(lit(c[k - 1])));
        }
        if (k < c.length) {
          in = in.and(value.leq(lit(c[k])));
        }
        counts.add(sum(when(in, 1L).otherwise(0L)));
      }
      counts.add(sum(when(value.isNull(), 1L).otherwise(0L)));
    }
    // One row: the total and a count per column and bin.
    Row row = df.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).head();
    long total = row.getLong(0);
    List<double[]> out = new ArrayList<>();
    int at = 1;
    for (double[] c : cuts) {
      double[] s = new double[c.length + 2];
      for (int k = 0; k < s.length; k++, at++) {
        s[k] = total == 0 || row.isNullAt(at) ? 0.0 : (double) row.getLong(at) / total;
      }
      out.add(s);
    }
    return out;
  }

  /** PSI of {@code actual} shares against {@code expected} ones, bin by bin. */
  public static double psi(double[] expected, double[] actual) {
    if (expected.length != actual.length) {
      throw new IllegalArgumentException("bins differ: " + expected.length + " vs " + actual.length);
    }
    double psi = 0;
    for (int k = 0; k < expected.length; k++) {
      double e = Math.max(expected[k], FLOOR);
      double a = Math.max(actual[k], FLOOR);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }
}
