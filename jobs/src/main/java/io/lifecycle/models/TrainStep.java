package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.ModelDriftTable;
import io.lifecycle.tables.ModelFeaturesTable;
import io.lifecycle.tables.ModelMetricsTable;
import io.lifecycle.tables.SessionsTable;
import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code train}: labelled examples from rolling cutoffs, the churn and next-stage models, their
 * evaluation beside the baselines ({@code model_metrics}), feature importances ({@code model_features}),
 * and the pipelines saved under the output root as version {@code v<run date>}. Skipped while the saved
 * models are younger than {@code models.retrain_every} and have not drifted ({@link RetrainSchedule}).
 */
public final class TrainStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(TrainStep.class);

  @Override
  public String name() {
    return "train";
  }

  public static String version(LocalDate runDate) {
    return "v" + runDate.format(DateTimeFormatter.BASIC_ISO_DATE);
  }

  /**
   * The largest drift that a scoring run before this run date measured against {@code version}'s training
   * data (one row), or empty when none was measured.
   */
  private static Optional<RetrainSchedule.Drift> largestDrift(RunContext ctx, String version) {
    if (!ctx.store().exists(ModelDriftTable.DEF)) {
      return Optional.empty();
    }
    // Bounded: one row (limit 1).
    Row top = ctx.store().read(ModelDriftTable.DEF)
        .where(col(ModelDriftTable.MODEL_VERSION).equalTo(version).and(col(Columns.RUN_DATE).lt(lit(Date.valueOf(ctx.runDate()))))
            .and(col(ModelDriftTable.PSI).isNotNull()))
        .orderBy(col(ModelDriftTable.PSI).desc(), col(Columns.RUN_DATE), col(ModelDriftTable.FEATURE))
        .select(Columns.RUN_DATE, ModelDriftTable.FEATURE, ModelDriftTable.PSI).limit(1).collectAsList().stream().findFirst().orElse(null);
    return top == null ? Optional.empty()
        : Optional.of(new RetrainSchedule.Drift(top.getAs(0), top.getString(1), top.getDouble(2)));
  }

  /**
   * Why this run keeps the saved models ({@link RetrainSchedule}), or empty when it trains; a retraining
   * that the drift brings forward is logged with its reason.
   */
  static Optional<String> keepReason(RunContext ctx, ModelRepository repo, boolean askedFor) {
    Optional<String> oldest = Optional.empty();
    for (String model : List.of(ModelTrainer.CHURN_GBT, ModelTrainer.NEXT_STAGE_FOREST)) {
      Optional<String> latest = repo.latest(model);
      if (latest.isEmpty()) {
        oldest = Optional.empty();
        break;
      }
      oldest = oldest.isEmpty() || latest.get().compareTo(oldest.get()) < 0 ? latest : oldest;
    }
    RetrainSchedule schedule = new RetrainSchedule(ctx.config().models().retrainEvery(), ctx.config().models().driftRetrainPsi());
    Optional<RetrainSchedule.Drift> drift = ctx.config().models().retrainEvery().isZero() || oldest.isEmpty() ? Optional.empty()
        : repo.latest(ModelTrainer.CHURN_GBT).flatMap(v -> largestDrift(ctx, v));
    Optional<String> keep = schedule.keepReason(oldest, ctx.runDate(), askedFor, drift);
    if (keep.isEmpty() && !askedFor) {
      schedule.driftReason(drift).ifPresent(reason -> LOG.info("retraining before the schedule: {}", reason));
    }
    return keep;
  }

  @Override
  public StepResult run(RunContext ctx) {
    ModelRepository repo = new ModelRepository(ctx.spark(), ctx.config().output().root());
    Optional<String> keep = keepReason(ctx, repo, ctx.askedFor(name()));
    if (keep.isPresent()) {
      return StepResult.skipped(keep.get());
    }
    TrainingSet set = new TrainingSet(ctx.config());
    Dataset<Row> asOf = ctx.eventsAsOf();
    // Above models.max_training_customers, train on a fixed sample of customers: the estimate of the
    // customer count reads one column and needs no shuffle.
    long customers = asOf.agg(approx_count_distinct(col(Columns.CUSTOMER_ID), 0.01)).head().getLong(0);
    double fraction = set.sampleFraction(customers);
    if (fraction < 1.0) {
      LOG.info("training on a sample of about {} of about {} customers (models.max_training_customers)",
          ctx.config().models().maxTrainingCustomers(), customers);
    }
    // Every cutoff's features, labels and BG/NBD fit read the events: read them once.
    Dataset<Row> events = set.sample(asOf, fraction).persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> sessions = set.sample(ctx.store().read(SessionsTable.DEF), fraction);
    List<LocalDate> cutoffs = set.cutoffs(ctx.runDate());
    Dataset<Row> examples = new ChurnSignals(ctx.config()).addBgNbd(set.build(events, sessions, ctx.runDate()), events, cutoffs);
    ModelTrainer.Result result = new ModelTrainer(ctx.config()).train(examples);
    String version = version(ctx.runDate());
    result.models().forEach((name, model) -> repo.save(name, version, model));
    repo.saveReference(ModelTrainer.CHURN_GBT, version, result.driftReference());

    Date runDate = Date.valueOf(ctx.runDate());
    Date from = Date.valueOf(cutoffs.get(cutoffs.size() - 1));
    Date to = Date.valueOf(cutoffs.get(0));
    List<Row> metricRows = new ArrayList<>();
    for (ModelTrainer.Metric m : result.metrics()) {
      metricRows.add(RowFactory.create(runDate, m.task(), m.model(), m.baseline(), version, from, to, m.metric(),
          Double.isNaN(m.value()) ? null : m.value()));
      if (m.metric().equals(ModelMetricsTable.AUC_ROC) || m.metric().equals(ModelMetricsTable.MACRO_F1)) {
        LOG.info("{} {}: {} = {}", m.task(), m.model(), m.metric(), String.format("%.3f", m.value()));
      }
    }
    List<Row> featureRows = new ArrayList<>();
    result.importances().forEach((model, imp) -> imp.forEach((feature, value) ->
        featureRows.add(RowFactory.create(runDate, model, version, feature, value))));
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(ModelMetricsTable.DEF.name(), ctx.store().write(ModelMetricsTable.DEF,
        ctx.spark().createDataFrame(metricRows, ModelMetricsTable.DEF.schema()), ctx.runDate()));
    out.put(ModelFeaturesTable.DEF.name(), ctx.store().write(ModelFeaturesTable.DEF,
        ctx.spark().createDataFrame(featureRows, ModelFeaturesTable.DEF.schema()), ctx.runDate()));
    events.unpersist();
    return StepResult.of(result.examples(), out);
  }
}
