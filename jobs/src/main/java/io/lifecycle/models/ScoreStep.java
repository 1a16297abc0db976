package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.ChurnPredictionsTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.NextStagePredictionsTable;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code score}: the customers active at the run date, scored with the latest saved models (or the
 * version in {@code models.score_version}), into {@code churn_predictions} and {@code next_stage_predictions}.
 * A run can score without training when a model exists ({@code --steps score}).
 */
public final class ScoreStep implements Step {
  @Override
  public String name() {
    return "score";
  }

  @Override
  public StepResult run(RunContext ctx) {
    ModelRepository repo = new ModelRepository(ctx.spark(), ctx.config().output().root());
    String wanted = ctx.config().models().scoreVersion();
    ModelRepository.Loaded churn = repo.load(ModelTrainer.CHURN_GBT, wanted);
    ModelRepository.Loaded stage = repo.load(ModelTrainer.NEXT_STAGE_FOREST, wanted);
    Dataset<Row> events = ctx.eventsAsOf().persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    double thresholdDays = ctx.config().churnThreshold().toSeconds() / 86400.0;
    Dataset<Row> features = new ChurnSignals(ctx.config()).addBgNbd(
            new PointInTimeFeatures(ctx.config()).build(events, ctx.runDate()), events, List.of(ctx.runDate()))
        .where(col("recency_days").leq(thresholdDays))
        .cache();
    try {
      Column runDate = lit(java.sql.Date.valueOf(ctx.runDate()));
      Dataset<Row> churnScores = ModelTrainer.churnProbability(churn.model(), features).select(
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
      return StepResult.of(out.get(ChurnPredictionsTable.DEF.name()), out);
    } finally {
      features.unpersist();
      events.unpersist();
    }
  }
}
