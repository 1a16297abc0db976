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
    return ofPeriods(activity.periodsOf(activity.days(events, false)), runDate);
  }

  /**
   * From the customers' periods ({@link CustomerActivity#periodsOf}), which the retention matrix shares.
   * Each active period gives its status and, when the next active period is not the following one, a
   * dormant row for the following one; each counted in its cohort and in 'all': one pass, no union
   * reading the periods twice.
   */
  public Dataset<Row> ofPeriods(Dataset<Row> periods, LocalDate runDate) {
    Date current = Date.valueOf(activity.periodOf(runDate.minusDays(1)));
    Dataset<Row> active = periods.where(col(CustomerActivity.ACTIVE));
    WindowSpec byCustomer = Window.partitionBy(Columns.CUSTOMER_ID).orderBy(CustomerActivity.PERIOD);
    Column period = col(CustomerActivity.PERIOD);
    Column prev = lag(period, 1).over(byCustomer);
    Column next = lead(period, 1).over(byCustomer);
    Column following = activity.plusPeriods(period, lit(1));
    Dataset<Row> classified = active
        .withColumn("_status", when(prev.isNull(), "new")
            .when(activity.offset(prev, period).equalTo(1), "retained").otherwise("resurrected"))
        .withColumn("_dormant_in", when(next.isNull().or(activity.offset(period, next).gt(1)), following))
        .withColumn("_segment", coalesce(date_format(col(CustomerActivity.COHORT), "yyyy-MM-dd"), lit("none")));
    Column status = struct(period.as("_p"), col("_status"));
    Column dormant = when(col("_dormant_in").leq(lit(current)), struct(col("_dormant_in").as("_p"), lit("dormant").as("_status")));
    Dataset<Row> statuses = classified
        .select(col("_segment"), explode(array(status, dormant)).as("_s"))
        .where(col("_s").isNotNull())
        .select(explode(array(col("_segment"), lit("all"))).as("_segment"), col("_s._p").as("_p"), col("_s._status").as("_status"));
    Dataset<Row> counts = statuses.groupBy("_segment", "_p")
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
