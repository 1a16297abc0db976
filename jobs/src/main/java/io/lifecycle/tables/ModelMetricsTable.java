package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code model_metrics}: every evaluation number of the trained models and of their baselines, on held-out customers. */
public final class ModelMetricsTable {
  private ModelMetricsTable() {}

  public static final String MODEL = "model";
  public static final String MODEL_VERSION = "model_version";
  public static final String TASK = "task";
  public static final String IS_BASELINE = "is_baseline";
  public static final String CUTOFF_FROM = "cutoff_from";
  public static final String CUTOFF_TO = "cutoff_to";
  public static final String METRIC = "metric";
  public static final String VALUE = "value";

  /** task values. */
  // Metric names (the metric column): defined here, where they are stored; evaluation writes them and
  // the report reads them.
  public static final String AUC_ROC = "auc_roc";
  public static final String AUC_PR = "auc_pr";
  public static final String LOG_LOSS = "log_loss";
  public static final String BRIER = "brier";
  public static final String LIFT_TOP_DECILE = "lift_top_decile";
  public static final String TEST_ROWS = "test_rows";
  public static final String POSITIVE_RATE = "positive_rate";
  public static final String ACCURACY = "accuracy";
  public static final String MACRO_F1 = "macro_f1";
  /** Points of the ROC curve: {@value #ROC_POINTS} + 1, from (0, 0) to (1, 1). */
  public static final int ROC_POINTS = 20;

  /** False positive rate at ROC point {@code k} (0..{@value #ROC_POINTS}). */
  public static String rocFpr(int k) {
    return "roc_fpr_" + k;
  }

  /** True positive rate at ROC point {@code k} (0..{@value #ROC_POINTS}). */
  public static String rocTpr(int k) {
    return "roc_tpr_" + k;
  }

  /** Mean predicted churn in score decile {@code d} (1..10). */
  public static String calibrationPredicted(int d) {
    return "calibration_predicted_d" + d;
  }

  /** Observed churn in score decile {@code d} (1..10). */
  public static String calibrationObserved(int d) {
    return "calibration_observed_d" + d;
  }

  /** Customers whose actual next stage was {@code actual} and predicted {@code predicted}. */
  public static String confusion(String actual, String predicted) {
    return "confusion:" + actual + ">" + predicted;
  }

  public static final String TASK_CHURN = "churn";
  public static final String TASK_NEXT_STAGE = "next_stage";

  public static final TableDef DEF =
      TableDef.builder("model_metrics", "Evaluation of the churn and next-stage models and their baselines on held-out customers; one slice per run date.")
          .required(RUN_DATE, DataTypes.DateType, "Run date of the training run.")
          .required(TASK, DataTypes.StringType, "churn or next_stage.")
          .required(MODEL, DataTypes.StringType, "Model or baseline name (e.g. churn_gbt, churn_logistic, baseline_recency, baseline_bgnbd_p_alive, next_stage_forest, baseline_markov, baseline_majority).")
          .required(IS_BASELINE, DataTypes.BooleanType, "Whether the row is a baseline rather than a trained model.")
          .required(MODEL_VERSION, DataTypes.StringType, "Version of the trained models evaluated.")
          .required(CUTOFF_FROM, DataTypes.DateType, "Earliest training cutoff (data window start of the labels).")
          .required(CUTOFF_TO, DataTypes.DateType, "Latest training cutoff.")
          .required(METRIC, DataTypes.StringType, "auc_roc, auc_pr, log_loss, brier, lift_top_decile, calibration_predicted_dN, calibration_observed_dN (mean predicted and observed churn in score decile N = 1..10), roc_fpr_K, roc_tpr_K (ROC curve point K = 0..20: false and true positive rates when the customers scoring at or above the (1 - K/20) quantile are flagged), accuracy, macro_f1, confusion:ACTUAL>PREDICTED, test_rows, positive_rate.")
          .optional(VALUE, DataTypes.DoubleType, "Value of the metric.")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
