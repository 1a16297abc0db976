package io.lifecycle.models;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.NeedsSampleRun;
import io.lifecycle.SampleRun;
import io.lifecycle.SharedSpark;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The models the README's first command trains on the sample (generated customers whose ground truth
 * gives signal), evaluated on held-out customers: they must beat their baselines.
 */
@NeedsSampleRun
@Isolated
class SampleModelsIT {
  static MetricValues metrics;

  @BeforeAll
  static void readTheSampleRunsMetrics() {
    metrics = new MetricValues(SampleRun.output().resolve("model_metrics"));
  }

  private static double metric(String model, String metric) {
    return metrics.get(model, metric);
  }

  @Test
  void churnModelsBeatTheirBaselines() {
    double gbt = metric("churn_gbt", "auc_roc");
    assertTrue(gbt > metric("baseline_recency", "auc_roc"), "GBT " + gbt + " vs recency " + metric("baseline_recency", "auc_roc"));
    assertTrue(gbt > 0.6, "GBT AUC " + gbt);
    assertTrue(metric("churn_gbt", "lift_top_decile") > 1.0);
    double brier = metric("churn_gbt", "brier");
    double rate = metric("churn_gbt", "positive_rate");
    assertTrue(brier < rate * (1 - rate), "Brier " + brier + " must beat the constant forecast " + rate * (1 - rate));
  }

  @Test
  void nextStageModelBeatsMarkovAndMajority() {
    double forest = metric("next_stage_forest", "macro_f1");
    assertTrue(forest > metric("baseline_markov", "macro_f1"), "forest macro-F1 " + forest + " vs markov " + metric("baseline_markov", "macro_f1"));
    assertTrue(forest > metric("baseline_majority", "macro_f1"));
    // Balanced class weights trade raw accuracy for the rare stages: accuracy is reported, macro-F1 decides.
    assertTrue(metric("next_stage_forest", "accuracy") > 0.3);
  }
}
