package io.lifecycle.cohorts;

import io.lifecycle.spark.ExactSums;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.stats.ModelFit;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cohort matrix. Observed cells come from the customers' activity per period; offsets a cohort
 * cannot have reached by the run date are absent from the observation (the matrix is triangular) and
 * are filled by a shifted-beta-geometric projection (Fader and Hardie 2007) fitted per cohort, flagged
 * {@code is_projected}, so the matrix is complete and honest about what was seen.
 */
public final class CohortRetention {
  private static final Logger LOG = LoggerFactory.getLogger(CohortRetention.class);

  private final CustomerActivity activity;
  private final boolean byChannel;

  public CohortRetention(CustomerActivity activity, boolean byChannel) {
    this.activity = activity;
    this.byChannel = byChannel;
  }

  /** {@link #observedOf} the events' customer periods. */
  public Dataset<Row> observed(Dataset<Row> events, LocalDate runDate) {
    return observedOf(activity.periodsOf(activity.days(events, byChannel)), runDate);
  }

  /**
   * Observed cells: one row per cohort, channel ('all', or each channel when configured) and reached
   * offset, from the customers' periods ({@link CustomerActivity#periodsOf}, with the channel when
   * configured); cohort sizes are the customers' offset-0 rows (every customer has an event in their
   * cohort's period, active or not).
   */
  public Dataset<Row> observedOf(Dataset<Row> periods, LocalDate runDate) {
    Column currentPeriod = lit(Date.valueOf(activity.periodOf(runDate.minusDays(1))));
    Dataset<Row> rows = periods.where(col(CustomerActivity.PERIOD).geq(col(CustomerActivity.COHORT)));
    Dataset<Row> cells = cells(byChannel ? rows : rows.withColumn(CustomerActivity.CHANNEL, lit("all")), currentPeriod);
    return cells.select(
        lit(Date.valueOf(runDate)).as(Columns.RUN_DATE),
        col(CustomerActivity.COHORT).as(CohortRetentionTable.COHORT),
        col(CustomerActivity.CHANNEL).as(CohortRetentionTable.CHANNEL),
        col(CohortRetentionTable.OFFSET),
        col(CohortRetentionTable.COHORT_SIZE),
        col(CohortRetentionTable.ACTIVE),
        col(CohortRetentionTable.ACTIVE).divide(col(CohortRetentionTable.COHORT_SIZE)).as(CohortRetentionTable.RETENTION),
        col(CohortRetentionTable.REVENUE),
        col(CohortRetentionTable.REVENUE).divide(col(CohortRetentionTable.COHORT_SIZE)).as(CohortRetentionTable.REVENUE_PER_CUSTOMER),
        sum(col(CohortRetentionTable.REVENUE)).over(Window.partitionBy(CustomerActivity.COHORT, CustomerActivity.CHANNEL)
                .orderBy(CohortRetentionTable.OFFSET).rowsBetween(Window.unboundedPreceding(), Window.currentRow()))
            .divide(col(CohortRetentionTable.COHORT_SIZE)).as(CohortRetentionTable.CUMULATIVE_REVENUE_PER_CUSTOMER),
        // A period is complete when it ended before the run date (the run date's own period is partial).
        activity.offset(col(CustomerActivity.COHORT), lit(Date.valueOf(activity.periodOf(runDate))))
            .gt(col(CohortRetentionTable.OFFSET)).as(CohortRetentionTable.PERIOD_COMPLETE),
        lit(false).as(CohortRetentionTable.PROJECTED));
  }

  /**
   * The cells in one plan without self-joins (a branch that reads the aggregate twice would have Spark
   * compute it twice): customers, active customers and revenue per (cohort, channel, offset); with
   * channels, the 'all' rows are the channel rows summed; then each cohort's offsets are gathered into
   * one map so that the grid of every offset from 0 to the last one reached (a period without activity
   * is 0, not absent) is a lookup.
   */
  private Dataset<Row> cells(Dataset<Row> rows, Column currentPeriod) {
    Column cohort = col(CustomerActivity.COHORT);
    Dataset<Row> perOffset = rows
        .groupBy(cohort, col(CustomerActivity.CHANNEL), activity.offset(cohort, col(CustomerActivity.PERIOD)).as(CohortRetentionTable.OFFSET))
        .agg(count(lit(1)).as("_customers"), sum(when(col("active"), 1).otherwise(0)).cast("long").as(CohortRetentionTable.ACTIVE),
            ExactSums.sum(col("revenue")).as(CohortRetentionTable.REVENUE));
    if (byChannel) {
      perOffset = perOffset.withColumn(CustomerActivity.CHANNEL, explode(array(col(CustomerActivity.CHANNEL), lit("all"))))
          .groupBy(CustomerActivity.COHORT, CustomerActivity.CHANNEL, CohortRetentionTable.OFFSET)
          .agg(sum("_customers").as("_customers"), sum(CohortRetentionTable.ACTIVE).as(CohortRetentionTable.ACTIVE),
              ExactSums.sum(col(CohortRetentionTable.REVENUE)).as(CohortRetentionTable.REVENUE));
    }
    Dataset<Row> perCohort = perOffset.groupBy(cohort, col(CustomerActivity.CHANNEL))
        .agg(map_from_entries(collect_list(struct(col(CohortRetentionTable.OFFSET),
            struct(col("_customers"), col(CohortRetentionTable.ACTIVE), col(CohortRetentionTable.REVENUE))))).as("_cells"));
    Column cell = try_element_at(col("_cells"), col(CohortRetentionTable.OFFSET));
    // Every customer has a row at offset 0 (an event in the cohort's period): it holds the cohort's size.
    return perCohort.withColumn(CohortRetentionTable.OFFSET, explode(sequence(lit(0), activity.offset(cohort, currentPeriod))))
        .select(cohort, col(CustomerActivity.CHANNEL), col(CohortRetentionTable.OFFSET),
            try_element_at(col("_cells"), lit(0)).getField("_customers").as(CohortRetentionTable.COHORT_SIZE),
            coalesce(cell.getField(CohortRetentionTable.ACTIVE), lit(0L)).as(CohortRetentionTable.ACTIVE),
            coalesce(cell.getField(CohortRetentionTable.REVENUE), lit(0.0)).as(CohortRetentionTable.REVENUE));
  }

  /**
   * Projected cells for every cohort up to the oldest cohort's last offset. The sBG model is fitted on
   * the cohort's complete periods, on the running minimum of its active customers (the model describes
   * customers who leave for good; a count that rises again is held at its earlier low). Cohorts with
   * fewer than two complete periods after offset 0, or whose fit does not converge, get no projection.
   * The observed matrix is small (cohorts x offsets x channels), so it is fitted in the driver.
   */
  public Dataset<Row> projected(SparkSession spark, Dataset<Row> observed) {
    // Bounded: cohorts x channels x offsets (the observed matrix), never per customer. One job: the
    // last offsets (the matrix's, each cohort's) are taken here rather than by two more jobs.
    List<Row> cells = observed
        .select(Columns.RUN_DATE, CohortRetentionTable.COHORT, CohortRetentionTable.CHANNEL,
            CohortRetentionTable.OFFSET, CohortRetentionTable.COHORT_SIZE, CohortRetentionTable.ACTIVE,
            CohortRetentionTable.PERIOD_COMPLETE)
        .orderBy(CohortRetentionTable.COHORT, CohortRetentionTable.CHANNEL, CohortRetentionTable.OFFSET)
        .collectAsList();
    Integer maxOffset = null;
    Map<String, List<Row>> byCohort = new LinkedHashMap<>();
    Map<String, Integer> reached = new LinkedHashMap<>();
    for (Row r : cells) {
      String key = r.get(1) + "|" + r.get(2);
      int offset = r.getInt(3);
      maxOffset = maxOffset == null ? offset : Math.max(maxOffset, offset);
      reached.merge(key, offset, Math::max);
      if (r.getBoolean(6)) {
        byCohort.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
      }
    }
    List<Row> out = new ArrayList<>();
    for (Map.Entry<String, List<Row>> e : byCohort.entrySet()) {
      List<Row> rows = e.getValue();
      if (rows.size() < 3 || maxOffset == null) {
        continue;
      }
      long size = rows.get(0).getLong(4);
      double[] survivors = new double[rows.size()];
      double low = size;
      for (int t = 0; t < rows.size(); t++) {
        low = t == 0 ? size : Math.min(low, rows.get(t).getLong(5));
        survivors[t] = low;
      }
      ModelFit<ShiftedBetaGeometric> fit = ShiftedBetaGeometric.fit(survivors);
      if (!fit.converged() || fit.model() == null) {
        LOG.warn("sBG fit of cohort {} did not converge: no projection", e.getKey());
        continue;
      }
      Row first = rows.get(0);
      for (int k = reached.get(e.getKey()) + 1; k <= maxOffset; k++) {
        out.add(RowFactory.create(first.get(0), first.get(1), first.get(2), k, size, null,
            fit.model().survival(k), null, null, null, false, true));
      }
    }
    org.apache.spark.sql.types.StructType nullable = new org.apache.spark.sql.types.StructType(
        java.util.Arrays.stream(observed.schema().fields())
            .map(f -> new org.apache.spark.sql.types.StructField(f.name(), f.dataType(), true, f.metadata()))
            .toArray(org.apache.spark.sql.types.StructField[]::new));
    return spark.createDataFrame(out, nullable);
  }
}
