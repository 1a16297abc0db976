package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code clv_forecast}: population-level forecasts of the selected purchase model, three curves in one
 * small table: the purchase-count distribution of a new customer, the tracking curve of the current
 * customers' cumulative repeat purchases over the calendar (expected, and actual up to the run date), and
 * the current customers' repeat-count histogram (actual against the model): the last two are the fit
 * diagnostics BTYD users show beside a fit.
 */
public final class ClvForecastTable {
  private ClvForecastTable() {}

  public static final String PURCHASE_MODEL = "purchase_model";
  public static final String CURVE = "curve";
  /** {@link #CURVE} values. */
  public static final String PURCHASE_COUNT = "purchase_count";
  public static final String TRACKING = "tracking";
  public static final String REPEAT_COUNT = "repeat_count";
  public static final String DAYS = "days";
  public static final String DATE = "date";
  public static final String PURCHASES = "purchases";
  public static final String PROBABILITY = "probability";
  public static final String EXPECTED_REPEAT_PURCHASES = "expected_repeat_purchases";
  public static final String ACTUAL_REPEAT_PURCHASES = "actual_repeat_purchases";
  public static final String ACTUAL_CUSTOMERS = "actual_customers";
  public static final String EXPECTED_CUSTOMERS = "expected_customers";
  /** The purchase-count and repeat-count curves run over n = 0 .. this, the last bucket being "this many or more". */
  public static final int MAX_PURCHASES = 10;

  public static final TableDef DEF =
      TableDef.builder("clv_forecast", "Population forecasts of the selected purchase model: P(n repeat purchases in t days) for a new customer (n = 0..9 and 10 or more, t in clv.forecast_days), the tracking curve (expected cumulative repeat purchases of the current customers, weekly, to the end of the CLV horizon, beside the actual ones up to the run date) and the repeat-count histogram (current customers by repeat purchase days, actual and expected); one slice per run date.")
          .required(RUN_DATE, DataTypes.DateType, "Run date.")
          .required(PURCHASE_MODEL, DataTypes.StringType, "bg_nbd or pareto_nbd (the model selected by the holdout check).")
          .required(CURVE, DataTypes.StringType, "purchase_count (a new customer's distribution), tracking (the customer base over the calendar) or repeat_count (the current customers by repeat purchase days, actual and expected).")
          .required(DAYS, DataTypes.IntegerType, "purchase_count: the horizon t in days; tracking: days from the run date to date (negative: history, positive: forecast); repeat_count: 0 (as of the run date).")
          .optional(DATE, DataTypes.DateType, "tracking: the as-of date of the point (purchases before it counted); repeat_count: the run date.")
          .optional(PURCHASES, DataTypes.IntegerType, "purchase_count: the number n of repeat purchase days; repeat_count: a current customer's repeat purchase days n; 10 stands for 10 or more.")
          .optional(PROBABILITY, DataTypes.DoubleType, "purchase_count: P(n repeat purchase days within t days of the first purchase); the probabilities of one horizon sum to 1.")
          .optional(EXPECTED_REPEAT_PURCHASES, DataTypes.DoubleType, "purchase_count: expected repeat purchase days of a new customer within t days; tracking: expected cumulative repeat purchase days of the current customers from their first purchase to date.")
          .optional(ACTUAL_REPEAT_PURCHASES, DataTypes.LongType, "tracking: the current customers' actual repeat purchase days (purchase days after each one's first) before date, for points up to the run date (null after it); at the run date the sum of their frequency.")
          .optional(ACTUAL_CUSTOMERS, DataTypes.LongType, "repeat_count: current customers with n repeat purchase days in their history to the run date (their frequency); the counts sum to the customers.")
          .optional(EXPECTED_CUSTOMERS, DataTypes.DoubleType, "repeat_count: the model's expected number of them, the sum over customers of P(X(T) = n) at each one's age T (10: the customers less the other buckets); sums to the customers.")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
