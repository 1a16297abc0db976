package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.CUSTOMER_ID;
import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code customer_forecast}: the selected purchase model's time-to-event outputs per customer, one row per
 * customer of {@code customer_value}. The horizons of {@code clv.forecast_days} sit in one array column so
 * the schema does not depend on the configuration (SQL: {@code inline(forecast)}).
 */
public final class CustomerForecastTable {
  private CustomerForecastTable() {}

  public static final String PURCHASE_MODEL = "purchase_model";
  public static final String P_ALIVE = "p_alive";
  public static final String P_ALIVE_AT_HORIZON = "p_alive_at_horizon";
  public static final String FORECAST = "forecast";
  /** Fields of the {@link #FORECAST} elements. */
  public static final String DAYS = "days";
  public static final String P_NO_PURCHASE = "p_no_purchase";
  public static final String EXPECTED_PURCHASES = "expected_purchases";
  public static final String MEDIAN_DAYS_TO_NEXT_PURCHASE = "median_days_to_next_purchase";
  public static final String DERT = "dert";

  /** One element of {@link #FORECAST}. */
  public static final StructType HORIZON = new StructType()
      .add(DAYS, DataTypes.IntegerType, false)
      .add(P_NO_PURCHASE, DataTypes.DoubleType, false)
      .add(EXPECTED_PURCHASES, DataTypes.DoubleType, false);

  public static final TableDef DEF =
      TableDef.builder("customer_forecast", "Per customer who purchased, from the selected purchase model (BG/NBD or Pareto/NBD): P(alive) now and at the end of the CLV horizon, P(no purchase) and expected repeat purchases in each of clv.forecast_days, the median time to the next purchase and DERT.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date (the cutoff) of the forecasts.")
          .required(CUSTOMER_ID, DataTypes.StringType, "Customer identifier.")
          .required(PURCHASE_MODEL, DataTypes.StringType, "Purchase model of the forecasts (bg_nbd or pareto_nbd, chosen by holdout error).")
          .optional(P_ALIVE, DataTypes.DoubleType, "Probability the customer is still active at the run date.")
          .optional(P_ALIVE_AT_HORIZON, DataTypes.DoubleType, "Probability the customer is still active at the run date + clv.horizon_months.")
          .optional(FORECAST, DataTypes.createArrayType(HORIZON, false), "Per horizon of clv.forecast_days (ascending): days, p_no_purchase (probability of no purchase within that many days) and expected_purchases (expected repeat purchase days within them).")
          .optional(MEDIAN_DAYS_TO_NEXT_PURCHASE, DataTypes.DoubleType, "Median days from the run date to the next purchase; null when the customer more likely than not never buys again.")
          .optional(DERT, DataTypes.DoubleType, "Discounted expected residual transactions: expected future repeat purchase days over the whole remaining lifetime, discounted continuously at clv.annual_discount_rate; null when that rate is 0 (or, rarely, where its special function does not converge).")
          .build();
}
