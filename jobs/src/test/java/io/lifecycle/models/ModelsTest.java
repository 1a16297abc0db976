package io.lifecycle.models;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.RawEventWriter;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Steps;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models on generated data, where the ground truth gives signal: they must beat their baselines. */
class ModelsTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static LifecycleConfig config;
  static final LocalDate RUN_DATE = LocalDate.of(2026, 1, 1);
  static Map<String, Double> metrics = new HashMap<>();

  @BeforeAll
  static void trainOnGeneratedData() {
    spark = SharedSpark.get();
    RawEventWriter.write(spark, GeneratorSettings.defaults(6000, 21), dir.resolve("in").toString(), "csv");
    config = TestSupport.config("lifecycle.input.path = \"" + dir.resolve("in") + "\"",
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"");
    Steps.standard().run(new RunContext(spark, config, RUN_DATE), List.of("ingest", "sessionize", "train", "score"));
    for (Row r : spark.read().format("delta").load(dir.resolve("out/model_metrics").toString()).collectAsList()) {
      if (!r.isNullAt(r.fieldIndex("value"))) {
        metrics.put(r.<String>getAs("model") + "/" + r.<String>getAs("metric"), r.<Double>getAs("value"));
      }
    }
  }

  private static double metric(String model, String metric) {
    assertTrue(metrics.containsKey(model + "/" + metric), "missing " + model + "/" + metric + " in " + metrics.keySet());
    return metrics.get(model + "/" + metric);
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

  @Test
  void scoresCoverActiveCustomersAndReloadGivesTheSamePredictions() {
    Dataset<Row> churn = spark.read().format("delta").load(dir.resolve("out/churn_predictions").toString());
    assertTrue(churn.count() > 100);
    assertEquals(0, churn.where("churn_probability < 0 or churn_probability > 1").count());
    Dataset<Row> before = churn.localCheckpoint();
    // Score only, with the saved model: the same predictions.
    Steps.standard().run(new RunContext(spark, config, RUN_DATE), List.of("score"));
    Dataset<Row> after = spark.read().format("delta").load(dir.resolve("out/churn_predictions").toString());
    assertEquals(0, before.exceptAll(after).count());
    assertEquals(before.count(), after.count());
    Dataset<Row> stages = spark.read().format("delta").load(dir.resolve("out/next_stage_predictions").toString());
    Row any = stages.head();
    Map<String, Double> probs = any.getJavaMap(any.fieldIndex("stage_probabilities"));
    assertEquals(1.0, probs.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
  }

  @Test
  void trainsOnOnePartitionPer200000Examples() {
    assertEquals(1, ModelTrainer.partitionsFor(4_149));
    assertEquals(1, ModelTrainer.partitionsFor(200_000));
    assertEquals(2, ModelTrainer.partitionsFor(200_001));
    assertEquals(64, ModelTrainer.partitionsFor(1_000_000_000L));
  }

  @Test
  void missingModelIsAClearError(@TempDir Path empty) {
    LifecycleConfig other = TestSupport.config("lifecycle.output.root = \"" + empty + "\"");
    LifecycleException e = assertThrows(LifecycleException.class,
        () -> new ScoreStep().run(new RunContext(spark, other, RUN_DATE)));
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    assertTrue(e.getMessage().contains("No trained churn_gbt model"), e.getMessage());
  }
}
