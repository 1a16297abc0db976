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
    return ofSpells(activity.spellsOf(activity.days(events, byChannel), runDate.minusDays(1)), runDate);
  }

  /**
   * From the customers' spells as of the day before the run date ({@link CustomerActivity#spellsOf}, with
   * the channel when configured), which the survival table shares. The spells are read once: each
   * spell's start and churn are counted per (cohort, channel, breakdown values, period) in one
   * aggregation, the segmentations (overall, cohort, channel, each breakdown) are sums of those rows,
   * and each segment's flows are gathered into one map so that its grid of periods is a lookup, not a
   * join (which would read the flows twice).
   */
  public Dataset<Row> ofSpells(Dataset<Row> spells, LocalDate runDate) {
    LocalDate lastDay = runDate.minusDays(1);
    Column first = col(CustomerActivity.FIRST_SPELL);
    Column start = struct(activity.period(col(CustomerActivity.SPELL_START)).as(ChurnRatesTable.PERIOD),
        when(first, 1L).otherwise(0L).as(ChurnRatesTable.ACQUIRED), when(first, 0L).otherwise(1L).as(ChurnRatesTable.REACTIVATED),
        lit(0L).as(ChurnRatesTable.CHURNED));
    Column churn = when(col(CustomerActivity.CHURN_DATE).isNotNull(),
        struct(activity.period(col(CustomerActivity.CHURN_DATE)).as(ChurnRatesTable.PERIOD), lit(0L).as(ChurnRatesTable.ACQUIRED),
            lit(0L).as(ChurnRatesTable.REACTIVATED), lit(1L).as(ChurnRatesTable.CHURNED)));
    Column segmentCohort = coalesce(date_format(col(CustomerActivity.COHORT), "yyyy-MM-dd"), lit("none"));
    Column segmentChannel = coalesce(col(CustomerActivity.CHANNEL), lit(CustomerActivity.UNKNOWN_CHANNEL));
    List<Column> breakdowns = activity.breakdowns().columns();
    Dataset<Row> moves = spells
        .select(activity.withBreakdowns(segmentCohort.as("_cohort"), segmentChannel.as("_channel"),
            explode(array(start, churn)).as("_m")))
        .where(col("_m").isNotNull())
        .select(activity.withBreakdowns(col("_cohort"), col("_channel"), col("_m.*")));
    Dataset<Row> perCohort = sumFlows(moves, activity.withBreakdowns(col("_cohort"), col("_channel")));
    List<Column> segments = new ArrayList<>(List.of(
        struct(lit("overall").as(ChurnRatesTable.SEGMENT_TYPE), lit("all").as(ChurnRatesTable.SEGMENT)),
        struct(lit("cohort").as(ChurnRatesTable.SEGMENT_TYPE), col("_cohort").as(ChurnRatesTable.SEGMENT))));
    if (byChannel) {
      segments.add(struct(lit("channel").as(ChurnRatesTable.SEGMENT_TYPE), col("_channel").as(ChurnRatesTable.SEGMENT)));
    }
    // cohorts.breakdowns: the property's name as the segment type, its value as the segment.
    List<String> names = activity.breakdowns().names();
    for (int i = 0; i < names.size(); i++) {
      segments.add(struct(lit(names.get(i)).as(ChurnRatesTable.SEGMENT_TYPE), breakdowns.get(i).as(ChurnRatesTable.SEGMENT)));
    }
    Dataset<Row> flows = sumFlows(perCohort.withColumn("_s", explode(array(segments.toArray(Column[]::new)))),
        col("_s." + ChurnRatesTable.SEGMENT_TYPE).as(ChurnRatesTable.SEGMENT_TYPE), col("_s." + ChurnRatesTable.SEGMENT).as(ChurnRatesTable.SEGMENT));
    // Periods from the first one with a start to the current one: every period appears, even a quiet one.
    Date current = Date.valueOf(activity.periodOf(lastDay));
    Dataset<Row> perSegment = flows.groupBy(ChurnRatesTable.SEGMENT_TYPE, ChurnRatesTable.SEGMENT)
        .agg(min(ChurnRatesTable.PERIOD).as("_first"), map_from_entries(collect_list(struct(col(ChurnRatesTable.PERIOD),
            struct(col(ChurnRatesTable.ACQUIRED), col(ChurnRatesTable.REACTIVATED), col(ChurnRatesTable.CHURNED))))).as("_flows"));
    Column step = activity.offset(col("_first"), lit(current));
    Column cell = try_element_at(col("_flows"), col(ChurnRatesTable.PERIOD));
    Dataset<Row> perPeriod = perSegment.withColumn("_k", explode(sequence(lit(0), step)))
        .withColumn(ChurnRatesTable.PERIOD, periodPlus(col("_first"), col("_k")))
        .select(col(ChurnRatesTable.SEGMENT_TYPE), col(ChurnRatesTable.SEGMENT), col(ChurnRatesTable.PERIOD),
            coalesce(cell.getField(ChurnRatesTable.ACQUIRED), lit(0L)).as(ChurnRatesTable.ACQUIRED),
            coalesce(cell.getField(ChurnRatesTable.REACTIVATED), lit(0L)).as(ChurnRatesTable.REACTIVATED),
            coalesce(cell.getField(ChurnRatesTable.CHURNED), lit(0L)).as(ChurnRatesTable.CHURNED));
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

  /** Acquisitions, reactivations and churns summed per segment and period. */
  private static Dataset<Row> sumFlows(Dataset<Row> rows, Column... segment) {
    List<Column> keys = new ArrayList<>(List.of(segment));
    keys.add(col(ChurnRatesTable.PERIOD));
    return rows.groupBy(keys.toArray(Column[]::new))
        .agg(sum(ChurnRatesTable.ACQUIRED).as(ChurnRatesTable.ACQUIRED), sum(ChurnRatesTable.REACTIVATED).as(ChurnRatesTable.REACTIVATED),
            sum(ChurnRatesTable.CHURNED).as(ChurnRatesTable.CHURNED));
  }

  private Column periodPlus(Column start, Column k) {
    return activity.plusPeriods(start, k);
  }

}
