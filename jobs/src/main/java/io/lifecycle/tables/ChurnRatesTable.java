package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code churn_rates}: customer flow per calendar period, overall and per cohort and channel. */
public final class ChurnRatesTable {
  private ChurnRatesTable() {}

  public static final String SEGMENT_TYPE = "segment_type";
  public static final String SEGMENT = "segment";
  public static final String PERIOD = "period_start";
  public static final String AT_START = "customers_at_start";
  public static final String ACQUIRED = "acquired";
  public static final String REACTIVATED = "reactivated";
  public static final String CHURNED = "churned";
  public static final String AT_END = "customers_at_end";
  public static final String CHURN_RATE = "churn_rate";
  public static final String RETENTION_RATE = "retention_rate";
  public static final String PERIOD_COMPLETE = "period_complete";
  /** segment_type of the whole customer base (its segment is 'all'). */
  public static final String OVERALL = "overall";

  public static final TableDef DEF =
      TableDef.builder("churn_rates", "Customers at start, acquired, reactivated, churned and at end per calendar period; churn rate = churned / customers at start.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date of the run.")
          .required(SEGMENT_TYPE, DataTypes.StringType, "overall, cohort, channel, or the name of a cohorts.breakdowns property (e.g. 'country').")
          .required(SEGMENT, DataTypes.StringType, "'all', the cohort period (yyyy-MM-dd), the channel, or the property's value (one of its cohorts.breakdown_values most common values, '(other)' for the rest, '(unknown)' when missing).")
          .required(PERIOD, DataTypes.DateType, "First day of the calendar period.")
          .required(AT_START, DataTypes.LongType, "Customers active (acquired, not churned) at the start of the period.")
          .required(ACQUIRED, DataTypes.LongType, "Customers whose first activity falls in the period.")
          .required(REACTIVATED, DataTypes.LongType, "Churned customers who came back in the period.")
          .required(CHURNED, DataTypes.LongType, "Customers whose churn date (last activity + churn threshold) falls in the period.")
          .required(AT_END, DataTypes.LongType, "customers_at_start + acquired + reactivated - churned.")
          .optional(CHURN_RATE, DataTypes.DoubleType, "churned / customers_at_start; null when no customer was there at the start.")
          .optional(RETENTION_RATE, DataTypes.DoubleType, "1 - churn_rate.")
          .required(PERIOD_COMPLETE, DataTypes.BooleanType, "Whether the period had ended by the run date.")
          .build();
}
