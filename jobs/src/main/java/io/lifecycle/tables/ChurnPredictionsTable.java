package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.CUSTOMER_ID;
import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code churn_predictions}: each active customer's churn probability as of the run date. */
public final class ChurnPredictionsTable {
  private ChurnPredictionsTable() {}

  public static final String CHURN_PROBABILITY = "churn_probability";
  public static final String RISK_TIER = "risk_tier";
  public static final String MODEL_VERSION = "model_version";
  public static final String SCORED_AT = "scored_at";

  public static final TableDef DEF =
      TableDef.builder("churn_predictions", "Churn probability over the churn horizon for every customer active at the run date; one slice per run date.")
          .required(RUN_DATE, DataTypes.DateType, "Run date the customer was scored as of.")
          .required(CUSTOMER_ID, DataTypes.StringType, "Customer identifier.")
          .required(CHURN_PROBABILITY, DataTypes.DoubleType, "Probability of no activity in the churn horizon after the run date.")
          .required(RISK_TIER, DataTypes.StringType, "high (probability >= 0.6), medium (>= 0.3) or low.")
          .required(MODEL_VERSION, DataTypes.StringType, "Version of the churn model used.")
          .required(SCORED_AT, DataTypes.TimestampType, "As-of instant of the scores (start of the run date, UTC).")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
