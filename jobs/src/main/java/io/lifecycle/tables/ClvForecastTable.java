package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code clv_forecast}: population-level forecasts of the selected purchase model, two curves in one
 * small table: the purchase-count distribution of a new customer and the tracking curve of the current
 * customers' cumulative repeat purchases over the calendar.
 */
public final class ClvForecastTable {
  private ClvForecastTable() {}

  public static final String PURCHASE_MODEL = "purchase_model";
  public static final String CURVE = "curve";
  /** {@link #CURVE} values. */
  public static final String PURCHASE_COUNT = "purchase_count";
  public static final String TRACKING = "tracking";
  public static final String DAYS = "days";
  public static final String DATE = "date";
  public static final String PURCHASES = "purchases";
  public static final String PROBABILITY = "probability";
  public static final String EXPECTED_REPEAT_PURCHASES = "expected_repeat_purchases";
  /** The purchase-count curve runs over n = 0 .. this, the last bucket being "this many or more". */
  public static final int MAX_PURCHASES = 10;

  public static final TableDef DEF =
      TableDef.builder("clv_forecast", "Population forecasts of the selected purchase model: P(n repeat purchases in t days) for a new customer (n = 0..9 and 10 or more, t in clv.forecast_days) and the tracking curve (expected cumulative repeat purchases of the current customers, weekly, to the end of the CLV horizon); one slice per run date.")
          .required(RUN_DATE, DataTypes.DateType, "Run date.")
          .required(PURCHASE_MODEL, DataTypes.StringType, "bg_nbd or pareto_nbd (the model selected by the holdout check).")
          .required(CURVE, DataTypes.StringType, "purchase_count (a new customer's distribution) or tracking (the customer base over the calendar).")
          .required(DAYS, DataTypes.IntegerType, "purchase_count: the horizon t in days; tracking: days from the run date to date (negative: history, positive: forecast).")
          .optional(DATE, DataTypes.DateType, "tracking: the as-of date of the point (purchases before it counted).")
          .optional(PURCHASES, DataTypes.IntegerType, "purchase_count: the number n of repeat purchase days; 10 stands for 10 or more.")
          .optional(PROBABILITY, DataTypes.DoubleType, "purchase_count: P(n repeat purchase days within t days of the first purchase); the probabilities of one horizon sum to 1.")
          .optional(EXPECTED_REPEAT_PURCHASES, DataTypes.DoubleType, "purchase_count: expected repeat purchase days of a new customer within t days; tracking: expected cumulative repeat purchase days of the current customers from their first purchase to date.")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
