package io.lifecycle.clv;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.clv.model.RfmSummary;
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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
  public static Holdout run(LifecycleConfig config, Dataset<Row> events, LocalDate runDate, SparkSession spark) {
    int weeks = config.clv().holdoutWeeks();
    if (weeks == 0) {
      return null;
    }
    LocalDate end = runDate.minusWeeks(weeks);
    Dataset<Row> calibration = CustomerSummary.of(events, config.stages().purchaseEventTypes(), end.minusDays(1), config.clv().timeUnit());
    RfmSummary triples = ModelFits.triples(calibration);
    if (triples.size() == 0) {
      LOG.warn("no purchase before {}: no holdout check", end);
      return null;
    }
    ModelFits.Fit<io.lifecycle.clv.model.BgNbdModel> bg = ModelFits.bgNbd(triples);
    ModelFits.Fit<io.lifecycle.clv.model.ParetoNbdModel> pareto = ModelFits.paretoNbd(triples);
    double days = ChronoUnit.DAYS.between(end, runDate);
    double t = config.clv().timeUnit() == LifecycleConfig.Clv.TimeUnit.WEEKS ? days / 7 : days;

    // Predictions per distinct summary (driver, bounded), joined back to the calibration customers.
    List<Row> preds = new ArrayList<>();
    for (int i = 0; i < triples.size(); i++) {
      double x = triples.x(i);
      double tx = triples.tx(i);
      double age = triples.age(i);
      preds.add(RowFactory.create((long) x, tx, age,
          bg.usable() ? bg.fit().model().conditionalExpectedPurchases(t, x, tx, age) : null,
          pareto.usable() ? pareto.fit().model().conditionalExpectedPurchases(t, x, tx, age) : null));
    }
    StructType schema = new StructType().add(CustomerSummary.FREQUENCY, DataTypes.LongType)
        .add(CustomerSummary.RECENCY, DataTypes.DoubleType).add(CustomerSummary.AGE, DataTypes.DoubleType)
        .add("bg_nbd", DataTypes.DoubleType).add("pareto_nbd", DataTypes.DoubleType);
    Column purchase = col(Columns.EVENT_TYPE).isin(config.stages().purchaseEventTypes().toArray());
    Column day = to_date(col(Columns.EVENT_TIME));
    Dataset<Row> actual = events.where(purchase.and(day.geq(lit(Date.valueOf(end)))).and(day.lt(lit(Date.valueOf(runDate)))))
        .groupBy(Columns.CUSTOMER_ID).agg(count_distinct(day).as("_actual"));
    Dataset<Row> joined = calibration
        .join(broadcast(spark.createDataFrame(preds, schema)), new String[] {CustomerSummary.FREQUENCY, CustomerSummary.RECENCY, CustomerSummary.AGE})
        .join(actual, new String[] {Columns.CUSTOMER_ID}, "left")
        .withColumn("_actual", coalesce(col("_actual"), lit(0L)).cast("double"))
        .withColumn("_bucket", when(col(CustomerSummary.FREQUENCY).geq(7), lit("7+")).otherwise(col(CustomerSummary.FREQUENCY).cast("string")));
    List<Row> rows = new ArrayList<>();
    String better = "bg_nbd";
    double best = Double.MAX_VALUE;
    for (ModelFits.Fit<?> f : List.of(bg, pareto)) {
      if (!f.usable()) {
        continue;
      }
      Column p = col(f.model());
      // Bounded: per frequency bucket and in total, a handful of rows.
      for (Row r : joined.groupBy("_bucket").agg(count(lit(1)), sum(p), sum("_actual")).collectAsList()) {
        rows.add(RowFactory.create(f.model(), r.getString(0), r.getLong(1), r.getDouble(2), r.getDouble(3)));
      }
      Row total = joined.agg(count(lit(1)), sum(p), sum("_actual"), sqrt(avg(pow(p.minus(col("_actual")), 2)))).head();
      rows.add(RowFactory.create(f.model(), "all", total.getLong(0), total.getDouble(1), total.getDouble(2)));
      LOG.info("holdout {}: predicted {} vs actual {} repeat purchase days ({} customers), RMSE {}", f.model(),
          String.format("%.1f", total.getDouble(1)), String.format("%.0f", total.getDouble(2)), total.getLong(0),
          String.format("%.4f", total.getDouble(3)));
      if (total.getDouble(3) < best) {
        best = total.getDouble(3);
        better = f.model();
      }
    }
    return new Holdout(end, List.of(bg, pareto), rows, better);
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
