package io.lifecycle.clv;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.stats.CustomerSummary;
import io.lifecycle.stats.ModelFits;
import io.lifecycle.stats.PurchaseModel;
import io.lifecycle.stats.SummaryPredictions;
import io.lifecycle.stats.GammaGammaModel;
import io.lifecycle.stats.MleResult;
import io.lifecycle.stats.RfmSummary;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.LifecycleConfig.Clv;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.spark.ExactQuantiles;
import io.lifecycle.tables.ChannelAttributionTable;
import io.lifecycle.tables.ClvHoldoutTable;
import io.lifecycle.tables.ClvForecastTable;
import io.lifecycle.tables.ClvModelsTable;
import io.lifecycle.tables.CohortSurvivalTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerForecastTable;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.CustomerValueTable;
import io.lifecycle.tables.RunLogTable;
import io.lifecycle.tables.SegmentValueTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code clv}: historical, simple and predicted customer lifetime value. Purchase models (BG/NBD and
 * Pareto/NBD) and the Gamma-Gamma spend model are fitted on compressed summaries; a calibration/holdout
 * check picks the purchase model with the lower error; per-customer values and forecasts are computed
 * per distinct summary by Spark tasks and joined back to customers; the population forecasts
 * ({@link ClvForecast}) come from the model and the customers aggregated per day and per age.
 * The channels' attribution is computed here too: it weighs the journeys by the predicted CLV.
 *
 * <p>Daily (incremental) runs may keep the last valuation for {@code clv.revalue_every}: CLV moves slowly
 * and this is the largest step of a daily run, so teams revalue weekly, as they retrain.
 */
public final class ClvStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(ClvStep.class);

  @Override
  public String name() {
    return "clv";
  }

  /**
   * The settings a valuation depends on (the purchase types are in stages; models.seed draws the
   * intervals; cohorts.breakdowns shape the covariates): recorded in run_log, so that a kept valuation
   * ({@code clv.revalue_every}) is one these settings would give. Not the input section, whose path a
   * daily run changes.
   */
  @Override
  public String settingsHash(LifecycleConfig config) {
    return config.settingsHash("clv", "stages", "models", "cohorts");
  }

  /**
   * Why an incremental run keeps the last valuation ({@code clv.revalue_every}: teams revalue weekly, not
   * daily), or empty when it revalues: always in a full run, when the step is asked for by name, when
   * there is no valuation yet, when it is as old as the setting or older, when the settings it depends on
   * changed since, or when a full-mode ingest ran after it (a backfill may have replaced the events).
   */
  private Optional<String> keptValuation(RunContext ctx) {
    LifecycleConfig config = ctx.config();
    long every = config.clv().revalueEvery().toDays();
    if (every == 0 || !config.incremental().enabled() || ctx.askedFor(name()) || !ctx.store().exists(CustomerValueTable.DEF)) {
      return Optional.empty();
    }
    LocalDate valued = ctx.previousSuccess(name());
    if (valued == null) {
      return Optional.empty();
    }
    long age = java.time.temporal.ChronoUnit.DAYS.between(valued, ctx.runDate());
    if (age >= every) {
      return Optional.empty();
    }
    Dataset<Row> log = ctx.store().read(RunLogTable.DEF).where(col(RunLogTable.STATUS).equalTo(RunLogTable.SUCCEEDED));
    // One row, bounded: the valuation's last successful attempt, and full-mode ingests after it.
    Row last = log.where(col(RunLogTable.STEP).equalTo(name()).and(col(Columns.RUN_DATE).equalTo(lit(Date.valueOf(valued)))))
        .agg(max(col(RunLogTable.STARTED_AT)), max_by(col(RunLogTable.SETTINGS_HASH), col(RunLogTable.STARTED_AT)))
        .head();
    if (last.isNullAt(1) || !last.getString(1).equals(settingsHash(config))) {
      LOG.info("the clv, stages, models or cohorts settings changed since the valuation of {}: revaluing", valued);
      return Optional.empty();
    }
    long backfills = log.where(col(RunLogTable.STEP).equalTo("ingest")
            .and(col(RunLogTable.STARTED_AT).gt(lit(last.getAs(0))))
            .and(not(coalesce(col(RunLogTable.MODE).equalTo("incremental"), lit(false)))))
        .count();
    if (backfills > 0) {
      LOG.info("a full-mode ingest ran after the valuation of {}: revaluing", valued);
      return Optional.empty();
    }
    return Optional.of(String.format("the customer values of %s are %d day%s old, clv.revalue_every = %d days "
        + "(revaluing on %s; --steps clv revalues now)", valued, age, age == 1 ? "" : "s", every, valued.plusDays(every)));
  }

  @Override
  public StepResult run(RunContext ctx) {
    Optional<String> kept = keptValuation(ctx);
    if (kept.isPresent()) {
      return StepResult.skipped(kept.get());
    }
    LifecycleConfig config = ctx.config();
    Clv clv = config.clv();
    SparkSession spark = ctx.spark();
    LocalDate runDate = ctx.runDate();
    Dataset<Row> events = ctx.eventsAsOf().select(Columns.CUSTOMER_ID, Columns.EVENT_TIME, Columns.EVENT_TYPE, Columns.AMOUNT, Columns.CHANNEL);
    if (clv.holdoutWeeks() > 0) {
      // Read again by the holdout (its calibration summary and the holdout's purchases): cached only then.
      events = events.persist(StorageLevel.MEMORY_AND_DISK());
    }
    try {
      List<Row> modelRows = new ArrayList<>();
      Dataset<Row> summary = CustomerSummary.withChannel(events, config.stages().purchaseEventTypes(), runDate.minusDays(1), clv.timeUnit())
          .persist(StorageLevel.MEMORY_AND_DISK());
      RfmSummary triples = ModelFits.triples(summary);
      ModelFits.Fit<io.lifecycle.stats.BgNbdModel> bg = ModelFits.bgNbd(triples);
      if (bg.usable()) {
        ctx.remember(ModelFits.BG_NBD_AT_RUN_DATE, bg.fit().model());
      }
      ModelFits.Fit<io.lifecycle.stats.ParetoNbdModel> pareto = ModelFits.paretoNbd(triples);
      ModelFits.Fit<GammaGammaModel> gg = ModelFits.gammaGamma(ModelFits.spends(summary));

      // Calibration / holdout: refit on the history before the holdout, predict the holdout.
      Holdout holdout = Holdout.run(config, events, runDate);
      String selected = holdout == null ? ClvModelsTable.BG_NBD : holdout.better();
      if (holdout != null) {
        holdout.fits().forEach(f -> modelRows.add(modelRow(runDate, f, "calibration", "all", holdout.calibrationEnd(), f.model().equals(selected))));
      }
      modelRows.add(modelRow(runDate, bg, "full", "all", runDate, selected.equals(ClvModelsTable.BG_NBD)));
      modelRows.add(modelRow(runDate, pareto, "full", "all", runDate, selected.equals(ClvModelsTable.PARETO_NBD)));
      modelRows.add(modelRow(runDate, gg, "full", "all", runDate, true));
      segmentFits(config, summary, runDate).forEach(modelRows::add);
      ClvCovariates.fits(config, ctx.eventsAsOf(), summary, runDate, bg, pareto).forEach(modelRows::add);

      PurchaseModel purchase = selected.equals(ClvModelsTable.PARETO_NBD) && pareto.usable() ? PurchaseModel.of(pareto.fit().model())
          : bg.usable() ? PurchaseModel.of(bg.fit().model()) : null;
      // The customers' values feed customer_value and every segment of segment_value, and the segments
      // (a few per cohort, channel, stage and path) feed both tables too: each computed once.
      ClvIntervals intervals = ClvIntervals.draw(clv, config.models().seed(), purchase, bg, pareto, gg);
      // The segments' paths: the most common ones, the rest as one '(other)' segment.
      Dataset<Row> journeys = ctx.store().exists(CustomerJourneysTable.DEF)
          ? PathSegments.of(ctx.store().read(CustomerJourneysTable.DEF), summary, clv.pathSegments()) : null;
      // Read by the customers' intervals and the segments' totals: evaluated once.
      Dataset<Row> evaluated = intervals == null ? null
          : intervals.evaluate(summary.withColumn(CustomerValueTable.COHORT, cohort()), journeys, clv).persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> values = customerValues(config, summary, purchase, gg.usable() ? gg.fit().model() : null, runDate, evaluated);
      Dataset<Row> segments = ClvIntervals.withSegmentIntervals(new SimpleClv(config).segments(values, survival(ctx), journeys, runDate),
          intervals == null ? null : intervals.segments(evaluated)).localCheckpoint();
      if (evaluated != null) {
        evaluated.unpersist();
      }
      Dataset<Row> withSimple = withSimpleClv(values, segments);

      Map<String, Long> out = new LinkedHashMap<>();
      out.put(CustomerValueTable.DEF.name(), ctx.store().write(CustomerValueTable.DEF, withSimple, runDate));
      out.put(CustomerForecastTable.DEF.name(), ctx.store().write(CustomerForecastTable.DEF,
          customerForecasts(values, purchase), runDate));
      List<Row> forecastRows = purchase == null ? List.of() : ClvForecast.rows(purchase, clv, ClvForecast.Customers.of(summary,
          CustomerSummary.customersPerPurchaseDay(events, config.stages().purchaseEventTypes(), runDate.minusDays(1))), runDate);
      out.put(ClvForecastTable.DEF.name(), ctx.store().write(ClvForecastTable.DEF,
          spark.createDataFrame(forecastRows, ClvForecastTable.DEF.schema()), runDate));
      out.put(ClvModelsTable.DEF.name(), ctx.store().write(ClvModelsTable.DEF,
          spark.createDataFrame(modelRows, ClvModelsTable.DEF.schema()), runDate));
      out.put(ClvHoldoutTable.DEF.name(), ctx.store().write(ClvHoldoutTable.DEF,
          holdout == null ? spark.createDataFrame(List.of(), ClvHoldoutTable.DEF.schema()) : holdout.table(spark, runDate), runDate));
      out.put(SegmentValueTable.DEF.name(), ctx.store().write(SegmentValueTable.DEF, segments, runDate));
      out.put(ChannelAttributionTable.DEF.name(), ctx.store().write(ChannelAttributionTable.DEF,
          ChannelAttribution.of(events, withSimple, config.stages().purchaseEventTypes(), clv.attributionChannels(), runDate), runDate));
      summary.unpersist();
      return StepResult.of((long) triples.totalWeight(), out);
    } finally {
      events.unpersist();
    }
  }

  private static Dataset<Row> survival(RunContext ctx) {
    return ctx.store().exists(CohortSurvivalTable.DEF) ? ctx.store().read(CohortSurvivalTable.DEF) : null;
  }

  /**
   * The customer_value rows: each customer's values beside the simple CLV of the customer's cohort
   * segment (a few dozen rows, broadcast: the customers are not shuffled for them).
   */
  public static Dataset<Row> withSimpleClv(Dataset<Row> values, Dataset<Row> segments) {
    return values.join(broadcast(segments).where(col(SegmentValueTable.SEGMENT_TYPE).equalTo("cohort"))
            .select(col(SegmentValueTable.SEGMENT).as("_cohort_text"), col(SegmentValueTable.SIMPLE_CLV).as(CustomerValueTable.SIMPLE_CLV)),
        date_format(col(CustomerValueTable.COHORT), "yyyy-MM-dd").equalTo(col("_cohort_text")), "left");
  }

  /**
   * The customer_forecast rows: the forecast columns of {@link #customerValues} (none without a purchase
   * model).
   */
  public static Dataset<Row> customerForecasts(Dataset<Row> values, PurchaseModel purchase) {
    Dataset<Row> rows = purchase == null ? values.limit(0) : values;
    return rows.select(col(Columns.RUN_DATE), col(Columns.CUSTOMER_ID), col(CustomerValueTable.PURCHASE_MODEL).as(CustomerForecastTable.PURCHASE_MODEL),
        col(CustomerValueTable.P_ALIVE).as(CustomerForecastTable.P_ALIVE), col(CustomerForecastTable.P_ALIVE_AT_HORIZON),
        col(CustomerForecastTable.FORECAST), col(CustomerForecastTable.MEDIAN_DAYS_TO_NEXT_PURCHASE), col(CustomerForecastTable.DERT));
  }

  /**
   * Per customer of the summary ({@link CustomerSummary#withChannel}): the purchase model's and
   * Gamma-Gamma's predictions, the predicted CLV, the value tier and the acquisition channel
   * (customer_value without the simple CLV), and the purchase model's customer_forecast columns; a null
   * model leaves its columns null.
   */
  public static Dataset<Row> customerValues(LifecycleConfig config, Dataset<Row> summary, PurchaseModel purchase,
      GammaGammaModel spend, LocalDate runDate) {
    return customerValues(config, summary, purchase, spend, runDate, null);
  }

  /**
   * {@link #customerValues} with the customers' 90% intervals from the draws' predictions per distinct
   * summary ({@link ClvIntervals#evaluate}; null: the interval columns null).
   */
  public static Dataset<Row> customerValues(LifecycleConfig config, Dataset<Row> summary, PurchaseModel purchase,
      GammaGammaModel spend, LocalDate runDate, Dataset<Row> evaluated) {
    Clv clv = config.clv();
    Dataset<Row> customers = summary;
    if (purchase != null) {
      customers = customers.join(SummaryPredictions.lifetime(summary, clv, purchase),
          new String[] {CustomerSummary.FREQUENCY, CustomerSummary.RECENCY, CustomerSummary.AGE}, "left");
    } else {
      customers = customers.withColumn(CustomerValueTable.P_ALIVE, lit(null).cast("double"))
          .withColumn(CustomerValueTable.EXPECTED_PURCHASES, lit(null).cast("double"))
          .withColumn(SummaryPredictions.DISCOUNTED_PURCHASES, lit(null).cast("double"))
          .withColumn(CustomerForecastTable.P_ALIVE_AT_HORIZON, lit(null).cast("double"))
          .withColumn(CustomerForecastTable.FORECAST, lit(null).cast(DataTypes.createArrayType(CustomerForecastTable.HORIZON, false)))
          .withColumn(CustomerForecastTable.MEDIAN_DAYS_TO_NEXT_PURCHASE, lit(null).cast("double"))
          .withColumn(CustomerForecastTable.DERT, lit(null).cast("double"));
    }
    Column x = col(CustomerSummary.FREQUENCY).cast("double");
    Column expectedSpend = spend == null ? lit(null).cast("double")
        : lit(spend.p()).multiply(lit(spend.v()).plus(when(x.gt(0), x.multiply(col(CustomerSummary.MONETARY_VALUE))).otherwise(0.0)))
            .divide(lit(spend.p()).multiply(x).plus(spend.q() - 1));
    Dataset<Row> valued = ClvIntervals.withCustomerIntervals(customers
        .withColumn(CustomerValueTable.EXPECTED_MEAN_SPEND, expectedSpend)
        .withColumn(CustomerValueTable.PREDICTED_CLV,
            lit(clv.grossMargin()).multiply(col(CustomerValueTable.EXPECTED_MEAN_SPEND)).multiply(col(SummaryPredictions.DISCOUNTED_PURCHASES))),
        evaluated);
    // Read by the tier thresholds and by the values themselves: computed once (it joins the predictions).
    valued = valued.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // The tier thresholds, exact: the same customers get the same tier in a daily run and a full run.
      double[] q = ExactQuantiles.of(valued, CustomerValueTable.PREDICTED_CLV, 0.8, 0.95);
      List<Double> cuts = q == null ? List.of(Double.MAX_VALUE, Double.MAX_VALUE) : List.of(q[0], q[1]);
      return withTiers(valued, cuts, clv, purchase, runDate);
    } finally {
      valued.unpersist();
    }
  }

  /** The customer_value rows (checkpointed: read by both of the step's value tables). */
  private static Dataset<Row> withTiers(Dataset<Row> valued, List<Double> cuts, Clv clv, PurchaseModel purchase,
      LocalDate runDate) {
    Column clvCol = col(CustomerValueTable.PREDICTED_CLV);
    return valued.select(
        lit(Date.valueOf(runDate)).as(Columns.RUN_DATE),
        col(Columns.CUSTOMER_ID),
        col(CustomerSummary.FREQUENCY).as(CustomerValueTable.FREQUENCY),
        col(CustomerSummary.RECENCY).as(CustomerValueTable.RECENCY),
        col(CustomerSummary.AGE).as(CustomerValueTable.AGE),
        col(CustomerSummary.MONETARY_VALUE).as(CustomerValueTable.MONETARY_VALUE),
        col(CustomerSummary.TOTAL_REVENUE).as(CustomerValueTable.TOTAL_REVENUE),
        col(CustomerSummary.TOTAL_REVENUE).multiply(clv.grossMargin()).as(CustomerValueTable.HISTORICAL_CLV),
        col(CustomerValueTable.P_ALIVE),
        col(CustomerValueTable.P_ALIVE_LOW),
        col(CustomerValueTable.P_ALIVE_HIGH),
        col(CustomerValueTable.EXPECTED_PURCHASES),
        col(CustomerValueTable.EXPECTED_MEAN_SPEND),
        clvCol,
        col(CustomerValueTable.PREDICTED_CLV_LOW),
        col(CustomerValueTable.PREDICTED_CLV_HIGH),
        when(clvCol.geq(cuts.get(1)), "top_5").when(clvCol.geq(cuts.get(0)), "top_20").otherwise("rest").as(CustomerValueTable.VALUE_TIER),
        cohort().as(CustomerValueTable.COHORT),
        coalesce(col(CustomerValueTable.CHANNEL), lit("unknown")).as(CustomerValueTable.CHANNEL),
        lit(purchase == null ? null : purchase.name()).cast("string").as(CustomerValueTable.PURCHASE_MODEL),
        col(CustomerForecastTable.P_ALIVE_AT_HORIZON),
        col(CustomerForecastTable.FORECAST),
        col(CustomerForecastTable.MEDIAN_DAYS_TO_NEXT_PURCHASE),
        col(CustomerForecastTable.DERT))
        .localCheckpoint();
  }

  /** A customer's cohort: the month of the first purchase. */
  private static Column cohort() {
    return trunc(col(CustomerSummary.FIRST_PURCHASE_DATE), "month");
  }

  static Row modelRow(LocalDate runDate, ModelFits.Fit<?> f, String purpose, String segment, LocalDate cutoff, boolean selected) {
    MleResult mle = f.mle();
    return RowFactory.create(Date.valueOf(runDate), f.model(), purpose, segment, Date.valueOf(cutoff),
        byName(mle, mle.estimates()), byName(mle, mle.standardErrors()), mle.logLikelihood(), mle.evaluations(), f.fit().converged(), mle.atBoundary(), f.customers(), f.distinct(),
        f.seconds(), selected && f.usable(), mle.message(), null, null, null);
  }

  /** A fit's values (estimates or standard errors) as clv_models' map, by parameter name. */
  static scala.collection.Map<String, Double> byName(MleResult mle, double[] values) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < mle.parameterNames().size(); i++) {
      out.put(mle.parameterNames().get(i), values[i]);
    }
    return scala.jdk.javaapi.CollectionConverters.asScala(out);
  }

  /** Per-segment BG/NBD and Gamma-Gamma fits (clv.fit_segments), one row each: the BTYD authors fit cohorts apart. */
  private static List<Row> segmentFits(LifecycleConfig config, Dataset<Row> summary, LocalDate runDate) {
    Clv.Segments by = config.clv().fitSegments();
    List<Row> rows = new ArrayList<>();
    if (by == Clv.Segments.NONE) {
      return rows;
    }
    Column segment;
    Dataset<Row> keyed;
    if (by == Clv.Segments.COHORT) {
      segment = concat(lit("cohort="), date_format(trunc(col(CustomerSummary.FIRST_PURCHASE_DATE), "month"), "yyyy-MM-dd"));
      keyed = summary.withColumn("_segment", segment);
    } else {
      keyed = summary.withColumn("_segment", concat(lit("channel="), coalesce(col(CustomerSummary.CHANNEL), lit("unknown"))));
    }
    // One row per segment: bounded by the number of cohorts or channels.
    for (Row s : keyed.select("_segment").distinct().orderBy("_segment").collectAsList()) {
      Dataset<Row> part = keyed.where(col("_segment").equalTo(s.getString(0)));
      rows.add(modelRow(runDate, ModelFits.bgNbd(ModelFits.triples(part)), "full", s.getString(0), runDate, false));
      rows.add(modelRow(runDate, ModelFits.gammaGamma(ModelFits.spends(part)), "full", s.getString(0), runDate, false));
    }
    LOG.info("fitted {} segments by {}", rows.size() / 2, by.name().toLowerCase());
    return rows;
  }
}
