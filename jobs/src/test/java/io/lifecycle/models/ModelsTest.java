package io.lifecycle.models;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.RawEventWriter;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.cli.Steps;
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

/**
 * Training with the grid search ({@code models.tuning = grid}) on a small generated set, scoring with
 * the saved models, and their errors. The models are small (a few trees and iterations, still two values
 * in each grid): what this class checks is the search, the saving and the scoring, and each tree or
 * iteration is a Spark job. That the models beat their baselines is checked once on the sample run's
 * models ({@code SampleModelsIT}), which the README's first command trains with the default settings.
 */
class ModelsTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static LifecycleConfig config;
  static final LocalDate RUN_DATE = LocalDate.of(2026, 1, 1);
  static MetricValues metrics;
  /** Few trees and iterations, two values in each grid. */
  static final String SMALL_MODELS = "lifecycle.models { tuning = grid, gbt { max_iter = 4, max_depth = [2, 3] },"
      + " logistic { max_iter = 15, reg_param = [0.001, 0.05] }, forest { num_trees = 6, max_depth = [4, 6] } }";

  @BeforeAll
  static void trainOnGeneratedData() {
    spark = SharedSpark.get();
    RawEventWriter.write(spark, GeneratorSettings.defaults(1500, 21), dir.resolve("in").toString(), "csv");
    config = TestSupport.config("lifecycle.input.path = \"" + dir.resolve("in") + "\"",
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"", SMALL_MODELS);
    Steps.standard().run(new RunContext(spark, config, RUN_DATE), List.of("ingest", "sessionize", "train", "score"));
    metrics = new MetricValues(dir.resolve("out/model_metrics"));
  }

  private static double metric(String model, String metric) {
    return metrics.get(model, metric);
  }

  @Test
  void theGridSearchTrainsEveryModelAndRecordsItBesideTheBaselines() {
    for (String model : List.of("churn_gbt", "churn_logistic", "baseline_recency", "baseline_bgnbd_p_alive")) {
      double auc = metric(model, "auc_roc");
      assertTrue(auc >= 0 && auc <= 1, model + " AUC " + auc);
    }
    for (String model : List.of("next_stage_forest", "baseline_markov", "baseline_majority")) {
      double f1 = metric(model, "macro_f1");
      assertTrue(f1 >= 0 && f1 <= 1, model + " macro-F1 " + f1);
    }
    assertTrue(metric("churn_gbt", "test_rows") > 100, "held-out customers: " + metric("churn_gbt", "test_rows"));
  }

  @Test
  void theConfiguredSettingsAndGridsReachTheSavedModels() {
    ModelRepository repo = new ModelRepository(spark, dir.resolve("out").toString());
    var gbt = (org.apache.spark.ml.classification.GBTClassificationModel) last(repo.load("churn_gbt", null).model());
    assertEquals(4, gbt.getNumTrees());
    assertTrue(List.of(2, 3).contains(gbt.getMaxDepth()), "depth from the grid: " + gbt.getMaxDepth());
    assertEquals(0.8, gbt.getSubsamplingRate());
    var lr = (org.apache.spark.ml.classification.LogisticRegressionModel) last(repo.load("churn_logistic", null).model());
    assertEquals(15, lr.getMaxIter());
    assertTrue(List.of(0.001, 0.05).contains(lr.getRegParam()), "regParam from the grid: " + lr.getRegParam());
    var forest = (org.apache.spark.ml.classification.RandomForestClassificationModel) java.util.Arrays.stream(
            repo.load("next_stage_forest", null).model().stages())
        .filter(t -> t instanceof org.apache.spark.ml.classification.RandomForestClassificationModel).findFirst().orElseThrow();
    assertEquals(6, forest.getNumTrees());
    assertTrue(List.of(4, 6).contains(forest.getMaxDepth()), "depth from the grid: " + forest.getMaxDepth());
  }

  private static org.apache.spark.ml.Transformer last(org.apache.spark.ml.PipelineModel model) {
    return model.stages()[model.stages().length - 1];
  }

  /**
   * The first run scored right after training; scoring again with the saved models gives the same
   * predictions. The second run has the clv step before score, whose BG/NBD fit (on every customer's
   * purchases before the run date) score then takes for its churn signals instead of fitting it again,
   * reading only the scorable customers' events: the same predictions too.
   */
  @Test
  void scoresCoverActiveCustomersAndReloadGivesTheSamePredictions() {
    Dataset<Row> churn = spark.read().format("delta").load(dir.resolve("out/churn_predictions").toString())
        .where(col("run_date").equalTo(lit(java.sql.Date.valueOf(RUN_DATE))));
    assertTrue(churn.count() > 100);
    assertEquals(0, churn.where("churn_probability < 0 or churn_probability > 1").count());
    Dataset<Row> before = churn.localCheckpoint();
    String log = io.lifecycle.LogCapture.during(
        () -> Steps.standard().run(new RunContext(spark, config, RUN_DATE), List.of("clv", "score")), false);
    assertTrue(log.contains("churn signals from the BG/NBD fit of this run's clv step"), log);
    Dataset<Row> after = spark.read().format("delta").load(dir.resolve("out/churn_predictions").toString())
        .where(col("run_date").equalTo(lit(java.sql.Date.valueOf(RUN_DATE))));
    assertEquals(0, before.exceptAll(after).count());
    assertEquals(before.count(), after.count());
    Dataset<Row> stages = spark.read().format("delta").load(dir.resolve("out/next_stage_predictions").toString());
    Row any = stages.head();
    Map<String, Double> probs = any.getJavaMap(any.fieldIndex("stage_probabilities"));
    assertEquals(1.0, probs.values().stream().mapToDouble(Double::doubleValue).sum(), 1e-6);
  }

  @Test
  void withRetrainEveryAWeekALaterDaysTrainIsSkippedAndLoggedAndScoreUsesTheSavedModels() {
    LifecycleConfig weekly = TestSupport.config("lifecycle.input.path = \"" + dir.resolve("in") + "\"",
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"", SMALL_MODELS, "lifecycle.models.retrain_every = 7 days");
    LocalDate later = RUN_DATE.plusDays(3);
    // The default steps (train and score here: the pipeline of these two, as the full pipeline runs them).
    Map<String, io.lifecycle.pipeline.StepResult> results =
        new io.lifecycle.pipeline.Pipeline(List.of(new TrainStep(), new ScoreStep())).run(new RunContext(spark, weekly, later), List.of());
    io.lifecycle.pipeline.StepResult train = results.get("train");
    assertTrue(train.isSkipped());
    assertEquals("the saved models v20260101 are 3 days old, models.retrain_every = 7 days (retraining on 2026-01-08;"
        + " --steps train retrains now)", train.skippedBecause());
    assertEquals(0, spark.read().format("delta").load(dir.resolve("out/model_metrics").toString())
        .where("run_date = DATE'2026-01-04'").count(), "a skipped train writes no metrics");
    Row logged = spark.read().format("delta").load(dir.resolve("out/run_log").toString())
        .where("run_date = DATE'2026-01-04' and step = 'train'").head();
    assertEquals("SKIPPED", logged.getAs("status"));
    assertEquals(train.skippedBecause(), logged.getAs("note"));
    assertEquals(List.of("v20260101"), spark.read().format("delta").load(dir.resolve("out/churn_predictions").toString())
        .where("run_date = DATE'2026-01-04'").select("model_version").distinct()
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
  }

  @Test
  void eachScoreMeasuresDriftAgainstTheTrainingDataAndALargeDriftRetrainsEarly() {
    Dataset<Row> drift = spark.read().format("delta").load(dir.resolve("out/model_drift").toString())
        .where("run_date = DATE'2026-01-01'");
    // A row per numeric feature, the two BG/NBD signals and the churn score.
    assertEquals(PointInTimeFeatures.NUMERIC.size() + PointInTimeFeatures.BG_NBD.size() + 1, drift.count());
    assertEquals(List.of("churn_gbt|v20260101"), TestSupport.rows(drift.select("model", "model_version").distinct()));
    assertEquals(1, drift.where("feature = 'churn_probability'").count());
    assertEquals(0, drift.where("psi is null or psi < 0 or bins < 2 or bins > 11").count());
    assertEquals(0, drift.where("status <> case when psi < 0.1 then 'stable' when psi < 0.25 then 'moderate' else 'shifted' end").count());
    // Today's active customers are not the training examples (every customer at every cutoff): recency moved.
    assertTrue(drift.where("feature = 'recency_days'").head().<Double>getAs("psi") > 0.0);

    // Three days later, with weekly retraining: the models are kept, unless a drift reached the limit.
    double largest = drift.agg(org.apache.spark.sql.functions.max("psi")).head().getDouble(0);
    LocalDate later = RUN_DATE.plusDays(3);
    ModelRepository repo = new ModelRepository(spark, dir.resolve("out").toString());
    LifecycleConfig keeps = TestSupport.config("lifecycle.output.root = \"" + dir.resolve("out") + "\"",
        "lifecycle.models.retrain_every = 7 days", "lifecycle.models.drift_retrain_psi = " + (largest * 2));
    assertTrue(TrainStep.keepReason(new RunContext(spark, keeps, later), repo, false).isPresent());
    LifecycleConfig drifted = TestSupport.config("lifecycle.output.root = \"" + dir.resolve("out") + "\"",
        "lifecycle.models.retrain_every = 7 days", "lifecycle.models.drift_retrain_psi = " + largest);
    assertEquals(java.util.Optional.empty(), TrainStep.keepReason(new RunContext(spark, drifted, later), repo, false));
    // Only drift measured before the run date counts: a rerun of the scoring date decides as its first attempt.
    assertTrue(TrainStep.keepReason(new RunContext(spark, drifted, RUN_DATE), repo, false).isPresent());
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
