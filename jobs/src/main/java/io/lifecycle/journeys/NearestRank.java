package io.lifecycle.journeys;

import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
 * reads stored rows in another order) and a full run agree to the bit.
 *
 * <p>Without sorting every group: a first pass counts the rows per group and per bin of a monotone
 * bucketing of the value (about 1.6% wide, a minute at the bottom when the value is in days), a hash
 * aggregation of a few thousand rows per group; the running counts over the bins give each percentile's
 * bin and its rank within it; a second pass sorts only the rows of those bins. The same value as sorting
 * whole groups (ties included: equal values share a bin), without holding a whole group in one task's
 * sort (with the transitions' single window pass, the 10M journeys step went from 4.3x to 3.8x DuckDB's
 * time; README). {@code rows} is read twice: pass a checkpointed or cheap frame.
 */
final class NearestRank {
  private static final String GROUP = "_nr_group";
  private static final String BIN = "_nr_bin";
  private static final String COUNT = "_nr_count";
  private static final String BEFORE = "_nr_before";
  private static final String TOTAL = "_nr_total";
  private static final String WHICH = "_nr_which";
  private static final String RANK = "_nr_rank";
  private static final String VALUE = "_nr_value";
  private static final String W_GROUP = "_nr_wanted_group";
  private static final String W_BIN = "_nr_wanted_bin";
  private static final String W_RANK = "_nr_wanted_rank";
  /** Bins per e-fold of the value: 64 makes a bin about 1.6% wide. */
  private static final double BINS_PER_E = 64;
  /** The value's unit over the bottom bin's width: 1440 makes the bottom bin a minute when the value is in days. */
  private static final double FINEST = 1440;

  private NearestRank() {}

  /**
   * {@code aggregated} (one row per group of {@code rows}, with the group's columns) and one column per
   * entry of {@code percentiles} (its name to p, 0 &lt; p &lt;= 1): the p-th percentile of {@code value}
   * over the group's rows, null for a group without values. Null and NaN values are not counted; group
   * columns may be null (a null matches a null).
   */
  static Dataset<Row> withPercentiles(Dataset<Row> aggregated, Dataset<Row> rows, Column value, Map<String, Double> percentiles,
      String... group) {
    Column[] groupColumns = Arrays.stream(group).map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> byGroup = percentiles(rows, value, percentiles, groupColumns).withColumnRenamed(GROUP, W_GROUP);
    List<Column> out = new ArrayList<>(List.of(col("_a.*")));
    percentiles.keySet().forEach(n -> out.add(col("_p." + n)));
    return aggregated.withColumn(GROUP, struct(groupColumns)).as("_a")
        .join(byGroup.as("_p"), col("_a." + GROUP).eqNullSafe(col("_p." + W_GROUP)), "left")
        .select(out.toArray(Column[]::new))
        .drop(GROUP);
  }

  /** Per group ({@link #GROUP}, the group's columns as a struct), one column per percentile. */
  private static Dataset<Row> percentiles(Dataset<Row> rows, Column value, Map<String, Double> percentiles, Column... group) {
    Column groupKey = struct(group).as(GROUP);
    Dataset<Row> values = rows.select(groupKey, value.cast("double").as(VALUE))
        .where(col(VALUE).isNotNull().and(not(isnan(col(VALUE)))));
    // Monotone in the value (equal values share a bin), so the sorted order of the bins is the values'.
    Column bin = signum(col(VALUE)).multiply(floor(log1p(abs(col(VALUE)).multiply(FINEST)).multiply(BINS_PER_E))).cast("long");
    Dataset<Row> bins = values.groupBy(col(GROUP), bin.as(BIN)).agg(count(lit(1)).as(COUNT));
    WindowSpec byGroup = Window.partitionBy(col(GROUP));
    Dataset<Row> running = bins
        .withColumn(BEFORE, sum(col(COUNT)).over(byGroup.orderBy(col(BIN)).rowsBetween(Window.unboundedPreceding(), -1)))
        .withColumn(TOTAL, sum(col(COUNT)).over(byGroup));
    // Per percentile, the bin holding rank k = ceil(p n), and k's rank within it.
    List<String> names = new ArrayList<>(percentiles.keySet());
    List<Column> targets = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      Column k = ceil(lit(percentiles.get(names.get(i))).multiply(col(TOTAL)));
      Column before = coalesce(col(BEFORE), lit(0L));
      targets.add(when(k.gt(before).and(k.leq(before.plus(col(COUNT)))),
          struct(lit(i).as(WHICH), k.minus(before).as(RANK))));
    }
    // Few rows (at most one per group and percentile), under names of their own: broadcast, so only the
    // wanted bins' rows move, and no column of the join with the rows they came from is ambiguous.
    Dataset<Row> wanted = broadcast(running
        .select(col(GROUP).as(W_GROUP), col(BIN).as(W_BIN), explode(array(targets.toArray(Column[]::new))).as("_t"))
        .where(col("_t").isNotNull())
        .select(col(W_GROUP), col(W_BIN), col("_t." + WHICH).as(WHICH), col("_t." + RANK).as(W_RANK)));
    // A row of a bin two percentiles fall in is there once per percentile, ranked apart.
    Dataset<Row> picked = values.withColumn(BIN, bin)
        .join(wanted, col(GROUP).eqNullSafe(col(W_GROUP)).and(col(BIN).equalTo(col(W_BIN))), "inner")
        .withColumn(RANK, row_number().over(Window.partitionBy(col(GROUP), col(BIN), col(WHICH)).orderBy(col(VALUE))))
        .where(col(RANK).equalTo(col(W_RANK)));
    List<Column> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      out.add(max(when(col(WHICH).equalTo(i), col(VALUE))).as(names.get(i)));
    }
    return picked.groupBy(col(GROUP)).agg(out.get(0), out.subList(1, out.size()).toArray(Column[]::new));
  }
}
