package io.lifecycle.cohorts;

import io.lifecycle.spark.ExactSums;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig.Cohorts.Projection;
import io.lifecycle.config.LifecycleConfig.Cohorts.RetentionMode;
import io.lifecycle.stats.ShiftedBetaGeometric;
import io.lifecycle.tables.CohortRetentionTable;
import io.lifecycle.tables.Columns;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The cohort matrix. Observed cells come from the customers' activity per period; offsets a cohort
 * cannot have reached by the run date are absent from the observation (the matrix is triangular) and
 * are filled by a shifted-beta-geometric projection (Fader and Hardie 2007) fitted per cohort, young
 * cohorts borrowing the older ones' shape ({@link RetentionProjection}), flagged {@code is_projected},
 * so the matrix is complete and honest about what was seen.
 */
public final class CohortRetention {
  /** Customers whose last active period is at this offset or a later one (the 'on_or_after' count). */
  private static final String ACTIVE_LATER = "_active_later";

  private final CustomerActivity activity;
  private final boolean byChannel;
  private final List<RetentionMode> modes;

  /** The matrix with every retention mode of cohorts.retention_modes. */
  public CohortRetention(CustomerActivity activity, boolean byChannel) {
    this(activity, byChannel, activity.retentionModes());
  }

  public CohortRetention(CustomerActivity activity, boolean byChannel, List<RetentionMode> modes) {
    this.activity = activity;
    this.byChannel = byChannel;
    this.modes = List.copyOf(modes);
  }

  /** {@link #observedOf} the events' customer periods. */
  public Dataset<Row> observed(Dataset<Row> events, LocalDate runDate) {
    return observedOf(activity.periodsOf(activity.days(events, byChannel)), runDate);
  }

  /**
   * Observed cells: one row per retention mode, cohort, channel ('all', or each channel when configured)
   * and reached offset, from the customers' periods ({@link CustomerActivity#periodsOf}, with the channel
   * when configured); cohort sizes are the customers' offset-0 rows (every customer has an event in their
   * cohort's period, active or not). The modes' rows come from one pass over the cells: 'on' counts the
   * customers active in the period, 'on_or_after' those whose last active period is this one or later.
   * Revenue is the period's whatever the mode.
   */
  public Dataset<Row> observedOf(Dataset<Row> periods, LocalDate runDate) {
    Column currentPeriod = lit(Date.valueOf(activity.periodOf(runDate.minusDays(1))));
    Dataset<Row> rows = periods.where(col(CustomerActivity.PERIOD).geq(col(CustomerActivity.COHORT)));
    Dataset<Row> cells = cells(byChannel ? rows : rows.withColumn(CustomerActivity.CHANNEL, lit("all")), currentPeriod);
    Column byMode = explode(array(modes.stream().map(m -> struct(lit(m.code()).as("mode"),
        col(m == RetentionMode.ON ? CohortRetentionTable.ACTIVE : ACTIVE_LATER).as("active"))).toArray(Column[]::new)));
    Column active = col("_mode.active");
    return cells.withColumn("_mode", byMode).select(
        lit(Date.valueOf(runDate)).as(Columns.RUN_DATE),
        col("_mode.mode").as(CohortRetentionTable.RETENTION_MODE),
        lit(null).cast("string").as(CohortRetentionTable.BRACKET),
        col(CustomerActivity.COHORT).as(CohortRetentionTable.COHORT),
        col(CustomerActivity.CHANNEL).as(CohortRetentionTable.CHANNEL),
        col(Columns.BREAKDOWN),
        col(Columns.BREAKDOWN_VALUE),
        col(CohortRetentionTable.OFFSET),
        col(CohortRetentionTable.COHORT_SIZE),
        active.as(CohortRetentionTable.ACTIVE),
        active.divide(col(CohortRetentionTable.COHORT_SIZE)).as(CohortRetentionTable.RETENTION),
        col(CohortRetentionTable.REVENUE),
        col(CohortRetentionTable.REVENUE).divide(col(CohortRetentionTable.COHORT_SIZE)).as(CohortRetentionTable.REVENUE_PER_CUSTOMER),
        col("_cumulative_revenue").divide(col(CohortRetentionTable.COHORT_SIZE)).as(CohortRetentionTable.CUMULATIVE_REVENUE_PER_CUSTOMER),
        // A period is complete when it ended before the run date (the run date's own period is partial).
        activity.offset(col(CustomerActivity.COHORT), lit(Date.valueOf(activity.periodOf(runDate))))
            .gt(col(CohortRetentionTable.OFFSET)).as(CohortRetentionTable.PERIOD_COMPLETE),
        lit(false).as(CohortRetentionTable.PROJECTED));
  }

  /**
   * The cells in one plan without self-joins (a branch that reads the aggregate twice would have Spark
   * compute it twice): customers, active customers, customers last active there (for 'on_or_after',
   * summed over the later offsets) and revenue per (cohort, channel, offset); with
   * channels, the 'all' rows are the channel rows summed; then each cohort's offsets are gathered into
   * one map so that the grid of every offset from 0 to the last one reached (a period without activity
   * is 0, not absent) is a lookup.
   */
  private Dataset<Row> cells(Dataset<Row> rows, Column currentPeriod) {
    Column cohort = col(CustomerActivity.COHORT);
    Column offset = activity.offset(cohort, col(CustomerActivity.PERIOD));
    boolean later = modes.contains(RetentionMode.ON_OR_AFTER);
    if (later) {
      // The customer's last active period, marked on its row: one window over each customer's periods.
      Column lastActive = max(when(col("active"), offset)).over(Window.partitionBy(Columns.CUSTOMER_ID));
      rows = rows.withColumn("_last", coalesce(offset.equalTo(lastActive), lit(false)));
    } else {
      rows = rows.withColumn("_last", lit(false));
    }
    Column[] fine = activity.withBreakdowns(cohort, col(CustomerActivity.CHANNEL), offset.as(CohortRetentionTable.OFFSET));
    Dataset<Row> perOffset = rows
        .groupBy(fine)
        .agg(count(lit(1)).as("_customers"), sum(when(col("active"), 1).otherwise(0)).cast("long").as(CohortRetentionTable.ACTIVE),
            sum(when(col("_last"), 1).otherwise(0)).cast("long").as("_last"),
            ExactSums.sum(col("revenue")).as(CohortRetentionTable.REVENUE));
    List<Column> segments = activity.retentionSegments(byChannel);
    if (segments.size() > 1) {
      perOffset = perOffset.withColumn("_segment", explode(array(segments.toArray(Column[]::new))))
          .groupBy(col(CustomerActivity.COHORT), col("_segment." + CustomerActivity.CHANNEL).as(CustomerActivity.CHANNEL),
              col("_segment." + Columns.BREAKDOWN).as(Columns.BREAKDOWN),
              col("_segment." + Columns.BREAKDOWN_VALUE).as(Columns.BREAKDOWN_VALUE), col(CohortRetentionTable.OFFSET))
          .agg(sum("_customers").as("_customers"), sum(CohortRetentionTable.ACTIVE).as(CohortRetentionTable.ACTIVE),
              sum("_last").as("_last"), ExactSums.sum(col(CohortRetentionTable.REVENUE)).as(CohortRetentionTable.REVENUE));
    } else {
      perOffset = perOffset.withColumn(Columns.BREAKDOWN, lit(Columns.ALL_BREAKDOWNS))
          .withColumn(Columns.BREAKDOWN_VALUE, lit(CohortRetentionTable.ALL_CHANNELS));
    }
    Dataset<Row> perCohort = perOffset.groupBy(cohort, col(CustomerActivity.CHANNEL), col(Columns.BREAKDOWN), col(Columns.BREAKDOWN_VALUE))
        .agg(map_from_entries(collect_list(struct(col(CohortRetentionTable.OFFSET),
            struct(col("_customers"), col(CohortRetentionTable.ACTIVE), col("_last"), col(CohortRetentionTable.REVENUE))))).as("_cells"));
    Column cell = try_element_at(col("_cells"), col(CohortRetentionTable.OFFSET));
    WindowSpec cohortOffsets = Window.partitionBy(CustomerActivity.COHORT, CustomerActivity.CHANNEL, Columns.BREAKDOWN,
        Columns.BREAKDOWN_VALUE).orderBy(CohortRetentionTable.OFFSET);
    // Every customer has a row at offset 0 (an event in the cohort's period): it holds the cohort's size.
    return perCohort.withColumn(CohortRetentionTable.OFFSET, explode(sequence(lit(0), activity.offset(cohort, currentPeriod))))
        .select(cohort, col(CustomerActivity.CHANNEL), col(Columns.BREAKDOWN), col(Columns.BREAKDOWN_VALUE),
            col(CohortRetentionTable.OFFSET),
            try_element_at(col("_cells"), lit(0)).getField("_customers").as(CohortRetentionTable.COHORT_SIZE),
            coalesce(cell.getField(CohortRetentionTable.ACTIVE), lit(0L)).as(CohortRetentionTable.ACTIVE),
            coalesce(cell.getField("_last"), lit(0L)).as("_last"),
            coalesce(cell.getField(CohortRetentionTable.REVENUE), lit(0.0)).as(CohortRetentionTable.REVENUE))
        .select(col("*"),
            sum(col("_last")).over(cohortOffsets.rowsBetween(Window.currentRow(), Window.unboundedFollowing())).as(ACTIVE_LATER),
            sum(col(CohortRetentionTable.REVENUE)).over(cohortOffsets.rowsBetween(Window.unboundedPreceding(), Window.currentRow()))
                .as("_cumulative_revenue"));
  }

  /**
   * Projected cells for every cohort up to the oldest cohort's last offset, from sBG curves fitted on the
   * cohorts' complete periods ({@link RetentionProjection}): with {@link Projection#POOLED} each
   * segment's (channel's, breakdown value's) cohorts share an empirical-Bayes prior, so a young cohort
   * borrows the older ones' shape and even a cohort with no complete period after its first is projected (with the pooled curve);
   * with {@link Projection#PER_COHORT} a cohort with fewer than two complete periods after offset 0,
   * or whose fit does not converge, gets no projection. The observed matrix is small (cohorts x offsets
   * x segments), so it is fitted in the driver.
   */
  public Dataset<Row> projected(SparkSession spark, Dataset<Row> observed, Projection method) {
    if (!modes.contains(RetentionMode.ON)) {
      return spark.createDataFrame(List.of(), nullable(observed));
    }
    // One job: the last offsets (the matrix's, each cohort's) are taken here rather than by two more jobs.
    Dataset<Row> on = observed.where(col(CohortRetentionTable.RETENTION_MODE).equalTo(RetentionMode.ON.code()))
        .select(Columns.RUN_DATE, CohortRetentionTable.COHORT, CohortRetentionTable.CHANNEL,
            CohortRetentionTable.OFFSET, CohortRetentionTable.COHORT_SIZE, CohortRetentionTable.ACTIVE,
            CohortRetentionTable.PERIOD_COMPLETE, Columns.BREAKDOWN, Columns.BREAKDOWN_VALUE);
    // Bounded: cohorts x segments x offsets (the observed matrix; segments at most 1 + the channels + 10
    // breakdowns x 1,002 values), never per customer.
    List<Row> cells = on.orderBy(CohortRetentionTable.COHORT, CohortRetentionTable.CHANNEL, Columns.BREAKDOWN,
        Columns.BREAKDOWN_VALUE, CohortRetentionTable.OFFSET).collectAsList();
    int maxOffset = -1;
    // Per segment (channel, breakdown and value), per cohort: its size, then the actives of its complete
    // offsets after 0. A segment's cohorts share the pooled prior.
    Map<Object, Map<Cohort, List<Double>>> groups = new LinkedHashMap<>();
    Map<Cohort, Integer> reached = new LinkedHashMap<>();
    for (Row r : cells) {
      int offset = r.getInt(3);
      maxOffset = Math.max(maxOffset, offset);
      Cohort cohort = new Cohort(r.get(0), r.get(1), r.get(2), r.get(7), r.get(8), r.getLong(4));
      reached.merge(cohort, offset, Math::max);
      List<Object> segment = java.util.Arrays.asList(cohort.channel(), cohort.breakdown(), cohort.value());
      List<Double> counts = groups.computeIfAbsent(segment, k -> new LinkedHashMap<>())
          .computeIfAbsent(cohort, k -> new ArrayList<>(List.of((double) k.size())));
      // Complete periods are a prefix of the offsets: only the latest one can be partial.
      if (offset > 0 && r.getBoolean(6)) {
        counts.add((double) r.getLong(5));
      }
    }
    List<Row> out = new ArrayList<>();
    for (Map<Cohort, List<Double>> group : groups.values()) {
      Map<Cohort, double[]> counts = new LinkedHashMap<>();
      group.forEach((cohort, c) -> counts.put(cohort, c.stream().mapToDouble(Double::doubleValue).toArray()));
      for (Map.Entry<Cohort, ShiftedBetaGeometric> e : RetentionProjection.curves(counts, method).entrySet()) {
        Cohort c = e.getKey();
        for (int k = reached.get(c) + 1; k <= maxOffset; k++) {
          out.add(RowFactory.create(c.runDate(), RetentionMode.ON.code(), null, c.cohort(), c.channel(), c.breakdown(), c.value(),
              k, c.size(), null, e.getValue().survival(k), null, null, null, false, true));
        }
      }
    }
    return spark.createDataFrame(out, nullable(observed));
  }

  private static StructType nullable(Dataset<Row> observed) {
    return new StructType(java.util.Arrays.stream(observed.schema().fields())
        .map(f -> new StructField(f.name(), f.dataType(), true, f.metadata()))
        .toArray(StructField[]::new));
  }

  /** A cohort of the observed matrix, as its rows name it. */
  private record Cohort(Object runDate, Object cohort, Object channel, Object breakdown, Object value, long size) {}
}
