package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code model_drift}: how far the customers a run scores have moved from the data the models in use
 * were trained on, per feature and for the churn score. A table of its own rather than rows of
 * {@code model_metrics}: score writes it every run, while {@code model_metrics} is the train step's.
 */
public final class ModelDriftTable {
  private ModelDriftTable() {}

  public static final String MODEL = "model";
  public static final String MODEL_VERSION = "model_version";
  public static final String FEATURE = "feature";
  public static final String PSI = "psi";
  public static final String BINS = "bins";
  public static final String STATUS = "status";

  /** The {@code feature} value of the churn model's score itself. */
  public static final String SCORE = "churn_probability";

  /** status values, by the usual reading of the index. */
  public static final String STABLE = "stable";
  public static final String MODERATE = "moderate";
  public static final String SHIFTED = "shifted";

  public static final TableDef DEF =
      TableDef.builder("model_drift", "Population stability of the scored customers against the models' training data, per feature and for the churn score; one slice per run date.")
          .required(RUN_DATE, DataTypes.DateType, "Run date of the scoring run.")
          .required(MODEL, DataTypes.StringType, "Model whose training data is the reference (churn_gbt).")
          .required(MODEL_VERSION, DataTypes.StringType, "Version of the model in use (trained for that run date).")
          .required(FEATURE, DataTypes.StringType, "Numeric feature, or churn_probability for the model's score.")
          .optional(PSI, DataTypes.DoubleType, "Population stability index: sum over bins of (scored share - training share) x ln(scored share / training share), shares floored at 0.0001; the bins are the training data's deciles plus one for missing values.")
          .required(BINS, DataTypes.IntegerType, "Number of bins compared (fewer than 11 when the training values tie).")
          .required(STATUS, DataTypes.StringType, "stable (PSI below 0.1), moderate (0.1 to 0.25) or shifted (0.25 and above).")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();

  /** The status of a PSI value. */
  public static String status(double psi) {
    return psi < 0.1 ? STABLE : psi < 0.25 ? MODERATE : SHIFTED;
  }
}
