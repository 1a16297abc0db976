package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.CUSTOMER_ID;
import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code customer_value}: one row per customer who purchased: the BTYD summary and the three kinds of CLV. */
public final class CustomerValueTable {
  private CustomerValueTable() {}

  public static final String FREQUENCY = "frequency";
  public static final String RECENCY = "recency";
  public static final String AGE = "age";
  public static final String MONETARY_VALUE = "monetary_value";
  public static final String TOTAL_REVENUE = "total_revenue";
  public static final String HISTORICAL_CLV = "historical_clv";
  public static final String P_ALIVE = "p_alive";
  public static final String P_ALIVE_LOW = "p_alive_low";
  public static final String P_ALIVE_HIGH = "p_alive_high";
  public static final String EXPECTED_PURCHASES = "expected_purchases";
  public static final String EXPECTED_MEAN_SPEND = "expected_mean_spend";
  public static final String PREDICTED_CLV = "predicted_clv";
  public static final String PREDICTED_CLV_LOW = "predicted_clv_low";
  public static final String PREDICTED_CLV_HIGH = "predicted_clv_high";
  public static final String SIMPLE_CLV = "simple_clv";
  public static final String VALUE_TIER = "value_tier";
  public static final String COHORT = "cohort_period";
  public static final String CHANNEL = "acquisition_channel";
  public static final String PURCHASE_MODEL = "purchase_model";
  /** value_tier values, most valuable first. */
  public static final java.util.List<String> TIERS = java.util.List.of("top_5", "top_20", "rest");

  public static final TableDef DEF =
      TableDef.builder("customer_value", "Per customer who purchased: frequency, recency, age and spend as of the run date, and historical, simple and predicted (BG/NBD or Pareto/NBD + Gamma-Gamma) lifetime value.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date (the cutoff) of the values.")
          .required(CUSTOMER_ID, DataTypes.StringType, "Customer identifier.")
          .required(FREQUENCY, DataTypes.LongType, "Repeat purchase days: days with a purchase after the first (several purchases on one day count once).")
          .required(RECENCY, DataTypes.DoubleType, "t_x: time from the first to the last purchase day, in clv.time_unit.")
          .required(AGE, DataTypes.DoubleType, "T: time from the first purchase day to the last observed day, in clv.time_unit.")
          .optional(MONETARY_VALUE, DataTypes.DoubleType, "Mean spend per repeat purchase day; null without repeat purchases.")
          .required(TOTAL_REVENUE, DataTypes.DoubleType, "All revenue of the customer to date.")
          .required(HISTORICAL_CLV, DataTypes.DoubleType, "Realized margin to date: total_revenue x clv.gross_margin.")
          .optional(SIMPLE_CLV, DataTypes.DoubleType, "The segment's simple CLV (yearly profit x years retained - acquisition cost) for the customer's cohort.")
          .optional(P_ALIVE, DataTypes.DoubleType, "Probability the customer is still active (purchase model).")
          .optional(P_ALIVE_LOW, DataTypes.DoubleType, "5th percentile of p_alive over draws of the purchase model's parameters from their estimates' sampling distribution (clv.intervals): parameter uncertainty only; null when clv.intervals = none.")
          .optional(P_ALIVE_HIGH, DataTypes.DoubleType, "95th percentile of p_alive over the same draws: with p_alive_low a 90% interval.")
          .optional(EXPECTED_PURCHASES, DataTypes.DoubleType, "Expected repeat purchases over the CLV horizon.")
          .optional(EXPECTED_MEAN_SPEND, DataTypes.DoubleType, "Gamma-Gamma expected spend per purchase given the customer's history.")
          .optional(PREDICTED_CLV, DataTypes.DoubleType, "Expected margin over the horizon, discounted monthly at clv.annual_discount_rate.")
          .optional(PREDICTED_CLV_LOW, DataTypes.DoubleType, "5th percentile of predicted_clv over draws of the purchase and Gamma-Gamma parameters (clv.intervals): parameter uncertainty only, not the randomness of future purchases; null when clv.intervals = none.")
          .optional(PREDICTED_CLV_HIGH, DataTypes.DoubleType, "95th percentile of predicted_clv over the same draws: with predicted_clv_low a 90% interval.")
          .required(VALUE_TIER, DataTypes.StringType, "top_5 (top 5% by predicted CLV), top_20 (next 15%) or rest.")
          .optional(COHORT, DataTypes.DateType, "Month of the first purchase.")
          .optional(CHANNEL, DataTypes.StringType, "Acquisition channel.")
          .optional(PURCHASE_MODEL, DataTypes.StringType, "Purchase model used for the prediction (bg_nbd or pareto_nbd, chosen by holdout error).")
          .build();
}
