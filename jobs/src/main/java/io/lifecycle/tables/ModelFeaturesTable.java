package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code model_features}: feature importances of the trained tree models. */
public final class ModelFeaturesTable {
  private ModelFeaturesTable() {}

  public static final String MODEL = "model";
  public static final String MODEL_VERSION = "model_version";
  public static final String FEATURE = "feature";
  public static final String IMPORTANCE = "importance";

  public static final TableDef DEF =
      TableDef.builder("model_features", "Feature importances of the trained models (trees: impurity importance summing to 1); one slice per run date.")
          .required(RUN_DATE, DataTypes.DateType, "Run date of the training run.")
          .required(MODEL, DataTypes.StringType, "Model name.")
          .required(MODEL_VERSION, DataTypes.StringType, "Model version.")
          .required(FEATURE, DataTypes.StringType, "Feature (one-hot features as name=value).")
          .required(IMPORTANCE, DataTypes.DoubleType, "Importance of the feature.")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
