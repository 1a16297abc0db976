package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.tables.Columns;
import io.lifecycle.tables.LifecycleStatusTable;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Growth accounting: each customer's active periods classified as new (first), retained (also active
 * in the previous period) or resurrected (active before, not in the previous period); a customer active
 * in a period and not in the next is dormant in the next. One window over each customer's active
 * periods, then counts per period.
 */
public final class LifecycleStatus {
  private final CustomerActivity activity;

  public LifecycleStatus(CustomerActivity activity) {
    this.activity = activity;
  }

  public Dataset<Row> compute(Dataset<Row> events, LocalDate runDate) {
    return compute(events, activity.customers(events), runDate);
  }

  /** With the customers' cohorts ({@link CustomerActivity#customers}), which the other cohort tables share. */
  public Dataset<Row> compute(Dataset<Row> events, Dataset<Row> customers, LocalDate runDate) {
    Date current = Date.valueOf(activity.periodOf(runDate.minusDays(1)));
    Dataset<Row> active = activity.periods(events).where(col("active"))
        .join(customers.select(Columns.CUSTOMER_ID, CustomerActivity.COHORT), new String[] {Columns.CUSTOMER_ID}, "left");
    WindowSpec byCustomer = Window.partitionBy(Columns.CUSTOMER_ID).orderBy(CustomerActivity.PERIOD);
    Column period = col(CustomerActivity.PERIOD);
    Column prev = lag(period, 1).over(byCustomer);
    Column next = lead(period, 1).over(byCustomer);
    Column following = activity.isMonthly() ? add_months(period, 1) : date_add(period, 7);
    Dataset<Row> classified = active
        .withColumn("_status", when(prev.isNull(), "new")
            .when(activity.offset(prev, period).equalTo(1), "retained").otherwise("resurrected"))
        .withColumn("_dormant_in", when(next.isNull().or(activity.offset(period, next).gt(1)), following))
        .withColumn("_segment", coalesce(date_format(col(CustomerActivity.COHORT), "yyyy-MM-dd"), lit("none")));
    Dataset<Row> statuses = classified.select(col("_segment"), period.as("_p"), col("_status"))
        .unionByName(classified.where(col("_dormant_in").leq(lit(current)))
            .select(col("_segment"), col("_dormant_in").as("_p"), lit("dormant").as("_status")));
    Dataset<Row> overall = statuses.withColumn("_segment", lit("all"));
    Dataset<Row> counts = statuses.unionByName(overall).groupBy("_segment", "_p")
        .agg(sum(when(col("_status").equalTo("new"), 1L).otherwise(0L)).as(LifecycleStatusTable.NEW),
            sum(when(col("_status").equalTo("retained"), 1L).otherwise(0L)).as(LifecycleStatusTable.RETAINED),
            sum(when(col("_status").equalTo("resurrected"), 1L).otherwise(0L)).as(LifecycleStatusTable.RESURRECTED),
            sum(when(col("_status").equalTo("dormant"), 1L).otherwise(0L)).as(LifecycleStatusTable.DORMANT));
    Column growth = col(LifecycleStatusTable.NEW).plus(col(LifecycleStatusTable.RESURRECTED));
    return counts.select(
        lit(Date.valueOf(runDate)).as(Columns.RUN_DATE),
        col("_segment").as(LifecycleStatusTable.SEGMENT),
        col("_p").as(LifecycleStatusTable.PERIOD),
        col(LifecycleStatusTable.NEW), col(LifecycleStatusTable.RETAINED), col(LifecycleStatusTable.RESURRECTED),
        col(LifecycleStatusTable.DORMANT),
        growth.plus(col(LifecycleStatusTable.RETAINED)).as(LifecycleStatusTable.ACTIVE),
        when(col(LifecycleStatusTable.DORMANT).gt(0), growth.divide(col(LifecycleStatusTable.DORMANT))).as(LifecycleStatusTable.QUICK_RATIO));
  }
}
