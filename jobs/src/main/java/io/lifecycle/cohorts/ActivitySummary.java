package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.tables.ActivitySummaryTable;
import io.lifecycle.tables.Columns;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code activity_summary}: stickiness per calendar week and month. The average daily actives of a period
 * are its customer-days over its days (the sum of the daily counts is the sum of each customer's active
 * days), so one aggregation of the customers' active days gives the actives, the distribution of active
 * days and the DAU/WAU and DAU/MAU ratios, with no per-day pass.
 */
public final class ActivitySummary {
  /** The column of the input's active days. */
  public static final String DAY = "_day";

  private ActivitySummary() {}

  /**
   * @param activeDays one row per customer and day with activity ({@code customer_id}, {@link #DAY}), days
   *     before the run date
   */
  public static Dataset<Row> compute(Dataset<Row> activeDays, LocalDate runDate) {
    Column lastDay = lit(Date.valueOf(runDate.minusDays(1)));
    Column day = col(DAY);
    Dataset<Row> inPeriods = activeDays.select(col(Columns.CUSTOMER_ID), explode(array(
            struct(lit(ActivitySummaryTable.WEEK).as("t"), to_date(date_trunc("week", day)).as("p")),
            struct(lit(ActivitySummaryTable.MONTH).as("t"), trunc(day, "month").as("p")))).as("_period"))
        .select(col(Columns.CUSTOMER_ID), col("_period.t").as(ActivitySummaryTable.PERIOD_TYPE),
            col("_period.p").as(ActivitySummaryTable.PERIOD));
    Dataset<Row> histogram = inPeriods
        .groupBy(ActivitySummaryTable.PERIOD_TYPE, ActivitySummaryTable.PERIOD, Columns.CUSTOMER_ID)
        .agg(count(lit(1)).cast("int").as("_days"))
        .groupBy(ActivitySummaryTable.PERIOD_TYPE, ActivitySummaryTable.PERIOD, "_days")
        .agg(count(lit(1)).as("_customers"));
    // At most 31 entries per period: the distribution is collected per period, bounded by design.
    Dataset<Row> perPeriod = histogram.groupBy(ActivitySummaryTable.PERIOD_TYPE, ActivitySummaryTable.PERIOD)
        .agg(sum("_customers").as(ActivitySummaryTable.ACTIVE),
            sum(col("_days").multiply(col("_customers"))).as(ActivitySummaryTable.CUSTOMER_DAYS),
            map_from_entries(array_sort(collect_list(struct(col("_days"), col("_customers"))))).as(ActivitySummaryTable.DISTRIBUTION));
    Column start = col(ActivitySummaryTable.PERIOD);
    Column end = when(col(ActivitySummaryTable.PERIOD_TYPE).equalTo(ActivitySummaryTable.WEEK), date_add(start, 6))
        .otherwise(last_day(start));
    Column observedDays = datediff(least(end, lastDay), start).plus(1);
    Column customerDays = col(ActivitySummaryTable.CUSTOMER_DAYS);
    Column average = customerDays.divide(col(ActivitySummaryTable.PERIOD_DAYS));
    return perPeriod
        .withColumn(ActivitySummaryTable.PERIOD_DAYS, observedDays)
        .select(
            lit(Date.valueOf(runDate)).as(Columns.RUN_DATE),
            col(ActivitySummaryTable.PERIOD_TYPE),
            start,
            col(ActivitySummaryTable.PERIOD_DAYS),
            end.leq(lastDay).as(ActivitySummaryTable.PERIOD_COMPLETE),
            col(ActivitySummaryTable.ACTIVE),
            customerDays,
            average.as(ActivitySummaryTable.AVG_DAILY_ACTIVE),
            average.divide(col(ActivitySummaryTable.ACTIVE)).as(ActivitySummaryTable.STICKINESS),
            customerDays.divide(col(ActivitySummaryTable.ACTIVE)).as(ActivitySummaryTable.MEAN_ACTIVE_DAYS),
            col(ActivitySummaryTable.DISTRIBUTION));
  }
}
