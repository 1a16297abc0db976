package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.tables.ChurnRatesTable;
import io.lifecycle.tables.Columns;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Customer flow per calendar period from activity spells: a spell starting in a period is an
 * acquisition (the customer's first spell) or a reactivation (a later one); a spell whose churn date
 * falls in a period is a churn. Customers at the start of a period are the starts minus the churns of
 * all earlier periods, so start + acquired + reactivated - churned = end holds in every period and the
 * end of one period is the start of the next. Everything is aggregated per period before the running
 * sums, so the windows run over a few hundred rows, not over customers.
 */
public final class ChurnRates {
  private final CustomerActivity activity;
  private final boolean byChannel;

  public ChurnRates(CustomerActivity activity, boolean byChannel) {
    this.activity = activity;
    this.byChannel = byChannel;
  }

  public Dataset<Row> compute(Dataset<Row> events, LocalDate runDate) {
    return compute(activity.spells(events, runDate.minusDays(1)), activity.customers(events), runDate);
  }

  /**
   * From the customers' spells as of the day before the run date and their cohorts ({@link
   * CustomerActivity#spells}, {@link CustomerActivity#customers}), which the other cohort tables share.
   */
  public Dataset<Row> compute(Dataset<Row> customerSpells, Dataset<Row> customers, LocalDate runDate) {
    LocalDate lastDay = runDate.minusDays(1);
    // Read by six flows below: computed once (one row per customer spell).
    Dataset<Row> spells = customerSpells
        .join(customers.withColumnRenamed(CustomerActivity.COHORT, "_cohort"), Columns.CUSTOMER_ID, "left")
        .localCheckpoint();
    Column segmentCohort = coalesce(date_format(col("_cohort"), "yyyy-MM-dd"), lit("none"));
    Column segmentChannel = coalesce(col(CustomerActivity.CHANNEL), lit(CustomerActivity.UNKNOWN_CHANNEL));
    Dataset<Row> flows = flows(spells, lit("overall"), lit("all"))
        .unionByName(flows(spells, lit("cohort"), segmentCohort));
    if (byChannel) {
      flows = flows.unionByName(flows(spells, lit("channel"), segmentChannel));
    }
    // Periods from the first one with a start to the current one: every period appears, even a quiet one.
    Date current = Date.valueOf(activity.periodOf(lastDay));
    Dataset<Row> firstPeriods = flows.groupBy(ChurnRatesTable.SEGMENT_TYPE, ChurnRatesTable.SEGMENT).agg(min(ChurnRatesTable.PERIOD).as("_first"));
    Column step = activity.offset(col("_first"), lit(current));
    Dataset<Row> grid = firstPeriods.withColumn("_k", explode(sequence(lit(0), step)))
        .withColumn(ChurnRatesTable.PERIOD, periodPlus(col("_first"), col("_k")))
        .select(ChurnRatesTable.SEGMENT_TYPE, ChurnRatesTable.SEGMENT, ChurnRatesTable.PERIOD);
    Dataset<Row> perPeriod = grid.join(flows.groupBy(ChurnRatesTable.SEGMENT_TYPE, ChurnRatesTable.SEGMENT, ChurnRatesTable.PERIOD)
                .agg(sum(ChurnRatesTable.ACQUIRED).as(ChurnRatesTable.ACQUIRED), sum(ChurnRatesTable.REACTIVATED).as(ChurnRatesTable.REACTIVATED),
                    sum(ChurnRatesTable.CHURNED).as(ChurnRatesTable.CHURNED)),
            new String[] {ChurnRatesTable.SEGMENT_TYPE, ChurnRatesTable.SEGMENT, ChurnRatesTable.PERIOD}, "left")
        .na().fill(0L, new String[] {ChurnRatesTable.ACQUIRED, ChurnRatesTable.REACTIVATED, ChurnRatesTable.CHURNED});
    WindowSpec before = Window.partitionBy(ChurnRatesTable.SEGMENT_TYPE, ChurnRatesTable.SEGMENT).orderBy(ChurnRatesTable.PERIOD)
        .rowsBetween(Window.unboundedPreceding(), -1);
    Column net = col(ChurnRatesTable.ACQUIRED).plus(col(ChurnRatesTable.REACTIVATED)).minus(col(ChurnRatesTable.CHURNED));
    Column atStart = coalesce(sum(net).over(before), lit(0L));
    Column churnRate = when(col(ChurnRatesTable.AT_START).gt(0), col(ChurnRatesTable.CHURNED).divide(col(ChurnRatesTable.AT_START)));
    return perPeriod.withColumn(ChurnRatesTable.AT_START, atStart.cast("long"))
        .select(
            lit(Date.valueOf(runDate)).as(Columns.RUN_DATE),
            col(ChurnRatesTable.SEGMENT_TYPE), col(ChurnRatesTable.SEGMENT), col(ChurnRatesTable.PERIOD),
            col(ChurnRatesTable.AT_START),
            col(ChurnRatesTable.ACQUIRED).cast("long").as(ChurnRatesTable.ACQUIRED),
            col(ChurnRatesTable.REACTIVATED).cast("long").as(ChurnRatesTable.REACTIVATED),
            col(ChurnRatesTable.CHURNED).cast("long").as(ChurnRatesTable.CHURNED),
            col(ChurnRatesTable.AT_START).plus(net).cast("long").as(ChurnRatesTable.AT_END),
            churnRate.as(ChurnRatesTable.CHURN_RATE),
            lit(1.0).minus(churnRate).as(ChurnRatesTable.RETENTION_RATE),
            col(ChurnRatesTable.PERIOD).lt(lit(Date.valueOf(activity.periodOf(runDate)))).as(ChurnRatesTable.PERIOD_COMPLETE));
  }

  /** Starts and churns of spells per period for one segmentation. */
  private Dataset<Row> flows(Dataset<Row> spells, Column segmentType, Column segment) {
    Dataset<Row> starts = spells.select(segmentType.as(ChurnRatesTable.SEGMENT_TYPE), segment.as(ChurnRatesTable.SEGMENT),
        activity.period(col(CustomerActivity.SPELL_START)).as(ChurnRatesTable.PERIOD),
        when(col(CustomerActivity.FIRST_SPELL), 1L).otherwise(0L).as(ChurnRatesTable.ACQUIRED),
        when(col(CustomerActivity.FIRST_SPELL), 0L).otherwise(1L).as(ChurnRatesTable.REACTIVATED),
        lit(0L).as(ChurnRatesTable.CHURNED));
    Dataset<Row> churns = spells.where(col(CustomerActivity.CHURN_DATE).isNotNull())
        .select(segmentType.as(ChurnRatesTable.SEGMENT_TYPE), segment.as(ChurnRatesTable.SEGMENT),
            activity.period(col(CustomerActivity.CHURN_DATE)).as(ChurnRatesTable.PERIOD),
            lit(0L).as(ChurnRatesTable.ACQUIRED), lit(0L).as(ChurnRatesTable.REACTIVATED), lit(1L).as(ChurnRatesTable.CHURNED));
    return starts.unionByName(churns);
  }

  private Column periodPlus(Column start, Column k) {
    return activity.isMonthly() ? add_months(start, k) : date_add(start, k.multiply(7));
  }

}
