package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig.Cohorts.Bracket;
import io.lifecycle.tables.CohortRetentionTable;
import io.lifecycle.tables.Columns;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Bracket retention ({@code cohorts.brackets}): per cohort, channel and range of days since each
 * customer's own first day, the customers active on at least one day of the range. The period modes
 * compare customers acquired on the 1st and on the 31st of a month at different ages in the same cell;
 * brackets compare every customer at the same age, which is what "came back in days 2 to 7" means.
 * The rows are {@code cohort_retention}'s, with retention_mode {@value #MODE}, the range in {@code
 * bracket} and its index as {@code period_offset}.
 */
public final class RetentionBrackets {
  /** The retention_mode of bracket rows. */
  public static final String MODE = CohortRetentionTable.BRACKET_MODE;

  private final CustomerActivity activity;
  private final boolean byChannel;
  private final List<Bracket> brackets;

  public RetentionBrackets(CustomerActivity activity, boolean byChannel, List<Bracket> brackets) {
    if (brackets.isEmpty()) {
      throw new IllegalArgumentException("no brackets");
    }
    this.activity = activity;
    this.byChannel = byChannel;
    this.brackets = List.copyOf(brackets);
  }

  /**
   * The bracket cells of the customers' days ({@link CustomerActivity#days}): every bracket of every
   * cohort (0 where nobody was active in it), the revenue of the bracket's days, and whether every
   * customer of the cohort had lived through the bracket by the run date. One aggregation per customer
   * (a column per bracket), then one per cohort and segment (channel, breakdown value).
   */
  public Dataset<Row> observedOf(Dataset<Row> days, LocalDate runDate) {
    Column age = datediff(col(CustomerActivity.ACTIVE_DAY), col(CustomerActivity.FIRST_DAY));
    List<Column> perCustomer = new ArrayList<>();
    for (int i = 0; i < brackets.size(); i++) {
      Column in = age.between(brackets.get(i).from(), brackets.get(i).to());
      perCustomer.add(max(in.and(col(CustomerActivity.ACTIVE))).as("_active" + i));
      perCustomer.add(sum(when(in, col(CustomerActivity.REVENUE))).as("_revenue" + i));
    }
    Dataset<Row> customers = days.where(col(CustomerActivity.COHORT).isNotNull())
        .groupBy(activity.withBreakdowns(col(Columns.CUSTOMER_ID), col(CustomerActivity.COHORT), col(CustomerActivity.CHANNEL)))
        .agg(perCustomer.get(0), perCustomer.subList(1, perCustomer.size()).toArray(Column[]::new))
        .withColumn("_segment", explode(array(activity.retentionSegments(byChannel).toArray(Column[]::new))))
        .withColumn(CustomerActivity.CHANNEL, col("_segment." + CustomerActivity.CHANNEL))
        .withColumn(Columns.BREAKDOWN, col("_segment." + Columns.BREAKDOWN))
        .withColumn(Columns.BREAKDOWN_VALUE, col("_segment." + Columns.BREAKDOWN_VALUE));
    List<Column> perCohort = new ArrayList<>();
    List<Column> cells = new ArrayList<>();
    for (int i = 0; i < brackets.size(); i++) {
      perCohort.add(sum(when(col("_active" + i), 1L).otherwise(0L)).as("_active" + i));
      perCohort.add(coalesce(sum(col("_revenue" + i)).cast("double"), lit(0.0)).as("_revenue" + i));
      cells.add(struct(lit(i).as(CohortRetentionTable.OFFSET), lit(brackets.get(i).label()).as(CohortRetentionTable.BRACKET),
          lit(brackets.get(i).to()).as("_to"), col("_active" + i).as(CohortRetentionTable.ACTIVE), col("_revenue" + i).as(CohortRetentionTable.REVENUE)));
    }
    Column size = col(CohortRetentionTable.COHORT_SIZE);
    Column revenue = col("_cell." + CohortRetentionTable.REVENUE);
    // Every customer of the cohort has lived through the bracket when the cohort's last possible first day
    // plus the bracket's end is before the run date.
    Column complete = date_add(activity.plusPeriods(col(CustomerActivity.COHORT), lit(1)), col("_cell._to"))
        .leq(lit(Date.valueOf(runDate)));
    return customers.groupBy(col(CustomerActivity.COHORT), col(CustomerActivity.CHANNEL), col(Columns.BREAKDOWN),
            col(Columns.BREAKDOWN_VALUE))
        .agg(count(lit(1)).as(CohortRetentionTable.COHORT_SIZE), perCohort.toArray(Column[]::new))
        .withColumn("_cell", explode(array(cells.toArray(Column[]::new))))
        .select(
            lit(Date.valueOf(runDate)).as(Columns.RUN_DATE),
            lit(MODE).as(CohortRetentionTable.RETENTION_MODE),
            col("_cell." + CohortRetentionTable.BRACKET).as(CohortRetentionTable.BRACKET),
            col(CustomerActivity.COHORT).as(CohortRetentionTable.COHORT),
            col(CustomerActivity.CHANNEL).as(CohortRetentionTable.CHANNEL),
            col(Columns.BREAKDOWN),
            col(Columns.BREAKDOWN_VALUE),
            col("_cell." + CohortRetentionTable.OFFSET).as(CohortRetentionTable.OFFSET),
            size,
            col("_cell." + CohortRetentionTable.ACTIVE).as(CohortRetentionTable.ACTIVE),
            col("_cell." + CohortRetentionTable.ACTIVE).divide(size).as(CohortRetentionTable.RETENTION),
            revenue.as(CohortRetentionTable.REVENUE),
            revenue.divide(size).as(CohortRetentionTable.REVENUE_PER_CUSTOMER),
            sum(revenue).over(Window.partitionBy(CustomerActivity.COHORT, CustomerActivity.CHANNEL, Columns.BREAKDOWN,
                        Columns.BREAKDOWN_VALUE)
                    .orderBy(col("_cell." + CohortRetentionTable.OFFSET)).rowsBetween(Window.unboundedPreceding(), Window.currentRow()))
                .divide(size).as(CohortRetentionTable.CUMULATIVE_REVENUE_PER_CUSTOMER),
            complete.as(CohortRetentionTable.PERIOD_COMPLETE),
            lit(false).as(CohortRetentionTable.PROJECTED));
  }
}
