package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.CUSTOMER_ID;
import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code next_stage_predictions}: each customer's most likely next lifecycle stage, with every stage's probability. */
public final class NextStagePredictionsTable {
  private NextStagePredictionsTable() {}

  public static final String CURRENT_STAGE = "current_stage";
  public static final String PREDICTED_STAGE = "predicted_stage";
  public static final String PREDICTED_PROBABILITY = "predicted_probability";
  public static final String STAGE_PROBABILITIES = "stage_probabilities";
  public static final String MODEL_VERSION = "model_version";

  public static final TableDef DEF =
      TableDef.builder("next_stage_predictions", "Predicted stage of each customer's next stage episode within the horizon (CHURNED: none); one slice per run date.")
          .required(RUN_DATE, DataTypes.DateType, "Run date the customer was scored as of.")
          .required(CUSTOMER_ID, DataTypes.StringType, "Customer identifier.")
          .required(CURRENT_STAGE, DataTypes.StringType, "Stage of the customer's latest staged event before the run date.")
          .required(PREDICTED_STAGE, DataTypes.StringType, "Most likely next stage.")
          .required(PREDICTED_PROBABILITY, DataTypes.DoubleType, "Probability of the predicted stage.")
          .required(STAGE_PROBABILITIES, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), "Probability of every stage (and CHURNED).")
          .required(MODEL_VERSION, DataTypes.StringType, "Version of the next-stage model used.")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
