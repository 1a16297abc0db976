package io.lifecycle.config;

import io.lifecycle.config.LifecycleConfig.Models;
import java.time.Duration;
import java.util.List;

/** The {@code models} section: the churn and next-stage models, their training data and their grids. */
final class ModelSettings {
  private ModelSettings() {}

  private static final String P = "lifecycle.models.";

  private enum Tuning {
    GRID,
    FIXED
  }

  static final Setting<Duration> CHURN_HORIZON =
      Setting.positiveDuration(P + "churn_horizon", "horizon after a cutoff in which no activity means churned");
  static final Setting<Models.ChurnActivity> CHURN_ACTIVITY =
      Setting.choice(P + "churn_activity", Models.ChurnActivity.class, "activity for the churn label: any_event or purchase");
  static final Setting<Integer> ROLLING_CUTOFFS =
      Setting.intAtLeast(P + "rolling_cutoffs", 0, "extra training cutoffs before the run date");
  static final Setting<Duration> CUTOFF_STEP = Setting.positiveDuration(P + "cutoff_step", "spacing of the rolling cutoffs");
  static final Setting<Double> TEST_FRACTION =
      Setting.doubleIn(P + "test_fraction", "(0, 1)", v -> v > 0 && v < 1, "share of customers held out for testing");
  static final Setting<Long> SEED = Setting.longValue(P + "seed", "seed of every random choice");
  static final Setting<String> SCORE_VERSION =
      Setting.optionalString(P + "score_version", "model version to score with; null: the latest");
  /** {@code grid} (true): TrainValidationSplit over the grids; {@code fixed}: the first value of each. */
  static final Setting<Boolean> TUNING = Setting.choice(P + "tuning", Tuning.class, "grid search or fixed settings")
      .map(tuning -> tuning == Tuning.GRID);
  static final Setting<Integer> MAX_TRAINING_CUSTOMERS =
      Setting.intAtLeast(P + "max_training_customers", 1, "above it, train on a fixed sample of customers");
  static final Setting<Duration> RETRAIN_EVERY =
      Setting.nonNegativeDuration(P + "retrain_every", "keep the saved models while younger than this");
  static final Setting<Double> DRIFT_RETRAIN_PSI =
      Setting.positiveDouble(P + "drift_retrain_psi", "retrain early once a score measured a PSI this large");

  static final Setting<Integer> GBT_MAX_ITER = Setting.intAtLeast(P + "gbt.max_iter", 1, "boosting iterations of the churn GBT");
  static final Setting<List<Integer>> GBT_MAX_DEPTH = treeDepths(P + "gbt.max_depth", "grid of the churn GBT's tree depth");
  static final Setting<List<Double>> GBT_STEP_SIZE =
      grid(P + "gbt.step_size", 0, false, 1, true, "grid of the churn GBT's step size");
  static final Setting<Double> GBT_SUBSAMPLING_RATE = Setting.doubleIn(P + "gbt.subsampling_rate", "(0, 1]",
      v -> v > 0 && v <= 1, "fraction of rows each tree samples");
  static final Setting<Integer> LOGISTIC_MAX_ITER =
      Setting.intAtLeast(P + "logistic.max_iter", 1, "L-BFGS iterations of the churn logistic regression, at most");
  static final Setting<List<Double>> LOGISTIC_REG_PARAM =
      grid(P + "logistic.reg_param", 0, true, Double.POSITIVE_INFINITY, false, "grid of the regularization");
  static final Setting<List<Double>> LOGISTIC_ELASTIC_NET_PARAM =
      grid(P + "logistic.elastic_net_param", 0, true, 1, true, "grid of the L1 share of the regularization");
  static final Setting<Integer> FOREST_NUM_TREES =
      Setting.intAtLeast(P + "forest.num_trees", 1, "trees of the next-stage random forest");
  static final Setting<List<Integer>> FOREST_MAX_DEPTH =
      treeDepths(P + "forest.max_depth", "grid of the next-stage forest's tree depth");

  /** A model grid of numbers: a non-empty list, each value within the bounds (inclusive where said). */
  private static Setting<List<Double>> grid(String key, double min, boolean minIncluded, double max, boolean maxIncluded,
      String description) {
    String range = (minIncluded ? "[" : "(") + min + ", " + (Double.isInfinite(max) ? "inf)" : max + (maxIncluded ? "]" : ")"));
    return Setting.doubleList(key, description)
        .check(values -> !values.isEmpty(), values -> "must list at least one value (a grid; tuning = fixed takes the first)")
        .check((values, written) -> {
          for (double v : values) {
            boolean above = minIncluded ? v >= min : v > min;
            boolean below = maxIncluded ? v <= max : v < max;
            if (!(above && below)) {
              return "every value must be in " + range + " (got " + v + ")";
            }
          }
          return null;
        });
  }

  /** A grid of tree depths: a non-empty list of 1 to 30 (MLlib's limit). */
  private static Setting<List<Integer>> treeDepths(String key, String description) {
    return Setting.intList(key, description)
        .check(values -> !values.isEmpty(), values -> "must list at least one depth (a grid; tuning = fixed takes the first)")
        .check((values, written) -> values.stream().filter(v -> v < 1 || v > 30).findFirst()
            .map(v -> "every depth must be from 1 to 30 (got " + v + ")").orElse(null));
  }

  static Models read(ConfigReader r) {
    return new Models(r.get(CHURN_HORIZON), r.get(CHURN_ACTIVITY), r.get(ROLLING_CUTOFFS), r.get(CUTOFF_STEP),
        r.get(TEST_FRACTION), r.get(SEED), r.get(SCORE_VERSION), r.get(TUNING), r.get(MAX_TRAINING_CUSTOMERS),
        r.get(RETRAIN_EVERY), r.get(DRIFT_RETRAIN_PSI),
        new Models.Gbt(r.get(GBT_MAX_ITER), r.get(GBT_MAX_DEPTH), r.get(GBT_STEP_SIZE), r.get(GBT_SUBSAMPLING_RATE)),
        new Models.Logistic(r.get(LOGISTIC_MAX_ITER), r.get(LOGISTIC_REG_PARAM), r.get(LOGISTIC_ELASTIC_NET_PARAM)),
        new Models.Forest(r.get(FOREST_NUM_TREES), r.get(FOREST_MAX_DEPTH)));
  }
}
