package io.lifecycle.journeys;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Exact percentiles by nearest rank (pure): the value at rank ceil(p * n) of the group's sorted values,
 * the lower middle value for a median of an even count, as {@code percentile_approx} defines its
 * answer. Unlike {@code percentile_approx}, whose digest depends on the order in which rows and partial
 * results arrive, this gives the same value whatever the input layout, so an incremental run (which
 * reads stored rows in another order) and a full run agree to the bit. It sorts each group within one
 * task: memory stays bounded (the sort spills), only a very large group costs time.
 */
final class NearestRank {
  private static final String RANK = "_nearest_rank";
  private static final String COUNT = "_nearest_rank_n";

  private NearestRank() {}

  /** The rows with each one's rank within its group by {@code value}, and the group's size. */
  static Dataset<Row> ranked(Dataset<Row> rows, Column value, Column... group) {
    WindowSpec sorted = Window.partitionBy(group).orderBy(value);
    return rows
        .withColumn(RANK, row_number().over(sorted))
        .withColumn(COUNT, count(lit(1)).over(sorted.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing())));
  }

  /** Aggregate over {@link #ranked} rows: the group's {@code p}-th percentile of {@code value}. */
  static Column percentile(Column value, double p) {
    return min(when(col(RANK).equalTo(ceil(lit(p).multiply(col(COUNT)))), value));
  }
}
