package io.lifecycle.spark;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Exact nearest-rank quantiles of one column (the value at rank ceil(p * n) of the sorted non-null
 * values, as {@code percentile_approx} defines its answer), without sorting the column. Spark's
 * {@code percentile_approx} depends on the order rows arrive in, so a daily incremental run and a full
 * run could put a customer on either side of a cut. Here an approximate pass brackets each answer (its
 * rank error is at most n / {@value #ACCURACY}), and a second pass, one for all the quantiles, counts
 * the values below each bracket and brings back the distinct values inside them with their counts:
 * bounded by the distinct values of brackets of about 4n / {@value #ACCURACY} rows, however many rows tie.
 */
public final class ExactQuantiles {
  static final int ACCURACY = 10_000;

  private ExactQuantiles() {}

  /** The quantiles {@code ps} (each in [0, 1]) of {@code column}, or null when it has no value. */
  public static double[] of(Dataset<Row> rows, String column, double... ps) {
    Column value = col(column).cast("double");
    // Read by two small queries: the one column is computed once.
    Dataset<Row> values = rows.select(value.as("_v")).where(col("_v").isNotNull())
        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    try {
      return quantiles(values, column, ps);
    } finally {
      values.unpersist();
    }
  }

  private static double[] quantiles(Dataset<Row> values, String column, double[] ps) {
    double eps = 2.0 / ACCURACY;
    List<Column> aggs = new ArrayList<>(List.of(count(lit(1))));
    for (double p : ps) {
      aggs.add(percentile_approx(col("_v"), lit(Math.max(0, p - eps)), lit(ACCURACY)));
      aggs.add(percentile_approx(col("_v"), lit(Math.min(1, p + eps)), lit(ACCURACY)));
    }
    // One row.
    Row bracket = values.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).head();
    long n = bracket.getLong(0);
    if (n == 0) {
      return null;
    }
    double[] lo = new double[ps.length];
    double[] hi = new double[ps.length];
    Column below = lit(0L);
    Column inside = lit(false);
    for (int i = 0; i < ps.length; i++) {
      lo[i] = bracket.getDouble(1 + 2 * i);
      hi[i] = bracket.getDouble(2 + 2 * i);
      below = below.plus(when(col("_v").lt(lo[i]), lit(1L << i)).otherwise(0L));
      inside = inside.or(col("_v").between(lo[i], hi[i]));
    }
    // One pass for every quantile: each value inside a bracket with its count, every other value counted
    // by the set of brackets it is below (bit i: below bracket i; a handful of sets, the brackets being
    // ordered). Bounded: the distinct values of the brackets, a few per ten thousand rows.
    List<Row> groups = values.groupBy(when(inside, col("_v")).as("_inside"), below.as("_below")).count().collectAsList();
    double[] out = new double[ps.length];
    for (int i = 0; i < ps.length; i++) {
      long rank = Math.max(1, (long) Math.ceil(ps[i] * n));
      long seen = 0;
      List<Row> candidates = new ArrayList<>();
      for (Row g : groups) {
        if ((g.getLong(1) & (1L << i)) != 0) {
          seen += g.getLong(2);
        } else if (!g.isNullAt(0) && g.getDouble(0) >= lo[i] && g.getDouble(0) <= hi[i]) {
          candidates.add(g);
        }
      }
      candidates.sort(Comparator.comparingDouble(g -> g.getDouble(0)));
      out[i] = Double.NaN;
      for (Row r : candidates) {
        seen += r.getLong(2);
        if (seen >= rank) {
          out[i] = r.getDouble(0);
          break;
        }
      }
      if (Double.isNaN(out[i])) {
        throw new IllegalStateException("quantile " + ps[i] + " of " + column + " fell outside its bracket [" + lo[i] + ", " + hi[i] + "]");
      }
    }
    return out;
  }
}
