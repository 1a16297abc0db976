package io.lifecycle.clv;

import io.lifecycle.tables.ClvModelsTable;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.CustomerSummary;
import io.lifecycle.stats.ModelFits;
import io.lifecycle.stats.ParetoNbdModel;
import io.lifecycle.stats.PurchaseModel;
import io.lifecycle.stats.SummaryPredictions;
import io.lifecycle.spark.ExactSums;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.stats.RfmSummary;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.ClvHoldoutTable;
import io.lifecycle.tables.Columns;
import java.sql.Date;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calibration/holdout check: both purchase models are fitted on the purchases before the holdout
 * (clv.holdout_weeks before the run date), predict each calibration customer's repeat purchase days in
 * the holdout, and are compared with what happened, per calibration frequency and in total. The model
 * with the lower per-customer root mean squared error is selected for the predictions.
 */
public final class Holdout {
  private static final Logger LOG = LoggerFactory.getLogger(Holdout.class);

  private final LocalDate calibrationEnd;
  private final List<ModelFits.Fit<?>> fits;
  private final List<Row> buckets;
  private final String better;

  private Holdout(LocalDate calibrationEnd, List<ModelFits.Fit<?>> fits, List<Row> buckets, String better) {
    this.calibrationEnd = calibrationEnd;
    this.fits = fits;
    this.buckets = buckets;
    this.better = better;
  }

  public LocalDate calibrationEnd() {
    return calibrationEnd;
  }

  public List<ModelFits.Fit<?>> fits() {
    return fits;
  }

  public String better() {
    return better;
  }

  /** Null when the holdout is disabled or the calibration period holds no purchase. */
  public static Holdout run(LifecycleConfig config, Dataset<Row> events, LocalDate runDate) {
    int weeks = config.clv().holdoutWeeks();
    if (weeks == 0) {
      return null;
    }
    LocalDate end = runDate.minusWeeks(weeks);
    // Read by the compression, the predictions and the comparison: computed once.
    Dataset<Row> calibration = CustomerSummary.of(events, config.stages().purchaseEventTypes(), end.minusDays(1), config.clv().timeUnit())
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return run(config, events, runDate, end, calibration);
    } finally {
      calibration.unpersist();
    }
  }

  private static Holdout run(LifecycleConfig config, Dataset<Row> events, LocalDate runDate, LocalDate end, Dataset<Row> calibration) {
    RfmSummary triples = ModelFits.triples(calibration);
    if (triples.size() == 0) {
      LOG.warn("no purchase before {}: no holdout check", end);
      return null;
    }
    ModelFits.Fit<io.lifecycle.stats.BgNbdModel> bg = ModelFits.bgNbd(triples);
    ModelFits.Fit<io.lifecycle.stats.ParetoNbdModel> pareto = ModelFits.paretoNbd(triples);
    double days = ChronoUnit.DAYS.between(end, runDate);
    double t = config.clv().timeUnit() == LifecycleConfig.Clv.TimeUnit.WEEKS ? days / 7 : days;

    // Predictions per distinct summary, joined back to the calibration customers.
    Dataset<Row> predictions = SummaryPredictions.expectedPurchases(calibration, t, List.of(ClvModelsTable.BG_NBD, ClvModelsTable.PARETO_NBD),
        java.util.Arrays.asList(bg.usable() ? PurchaseModel.of(bg.fit().model()) : null,
            pareto.usable() ? PurchaseModel.of(pareto.fit().model()) : null));
    Column purchase = col(Columns.EVENT_TYPE).isin(config.stages().purchaseEventTypes().toArray());
    Column day = to_date(col(Columns.EVENT_TIME));
    Dataset<Row> actual = events.where(purchase.and(day.geq(lit(Date.valueOf(end)))).and(day.lt(lit(Date.valueOf(runDate)))))
        .groupBy(Columns.CUSTOMER_ID).agg(count_distinct(day).as("_actual"));
    Dataset<Row> joined = calibration
        .join(predictions, new String[] {CustomerSummary.FREQUENCY, CustomerSummary.RECENCY, CustomerSummary.AGE})
        .join(actual, new String[] {Columns.CUSTOMER_ID}, "left")
        .withColumn("_actual", coalesce(col("_actual"), lit(0L)).cast("double"))
        .withColumn("_bucket", when(col(CustomerSummary.FREQUENCY).geq(7), lit("7+")).otherwise(col(CustomerSummary.FREQUENCY).cast("string")))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<ModelFits.Fit<?>> usable = java.util.stream.Stream.<ModelFits.Fit<?>>of(bg, pareto).filter(ModelFits.Fit::usable).toList();
      // Both models' sums in one pass per grouping. Bounded: per frequency bucket and in total, a handful of rows.
      List<Column> perBucket = new ArrayList<>(List.of(count(lit(1)), sum("_actual")));
      List<Column> overall = new ArrayList<>(List.of(count(lit(1)), sum("_actual")));
      for (ModelFits.Fit<?> f : usable) {
        Column p = col(f.model());
        perBucket.add(ExactSums.sum(p));
        overall.add(ExactSums.sum(p));
        overall.add(sqrt(ExactSums.mean(pow(p.minus(col("_actual")), 2))));
      }
      // Bounded: one row per frequency bucket (0 to 6, and 7+).
      List<Row> buckets = usable.isEmpty() ? List.of()
          : joined.groupBy("_bucket").agg(perBucket.get(0), perBucket.subList(1, perBucket.size()).toArray(Column[]::new))
              .orderBy("_bucket").collectAsList();
      Row total = usable.isEmpty() ? null : joined.agg(overall.get(0), overall.subList(1, overall.size()).toArray(Column[]::new)).head();
      List<Row> rows = new ArrayList<>();
      String better = ClvModelsTable.BG_NBD;
      double best = Double.MAX_VALUE;
      for (int i = 0; i < usable.size(); i++) {
        ModelFits.Fit<?> f = usable.get(i);
        for (Row r : buckets) {
          rows.add(RowFactory.create(f.model(), r.getString(0), r.getLong(1), r.getDouble(3 + i), r.getDouble(2)));
        }
        double predicted = total.getDouble(2 + 2 * i);
        double rmse = total.getDouble(3 + 2 * i);
        rows.add(RowFactory.create(f.model(), "all", total.getLong(0), predicted, total.getDouble(1)));
        LOG.info("holdout {}: predicted {} vs actual {} repeat purchase days ({} customers), RMSE {}", f.model(),
            String.format("%.1f", predicted), String.format("%.0f", total.getDouble(1)), total.getLong(0),
            String.format("%.4f", rmse));
        if (rmse < best) {
          best = rmse;
          better = f.model();
        }
      }
      return new Holdout(end, List.of(bg, pareto), rows, better);
    } finally {
      joined.unpersist();
    }
  }

  public Dataset<Row> table(SparkSession spark, LocalDate runDate) {
    List<Row> out = new ArrayList<>();
    for (Row r : buckets) {
      out.add(RowFactory.create(Date.valueOf(runDate), r.get(0), r.get(1), r.get(2), r.get(3), r.get(4),
          Date.valueOf(calibrationEnd), Date.valueOf(runDate)));
    }
    return spark.createDataFrame(out, ClvHoldoutTable.DEF.schema());
  }
}
