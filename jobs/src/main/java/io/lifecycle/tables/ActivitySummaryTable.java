package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code activity_summary}: how sticky the active base is, per calendar week and month: the customers
 * active in the period, how many days each was active, and the average daily actives against them
 * (DAU/WAU, DAU/MAU).
 */
public final class ActivitySummaryTable {
  private ActivitySummaryTable() {}

  public static final String PERIOD_TYPE = "period_type";
  public static final String PERIOD = "period_start";
  public static final String PERIOD_DAYS = "period_days";
  public static final String PERIOD_COMPLETE = "period_complete";
  public static final String ACTIVE = "active_customers";
  public static final String CUSTOMER_DAYS = "customer_days";
  public static final String AVG_DAILY_ACTIVE = "avg_daily_active";
  public static final String STICKINESS = "stickiness";
  public static final String MEAN_ACTIVE_DAYS = "mean_active_days";
  public static final String DISTRIBUTION = "active_days_distribution";

  public static final String WEEK = "week";
  public static final String MONTH = "month";

  public static final TableDef DEF =
      TableDef.builder("activity_summary", "Stickiness per calendar week (Monday first) and month: customers active in the period, their active days, and average daily actives against them (DAU/WAU, DAU/MAU). Activity as cohorts.activity defines it.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date of the run.")
          .required(PERIOD_TYPE, DataTypes.StringType, "'week' or 'month'.")
          .required(PERIOD, DataTypes.DateType, "First day of the period.")
          .required(PERIOD_DAYS, DataTypes.IntegerType, "Days of the period observed: up to the day before the run date.")
          .required(PERIOD_COMPLETE, DataTypes.BooleanType, "Whether the whole period is observed.")
          .required(ACTIVE, DataTypes.LongType, "Customers active on at least one day of the period (WAU or MAU).")
          .required(CUSTOMER_DAYS, DataTypes.LongType, "Active days summed over the customers: the sum of the daily actives over the period's days.")
          .required(AVG_DAILY_ACTIVE, DataTypes.DoubleType, "Average daily active customers over the observed days: customer_days / period_days.")
          .required(STICKINESS, DataTypes.DoubleType, "avg_daily_active / active_customers (DAU/WAU for weeks, DAU/MAU for months): the share of the period's actives active on a typical day.")
          .required(MEAN_ACTIVE_DAYS, DataTypes.DoubleType, "Mean active days per active customer: customer_days / active_customers.")
          .required(DISTRIBUTION, DataTypes.createMapType(DataTypes.IntegerType, DataTypes.LongType), "Active days in the period -> customers with that many (sums to active_customers).")
          .build();
}
