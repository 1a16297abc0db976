package io.lifecycle.clv;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerJourneysTable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which stage paths get a {@code segment_value} row of their own: the {@code clv.path_segments} paths
 * with the most valued customers (ties by path); every other path is one {@code (other)} segment. Paths
 * have a long tail (at 10M generated events 35,865 distinct paths, 27,364 of them a single customer's,
 * the top 50 holding 77% of the customers): unbounded, they were most of the table's rows and most of
 * the cost of the segments' intervals, which sum every draw per segment.
 */
public final class PathSegments {
  /** The segment of the paths outside the top ones. */
  public static final String OTHER = "(other)";

  private PathSegments() {}

  /**
   * {@code journeys} (customer_journeys rows) with {@link CustomerJourneysTable#PATH} replaced by its
   * segment: the path itself among the {@code top} most common paths of {@code values}' customers, else
   * {@link #OTHER}; a customer without a path keeps none.
   */
  public static Dataset<Row> of(Dataset<Row> journeys, Dataset<Row> values, int top) {
    Column path = col(CustomerJourneysTable.PATH);
    // Bounded: at most `top` (clv.path_segments, at most 1,000) paths.
    List<String> kept = journeys.join(values.select(Columns.CUSTOMER_ID), Columns.CUSTOMER_ID, "left_semi")
        .where(path.isNotNull())
        .groupBy(path).count()
        .orderBy(col("count").desc(), path.asc())
        .limit(top)
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    return journeys.withColumn(CustomerJourneysTable.PATH,
        when(path.isNull(), lit(null).cast("string")).when(path.isin(kept.toArray()), path).otherwise(lit(OTHER)));
  }
}
