package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.ModelMetricsTable;
import io.lifecycle.tables.ModelDriftTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.RandomForestClassificationModel;
import org.apache.spark.ml.classification.RandomForestClassifier;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the churn models (gradient-boosted trees, logistic regression for comparison) and the
 * next-stage model (random forest) with a bounded hyperparameter search, class weights against
 * imbalance and fixed seeds, and evaluates them and their baselines on held-out customers.
 */
public final class ModelTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTrainer.class);
  public static final String CHURN_GBT = "churn_gbt";
  public static final String CHURN_LOGISTIC = "churn_logistic";
  public static final String NEXT_STAGE_FOREST = "next_stage_forest";
  static final String WEIGHT = "_weight";
  static final String NEXT_INDEX = "_next_stage_idx";
  static final String PREDICTED_STAGE = "_predicted_stage";
  static final String CHURN_P = "_churn_p";

  /** One metric of one model. */
  public record Metric(String task, String model, boolean baseline, String metric, double value) {}

  /** The trained pipelines, their metrics and the tree models' feature importances. */
  public record Result(Map<String, PipelineModel> models, List<Metric> metrics, Map<String, Map<String, Double>> importances, long examples,
      List<PopulationStability.Reference> driftReference) {}

  /**
   * The columns whose drift the score step measures: the numeric features the churn model sees (the
   * BG/NBD ones when {@code frame} has them) and its score, as {@link ModelDriftTable#SCORE}.
   */
  static List<String> driftColumns(Dataset<Row> frame) {
    List<String> columns = new ArrayList<>(PointInTimeFeatures.NUMERIC);
    if (List.of(frame.columns()).contains(PointInTimeFeatures.P_ALIVE)) {
      columns.addAll(PointInTimeFeatures.BG_NBD);
    }
    columns.add(ModelDriftTable.SCORE);
    return columns;
  }

  /** {@code rows} scored by the churn model, its probability also as {@link ModelDriftTable#SCORE} for the drift check. */
  static Dataset<Row> withDriftScore(PipelineModel churnModel, Dataset<Row> rows) {
    return churnProbability(churnModel, rows).withColumn(ModelDriftTable.SCORE, col(CHURN_P));
  }

  private final LifecycleConfig config;

  public ModelTrainer(LifecycleConfig config) {
    this.config = config;
  }

  public Result train(Dataset<Row> examples) {
    long t0 = System.nanoTime();
    Dataset<Row> built = examples.persist(StorageLevel.MEMORY_AND_DISK());
    long count = built.count();
    Dataset<Row> data = deterministicLayout(built, count);
    built.unpersist();
    LOG.info("{} examples built in {}", count, seconds(t0));
    try {
      long t1 = System.nanoTime();
      Fitted fitted = fitAndEvaluate(data.where(not(col(TrainingSet.SPLIT))), data.where(col(TrainingSet.SPLIT)));
      LOG.info("models fitted (models.tuning = {}) and evaluated, the drift reference taken, in {}",
          config.models().gridSearch() ? "grid" : "fixed", seconds(t1));
      Map<String, PipelineModel> models = new LinkedHashMap<>();
      models.put(CHURN_GBT, fitted.gbt().model());
      models.put(CHURN_LOGISTIC, fitted.logistic().model());
      models.put(NEXT_STAGE_FOREST, fitted.forest().model());
      List<Metric> metrics = new ArrayList<>(fitted.gbt().metrics());
      metrics.addAll(fitted.logistic().metrics());
      metrics.addAll(fitted.churnBaselines());
      metrics.addAll(fitted.forest().metrics());
      metrics.addAll(fitted.stageBaselines());
      Map<String, Map<String, Double>> importances = new LinkedHashMap<>();
      importances.put(CHURN_GBT, importances(fitted.gbt().model(),
          lastStage(fitted.gbt().model(), GBTClassificationModel.class).featureImportances()));
      importances.put(NEXT_STAGE_FOREST, importances(fitted.forest().model(),
          Arrays.stream(fitted.forest().model().stages()).filter(RandomForestClassificationModel.class::isInstance)
              .map(RandomForestClassificationModel.class::cast).findFirst().orElseThrow().featureImportances()));
      return new Result(models, metrics, importances, count, fitted.driftReference());
    } finally {
      data.unpersist();
    }
  }

  /**
   * Deterministic layout: the same examples train the same trees on a rerun. Hash placement into a
   * number of partitions that depends only on the examples, and a sort within partitions: the same rows,
   * in the same order, on every run. Persisted: every model trains on these materialized rows.
   */
  private static Dataset<Row> deterministicLayout(Dataset<Row> examples, long count) {
    Dataset<Row> data = examples.repartition(partitionsFor(count), col(io.lifecycle.tables.Columns.CUSTOMER_ID))
        .sortWithinPartitions(col(io.lifecycle.tables.Columns.CUSTOMER_ID), col(PointInTimeFeatures.CUTOFF))
        .persist(StorageLevel.MEMORY_AND_DISK());
    data.count();
    return data;
  }

  /** A fitted model and its metrics on the held-out rows. */
  private record Evaluated(PipelineModel model, List<Metric> metrics) {}

  /** The three models with their metrics, the baselines' metrics and the churn model's drift reference. */
  private record Fitted(Evaluated gbt, Evaluated logistic, Evaluated forest, List<Metric> churnBaselines,
      List<Metric> stageBaselines, List<PopulationStability.Reference> driftReference) {}

  /**
   * The three models, each fitted and then evaluated in a thread of its own, beside two that evaluate
   * the baselines ({@link ConcurrentFits}): an evaluation is many small Spark queries whose
   * planning leaves a core idle, so it runs while the other models still train. Each fit is independent
   * and seeded, so the models and metrics are those of doing it all in turn.
   */
  private Fitted fitAndEvaluate(Dataset<Row> train, Dataset<Row> test) {
    long seed = config.models().seed();
    try (ConcurrentFits fits = new ConcurrentFits()) {
      // ---- churn ----
      Dataset<Row> churnTrain = balanced(train, Labels.CHURN);
      LifecycleConfig.Models.Gbt gbtSettings = config.models().gbt();
      GBTClassifier gbt = new GBTClassifier().setLabelCol(Labels.CHURN).setFeaturesCol(Pipelines.FEATURES)
          .setWeightCol(WEIGHT).setSeed(seed).setMaxIter(gbtSettings.maxIter()).setSubsamplingRate(gbtSettings.subsamplingRate());
      Future<Evaluated> gbtFit = fits.start(() -> churnMetrics(CHURN_GBT, search(Pipelines.featureStages(false), gbt,
          new ParamGridBuilder().addGrid(gbt.maxDepth(), ints(gbtSettings.maxDepth()))
              .addGrid(gbt.stepSize(), doubles(gbtSettings.stepSize())).build(),
          new BinaryClassificationEvaluator().setLabelCol(Labels.CHURN).setWeightCol(WEIGHT), churnTrain, seed), test));
      LifecycleConfig.Models.Logistic lrSettings = config.models().logistic();
      LogisticRegression lr = new LogisticRegression().setLabelCol(Labels.CHURN).setFeaturesCol(Pipelines.SCALED)
          .setWeightCol(WEIGHT).setMaxIter(lrSettings.maxIter());
      Future<Evaluated> lrFit = fits.start(() -> churnMetrics(CHURN_LOGISTIC, search(Pipelines.featureStages(true), lr,
          new ParamGridBuilder().addGrid(lr.regParam(), doubles(lrSettings.regParam()))
              .addGrid(lr.elasticNetParam(), doubles(lrSettings.elasticNetParam())).build(),
          new BinaryClassificationEvaluator().setLabelCol(Labels.CHURN).setWeightCol(WEIGHT), churnTrain, seed), test));

      // ---- next stage ----
      StringIndexer labelIndexer = new StringIndexer().setInputCol(Labels.NEXT_STAGE).setOutputCol(NEXT_INDEX)
          .setStringOrderType("alphabetAsc").setHandleInvalid("keep");
      StringIndexerModel labels = labelIndexer.fit(train);
      Dataset<Row> stageTrain = balanced(labels.transform(train), NEXT_INDEX);
      RandomForestClassifier forest = new RandomForestClassifier().setLabelCol(NEXT_INDEX).setFeaturesCol(Pipelines.FEATURES)
          .setWeightCol(WEIGHT).setSeed(seed).setNumTrees(config.models().forest().numTrees());
      Future<Evaluated> forestFit = fits.start(() -> nextStageMetrics(search(Pipelines.featureStages(false), forest,
          new ParamGridBuilder().addGrid(forest.maxDepth(), ints(config.models().forest().maxDepth())).build(),
          new MacroF1Evaluator(NEXT_INDEX, "prediction"), stageTrain, seed), labels, test));

      // ---- the baselines, which need no model ----
      Future<List<Metric>> churnBaselines = fits.start(() -> churnBaselines(test));
      Future<List<Metric>> stageBaselines = fits.start(() -> nextStageBaselines(train, test));

      Evaluated gbtModel = fits.result(gbtFit);
      // The training data's distribution, against which each score measures drift.
      Dataset<Row> scoredTrain = withDriftScore(gbtModel.model(), train);
      List<PopulationStability.Reference> reference = PopulationStability.reference(scoredTrain, driftColumns(scoredTrain));
      return new Fitted(gbtModel, fits.result(lrFit), fits.result(forestFit), fits.result(churnBaselines),
          fits.result(stageBaselines), reference);
    }
  }

  /** A churn model's metrics on the held-out rows. */
  private static Evaluated churnMetrics(String name, PipelineModel model, Dataset<Row> test) {
    List<Metric> metrics = new ArrayList<>();
    Evaluation.binary(churnProbability(model, test), Labels.CHURN, CHURN_P, true)
        .forEach((k, v) -> metrics.add(new Metric(ModelMetricsTable.TASK_CHURN, name, false, k, v)));
    return new Evaluated(model, metrics);
  }

  /** The churn baselines on the held-out rows: recency, and 1 - P(alive) when the features carry it. */
  private static List<Metric> churnBaselines(Dataset<Row> test) {
    List<Metric> metrics = new ArrayList<>();
    Evaluation.binary(test, Labels.CHURN, "recency_days", false)
        .forEach((k, v) -> metrics.add(new Metric(ModelMetricsTable.TASK_CHURN, "baseline_recency", true, k, v)));
    if (List.of(test.columns()).contains(PointInTimeFeatures.P_ALIVE)) {
      Evaluation.binary(test.withColumn("_dead", lit(1.0).minus(col(PointInTimeFeatures.P_ALIVE))), Labels.CHURN, "_dead", true)
          .forEach((k, v) -> metrics.add(new Metric(ModelMetricsTable.TASK_CHURN, "baseline_bgnbd_p_alive", true, k, v)));
    }
    return metrics;
  }

  /** The next-stage forest named as the saved pipeline (stage names, not indices), and its metrics on the held-out rows. */
  private static Evaluated nextStageMetrics(PipelineModel forest, StringIndexerModel labels, Dataset<Row> test) {
    PipelineModel withNames = new PipelineModel("next_stage", appendStage(forest,
        new IndexToString().setInputCol("prediction").setOutputCol(PREDICTED_STAGE).setLabels(labels.labelsArray()[0])));
    List<Metric> metrics = new ArrayList<>();
    Dataset<Row> stagePredictions = withNames.transform(labels.transform(test));
    Evaluation.multiclass(stagePredictions, Labels.NEXT_STAGE, PREDICTED_STAGE)
        .forEach((k, v) -> metrics.add(new Metric(ModelMetricsTable.TASK_NEXT_STAGE, NEXT_STAGE_FOREST, false, k, v)));
    metrics.add(new Metric(ModelMetricsTable.TASK_NEXT_STAGE, NEXT_STAGE_FOREST, false, ModelMetricsTable.LOG_LOSS,
        new MulticlassClassificationEvaluator().setLabelCol(NEXT_INDEX).setMetricName("logLoss").evaluate(stagePredictions)));
    return new Evaluated(withNames, metrics);
  }

  /**
   * The next-stage baselines on the held-out rows: the most likely transition from the current stage
   * (first-order Markov, estimated on the training customers) and the majority class.
   */
  private static List<Metric> nextStageBaselines(Dataset<Row> train, Dataset<Row> test) {
    List<Metric> metrics = new ArrayList<>();
    Dataset<Row> markov = train.groupBy(PointInTimeFeatures.CURRENT_STAGE, Labels.NEXT_STAGE).count()
        .withColumn("_r", row_number().over(org.apache.spark.sql.expressions.Window.partitionBy(PointInTimeFeatures.CURRENT_STAGE)
            .orderBy(col("count").desc(), col(Labels.NEXT_STAGE))))
        .where(col("_r").equalTo(1)).select(col(PointInTimeFeatures.CURRENT_STAGE), col(Labels.NEXT_STAGE).as("_markov"));
    String majority = train.groupBy(Labels.NEXT_STAGE).count().orderBy(col("count").desc(), col(Labels.NEXT_STAGE)).head().getString(0);
    Dataset<Row> baselines = test.join(markov, PointInTimeFeatures.CURRENT_STAGE, "left")
        .withColumn("_markov", coalesce(col("_markov"), lit(majority))).withColumn("_majority", lit(majority));
    Evaluation.multiclass(baselines, Labels.NEXT_STAGE, "_markov")
        .forEach((k, v) -> metrics.add(new Metric(ModelMetricsTable.TASK_NEXT_STAGE, "baseline_markov", true, k, v)));
    Evaluation.multiclass(baselines, Labels.NEXT_STAGE, "_majority")
        .forEach((k, v) -> metrics.add(new Metric(ModelMetricsTable.TASK_NEXT_STAGE, "baseline_majority", true, k, v)));
    return metrics;
  }

  private static <T> T lastStage(PipelineModel model, Class<T> type) {
    return type.cast(model.stages()[model.stages().length - 1]);
  }

  /** Examples per training partition. */
  static final long EXAMPLES_PER_PARTITION = 200_000;
  static final int MAX_PARTITIONS = 64;

  /**
   * Partitions to train on: one per {@value #EXAMPLES_PER_PARTITION} examples, at least one. MLlib's
   * trees and logistic regression run one Spark job per tree level or iteration, each with a task per
   * partition, so on a small set the tasks' fixed cost is most of the training time (the sample's 4,149
   * examples trained in 170 s on 8 partitions, 86 s on one).
   */
  static int partitionsFor(long examples) {
    return (int) Math.max(1, Math.min(MAX_PARTITIONS, (examples + EXAMPLES_PER_PARTITION - 1) / EXAMPLES_PER_PARTITION));
  }

  /** Adds the churn probability (probability of class 1) as a column. */
  public static Dataset<Row> churnProbability(PipelineModel model, Dataset<Row> rows) {
    return model.transform(rows).withColumn(CHURN_P, element_at(functions.vector_to_array(col("probability"), "float64"), 2));
  }

  /** Class weights inversely proportional to class frequency (the "balanced" rule), as a column. */
  private static Dataset<Row> balanced(Dataset<Row> rows, String label) {
    // One row per class: bounded.
    List<Row> counts = rows.groupBy(label).count().collectAsList();
    long total = counts.stream().mapToLong(r -> r.getLong(1)).sum();
    Column weight = lit(1.0);
    for (Row r : counts) {
      double w = (double) total / (counts.size() * r.getLong(1));
      weight = when(col(label).equalTo(r.get(0)), lit(w)).otherwise(weight);
    }
    return rows.withColumn(WEIGHT, weight);
  }

  private PipelineModel search(List<PipelineStage> featureStages, PipelineStage estimator, ParamMap[] grid,
      org.apache.spark.ml.evaluation.Evaluator evaluator, Dataset<Row> train, long seed) {
    List<PipelineStage> stages = new ArrayList<>(featureStages);
    stages.add(estimator);
    if (!config.models().gridSearch()) {
      // models.tuning = fixed: the grid's first setting, fitted once on all training rows.
      return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(train, grid[0]);
    }
    TrainValidationSplit tvs = new TrainValidationSplit().setEstimator(new Pipeline().setStages(stages.toArray(PipelineStage[]::new)))
        .setEstimatorParamMaps(grid).setEvaluator(evaluator).setTrainRatio(0.75).setSeed(seed).setParallelism(1);
    TrainValidationSplitModel fitted = tvs.fit(train);
    double[] scores = fitted.validationMetrics();
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      best = scores[i] > scores[best] ? i : best;
    }
    LOG.info("models.tuning = grid: {} chose {} (validation {} {} against {})", estimator.getClass().getSimpleName(),
        chosen(grid[best]), evaluator instanceof MacroF1Evaluator ? "macro F1" : "AUC-ROC",
        String.format(Locale.ROOT, "%.4f", scores[best]), Arrays.toString(scores));
    return (PipelineModel) fitted.bestModel();
  }

  private static String seconds(long since) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - since) / 1e9);
  }

  /** The grid point's settings as name=value, in the grid's order. */
  private static String chosen(ParamMap point) {
    StringBuilder out = new StringBuilder();
    for (ParamPair<?> pair : point.toList()) {
      out.append(out.length() == 0 ? "" : ", ").append(pair.param().name()).append('=').append(pair.value());
    }
    return out.toString();
  }

  private static int[] ints(List<Integer> grid) {
    return grid.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double[] doubles(List<Double> grid) {
    return grid.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static org.apache.spark.ml.Transformer[] appendStage(PipelineModel model, org.apache.spark.ml.Transformer last) {
    org.apache.spark.ml.Transformer[] stages = Arrays.copyOf(model.stages(), model.stages().length + 1);
    stages[stages.length - 1] = last;
    return stages;
  }

  /** Feature importances by input name; one-hot slots are named feature=value (the unseen slot is dropped). */
  private static Map<String, Double> importances(PipelineModel model, Vector importance) {
    List<String> names = new ArrayList<>(PointInTimeFeatures.NUMERIC);
    names.addAll(PointInTimeFeatures.BG_NBD);
    for (org.apache.spark.ml.Transformer t : model.stages()) {
      if (t instanceof StringIndexerModel idx && idx.getInputCols().length == PointInTimeFeatures.CATEGORICAL.size()) {
        for (int c = 0; c < PointInTimeFeatures.CATEGORICAL.size(); c++) {
          for (String v : idx.labelsArray()[c]) {
            names.add(PointInTimeFeatures.CATEGORICAL.get(c) + "=" + v);
          }
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < importance.size(); i++) {
      out.put(i < names.size() ? names.get(i) : "feature_" + i, importance.apply(i));
    }
    return out;
  }
}
