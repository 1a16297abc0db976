package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.pipeline.RunContext;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.ModelFits;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.ChurnPredictionsTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.ModelDriftTable;
import io.lifecycle.tables.NextStagePredictionsTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code score}: the customers active at the run date, scored with the latest saved models (or the
 * version in {@code models.score_version}), into {@code churn_predictions} and {@code next_stage_predictions}.
 * A run can score without training when a model exists ({@code --steps score}). Each run also measures
 * how far the scored customers have drifted from the churn model's training data ({@code model_drift}).
 */
public final class ScoreStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(ScoreStep.class);

  @Override
  public String name() {
    return "score";
  }

  /**
   * The events of the customers that can be scored: those with an event within the churn threshold
   * before the run date, with a day's margin (the recency filter on the features is the exact rule). A
   * customer's features depend on their own events only, so computing them for these customers alone
   * gives the same rows; the BG/NBD fit behind the signals still sees every customer's purchases.
   */
  static Dataset<Row> scorable(Dataset<Row> events, java.time.LocalDate runDate, java.time.Duration threshold) {
    Timestamp from = Timestamp.from(PointInTimeFeatures.start(runDate).toInstant().minus(threshold).minus(java.time.Duration.ofDays(1)));
    Dataset<Row> recent = events.where(col(Columns.EVENT_TIME).geq(lit(from))).select(col(Columns.CUSTOMER_ID));
    return events.join(recent.distinct(), Columns.CUSTOMER_ID, "left_semi");
  }

  @Override
  public StepResult run(RunContext ctx) {
    ModelRepository repo = new ModelRepository(ctx.spark(), ctx.config().output().root());
    String wanted = ctx.config().models().scoreVersion();
    ModelRepository.Loaded churn = repo.load(ModelTrainer.CHURN_GBT, wanted);
    ModelRepository.Loaded stage = repo.load(ModelTrainer.NEXT_STAGE_FOREST, wanted);
    Optional<BgNbdModel> fitted = ctx.recall(ModelFits.BG_NBD_AT_RUN_DATE, BgNbdModel.class);
    Dataset<Row> events = ctx.eventsAsOf();
    Dataset<Row> scorable = scorable(events, ctx.runDate(), ctx.config().churnThreshold());
    // Read twice (features, signals): the scorable customers' events when the clv step of this run
    // left its BG/NBD fit, else every event (the signals' fit needs every customer's purchases).
    Dataset<Row> read = (fitted.isPresent() ? scorable : events).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    double thresholdDays = ctx.config().churnThreshold().toSeconds() / 86400.0;
    ChurnSignals signals = new ChurnSignals(ctx.config());
    Dataset<Row> atRunDate = new PointInTimeFeatures(ctx.config())
        .build(fitted.isPresent() ? read : scorable(read, ctx.runDate(), ctx.config().churnThreshold()), ctx.runDate());
    Dataset<Row> features = (fitted.isPresent()
            ? signals.addBgNbd(atRunDate, read, ctx.runDate(), fitted.get())
            : signals.addBgNbd(atRunDate, read, List.of(ctx.runDate())))
        .where(col("recency_days").leq(thresholdDays))
        .cache();
    if (fitted.isPresent()) {
      LOG.info("churn signals from the BG/NBD fit of this run's clv step");
    }
    try {
      Column runDate = lit(java.sql.Date.valueOf(ctx.runDate()));
      Dataset<Row> scored = ModelTrainer.withDriftScore(churn.model(), features);
      Dataset<Row> churnScores = scored.select(
          runDate.as(Columns.RUN_DATE),
          col(Columns.CUSTOMER_ID),
          col(ModelTrainer.CHURN_P).as(ChurnPredictionsTable.CHURN_PROBABILITY),
          when(col(ModelTrainer.CHURN_P).geq(0.6), "high").when(col(ModelTrainer.CHURN_P).geq(0.3), "medium").otherwise("low")
              .as(ChurnPredictionsTable.RISK_TIER),
          lit(churn.version()).as(ChurnPredictionsTable.MODEL_VERSION),
          lit(Timestamp.from(ctx.asOf())).as(ChurnPredictionsTable.SCORED_AT));
      PipelineModel stageModel = stage.model();
      String[] labels = ((IndexToString) stageModel.stages()[stageModel.stages().length - 1]).getLabels();
      Column probabilities = org.apache.spark.ml.functions.vector_to_array(col("probability"), "float64");
      Dataset<Row> stageScores = stageModel.transform(features).select(
          runDate.as(Columns.RUN_DATE),
          col(Columns.CUSTOMER_ID),
          col(PointInTimeFeatures.CURRENT_STAGE).as(NextStagePredictionsTable.CURRENT_STAGE),
          col(ModelTrainer.PREDICTED_STAGE).as(NextStagePredictionsTable.PREDICTED_STAGE),
          array_max(probabilities).as(NextStagePredictionsTable.PREDICTED_PROBABILITY),
          map_from_arrays(lit(labels), slice(probabilities, 1, labels.length)).as(NextStagePredictionsTable.STAGE_PROBABILITIES),
          lit(stage.version()).as(NextStagePredictionsTable.MODEL_VERSION));
      Map<String, Long> out = new LinkedHashMap<>();
      out.put(ChurnPredictionsTable.DEF.name(), ctx.store().write(ChurnPredictionsTable.DEF, churnScores, ctx.runDate()));
      out.put(NextStagePredictionsTable.DEF.name(), ctx.store().write(NextStagePredictionsTable.DEF, stageScores, ctx.runDate()));
      Optional<List<PopulationStability.Reference>> reference = repo.reference(ModelTrainer.CHURN_GBT, churn.version());
      if (reference.isPresent()) {
        out.put(ModelDriftTable.DEF.name(), ctx.store().write(ModelDriftTable.DEF,
            ctx.spark().createDataFrame(drift(reference.get(), scored, churn.version(), ctx), ModelDriftTable.DEF.schema()), ctx.runDate()));
      } else {
        LOG.info("no drift check: model {} {} was saved without its training distribution (retrain to get one)",
            ModelTrainer.CHURN_GBT, churn.version());
      }
      return StepResult.of(out.get(ChurnPredictionsTable.DEF.name()), out);
    } finally {
      features.unpersist();
      read.unpersist();
    }
  }

  /** The PSI of each reference column over the scored customers: a row per column, logged by the largest. */
  private static List<Row> drift(List<PopulationStability.Reference> reference, Dataset<Row> scored, String version, RunContext ctx) {
    List<double[]> shares = PopulationStability.shares(scored, reference);
    java.sql.Date runDate = java.sql.Date.valueOf(ctx.runDate());
    List<Row> rows = new ArrayList<>();
    PopulationStability.Reference largest = null;
    double largestPsi = -1;
    for (int i = 0; i < reference.size(); i++) {
      PopulationStability.Reference r = reference.get(i);
      double psi = PopulationStability.psi(r.shares(), shares.get(i));
      rows.add(RowFactory.create(runDate, ModelTrainer.CHURN_GBT, version, r.column(), psi, r.bins(), ModelDriftTable.status(psi)));
      if (psi > largestPsi) {
        largest = r;
        largestPsi = psi;
      }
    }
    if (largest != null) {
      LOG.info("drift against the training data of {} {}: largest PSI {} ({}), {}", ModelTrainer.CHURN_GBT, version,
          String.format("%.3f", largestPsi), largest.column(), ModelDriftTable.status(largestPsi));
    }
    return rows;
  }
}
