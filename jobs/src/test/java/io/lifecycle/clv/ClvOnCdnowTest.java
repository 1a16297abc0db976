package io.lifecycle.clv;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.cli.Steps;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.ParetoNbdModel;
import io.lifecycle.stats.PurchaseModel;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on real data: the CDNOW sample ingested with conf/cdnow-sample.conf, the clv step
 * as of 1997-10-01 (the papers' 39-week calibration), and as of 1998-07-01 with a 39-week holdout.
 * The fits must reproduce the published estimates (Fader, Hardie and Lee 2005; Fader and Hardie 2013).
 */
class ClvOnCdnowTest {
  private final SparkSession spark = SharedSpark.get();

  private LifecycleConfig config(Path out, String... extra) {
    List<String> lines = new java.util.ArrayList<>(List.of(
        "include file(\"" + TestSupport.projectFile("conf/cdnow-sample.conf").getAbsolutePath() + "\")",
        "lifecycle.input.path = \"" + TestSupport.sharedDataset("cdnow/CDNOW_sample.txt").getAbsolutePath() + "\"",
        "lifecycle.output.root = \"" + out + "\"",
        // An as-of date inside the data: later purchases are not "future", the steps just do not see them.
        "lifecycle.quality.future_tolerance = 3650 days"));
    lines.addAll(List.of(extra));
    return TestSupport.config(lines.toArray(String[]::new));
  }

  private static Map<String, Double> params(Dataset<Row> models, String model, String purpose) {
    Row r = models.where("model = '" + model + "' and purpose = '" + purpose + "' and segment = 'all'").head();
    assertTrue(r.<Boolean>getAs("converged"), model + " converged");
    return r.getJavaMap(r.fieldIndex("parameters"));
  }

  @Test
  void publishedEstimatesOnTheCalibrationPeriod(@TempDir Path out) {
    // 273 days = the papers' 39 weeks.
    LifecycleConfig config = config(out, "lifecycle.clv.forecast_days = [30, 273]");
    Steps.standard().run(new RunContext(spark, config, LocalDate.of(1997, 10, 1)), List.of("ingest", "clv"));
    Dataset<Row> models = spark.read().format("delta").load(out.resolve("clv_models").toString());
    Map<String, Double> bg = params(models, "bg_nbd", "full");
    assertEquals(0.243, bg.get("r"), 0.0005);
    assertEquals(4.414, bg.get("alpha"), 0.0005);
    assertEquals(0.793, bg.get("a"), 0.0005);
    assertEquals(2.426, bg.get("b"), 0.0005);
    Row bgRow = models.where("model = 'bg_nbd' and purpose = 'full'").head();
    assertEquals(-9582.4, bgRow.<Double>getAs("log_likelihood"), 0.05);
    assertEquals(2357L, bgRow.<Long>getAs("customers"));
    Map<String, Double> se = bgRow.getJavaMap(bgRow.fieldIndex("standard_errors"));
    assertTrue(se.get("r") > 0 && se.get("r") < 0.05, "standard error of r: " + se.get("r"));
    Map<String, Double> pareto = params(models, "pareto_nbd", "full");
    assertEquals(0.553, pareto.get("r"), 0.0005);
    assertEquals(10.58, pareto.get("alpha"), 0.005);
    assertEquals(0.606, pareto.get("s"), 0.0005);
    assertEquals(11.67, pareto.get("beta"), 0.005);
    Row gg = models.where("model = 'gamma_gamma' and purpose = 'full'").head();
    Map<String, Double> g = gg.getJavaMap(gg.fieldIndex("parameters"));
    assertEquals(6.25, g.get("p"), 0.005);
    assertEquals(3.74, g.get("q"), 0.005);
    // Three significant digits, as published; the four-digit compression of mean spend moves v by 0.002.
    assertEquals(15.44, g.get("v"), 0.01);
    assertEquals(946L, gg.<Long>getAs("customers"));
    // Customer 0001: x = 2, t_x = 30.43, T = 38.86 weeks.
    Row c1 = spark.read().format("delta").load(out.resolve("customer_value").toString()).where("customer_id = '0001'").head();
    assertEquals(2L, c1.<Long>getAs("frequency"));
    assertEquals(30.43, c1.<Double>getAs("recency"), 0.005);
    assertEquals(38.86, c1.<Double>getAs("age"), 0.005);
    intervalsHoldThePointValues(out, c1);
    forecastsOfTheSelectedModel(out, models);
  }

  /**
   * The 90% intervals (clv.intervals = asymptotic, the default) through the step: every customer's and
   * the overall segment's holds its point value. Measured: customer 0001 P(alive) 0.727 in [0.706, 0.754],
   * predicted CLV 11.02 in [10.27, 11.93]; all customers 21,721 in [20,068, 23,714], revenue at risk 4,904 in
   * [4,812, 4,954].
   */
  private void intervalsHoldThePointValues(Path out, Row c1) {
    System.out.printf("CDNOW 0001: p_alive %.4f [%.4f, %.4f], predicted_clv %.3f [%.3f, %.3f]%n", c1.<Double>getAs("p_alive"),
        c1.<Double>getAs("p_alive_low"), c1.<Double>getAs("p_alive_high"), c1.<Double>getAs("predicted_clv"),
        c1.<Double>getAs("predicted_clv_low"), c1.<Double>getAs("predicted_clv_high"));
    Row customers = spark.read().format("delta").load(out.resolve("customer_value").toString()).selectExpr(
        "count(*)", "count_if(p_alive_low <= p_alive and p_alive <= p_alive_high)",
        "count_if(predicted_clv_low <= predicted_clv and predicted_clv <= predicted_clv_high)").head();
    assertEquals(RowFactory.create(2357L, 2357L, 2357L), customers);
    Row all = spark.read().format("delta").load(out.resolve("segment_value").toString()).where("segment_type = 'all'").head();
    System.out.printf("CDNOW all: predicted_clv_total %.1f [%.1f, %.1f], revenue_at_risk %.1f [%.1f, %.1f]%n",
        all.<Double>getAs("predicted_clv_total"), all.<Double>getAs("predicted_clv_total_low"), all.<Double>getAs("predicted_clv_total_high"),
        all.<Double>getAs("revenue_at_risk"), all.<Double>getAs("revenue_at_risk_low"), all.<Double>getAs("revenue_at_risk_high"));
    assertTrue(all.<Double>getAs("predicted_clv_total_low") < all.<Double>getAs("predicted_clv_total")
        && all.<Double>getAs("predicted_clv_total") < all.<Double>getAs("predicted_clv_total_high"), all::toString);
  }

  /**
   * customer_forecast and clv_forecast through the step against the stats models at the fitted
   * parameters: customer 0001 expects 1.226 purchases in the next 39 weeks under BG/NBD (the published
   * value); the purchase-count distribution sums to 1 (nearly all of it at n &lt;= 10); the tracking
   * curve at the run date is the sum of E[X(T)] over the customers, and its actual side the sum of their
   * frequency (2,457); the repeat-count histogram's actual and expected counts each sum to the 2,357
   * customers. Measured (BG/NBD), n = 0..9 and 10+: actual 1411, 439, 214, 100, 62, 38, 29, 23, 7, 5, 29;
   * expected 1407.7, 460.3, 192.5, 101.2, 59.8, 38.1, 25.5, 17.8, 12.7, 9.3, 32.0.
   */
  private void forecastsOfTheSelectedModel(Path out, Dataset<Row> models) {
    Row selected = models.where("selected and purpose = 'full' and model in ('bg_nbd', 'pareto_nbd')").head();
    String name = selected.getAs("model");
    Map<String, Double> p = selected.getJavaMap(selected.fieldIndex("parameters"));
    PurchaseModel model = name.equals("bg_nbd") ? new BgNbdModel(p.get("r"), p.get("alpha"), p.get("a"), p.get("b"))
        : new ParetoNbdModel(p.get("r"), p.get("alpha"), p.get("s"), p.get("beta"));
    Dataset<Row> forecasts = spark.read().format("delta").load(out.resolve("customer_forecast").toString());
    assertEquals(2357L, forecasts.count());
    Row c1 = forecasts.where("customer_id = '0001'").head();
    Row v1 = spark.read().format("delta").load(out.resolve("customer_value").toString()).where("customer_id = '0001'").head();
    double tx = v1.getAs("recency"); // 30.43, 38.86 to two digits; the forecasts are checked to more
    double age = v1.getAs("age");
    assertEquals(name, c1.getAs("purchase_model"));
    assertEquals(model.probabilityAlive(2, tx, age), c1.<Double>getAs("p_alive"), 1e-9);
    assertEquals(model.probabilityAliveAfter(365.25 / 7, 2, tx, age), c1.<Double>getAs("p_alive_at_horizon"), 1e-9);
    List<Row> horizons = c1.getList(c1.fieldIndex("forecast"));
    assertEquals(List.of(30, 273), horizons.stream().map(h -> h.getInt(0)).toList());
    assertEquals(model.probabilityNoPurchase(39, 2, tx, age), horizons.get(1).getDouble(1), 1e-9);
    assertEquals(model.conditionalExpectedPurchases(39, 2, tx, age), horizons.get(1).getDouble(2), 1e-9);
    if (name.equals("bg_nbd")) {
      assertEquals(1.226, horizons.get(1).getDouble(2), 0.0005);
    }
    assertEquals(7 * model.medianTimeToPurchase(2, tx, age), c1.<Double>getAs("median_days_to_next_purchase"), 1e-6);
    // 10% a year (the default) continuously per week.
    assertEquals(model.discountedResidualPurchases(Math.log(1.1) / (365.25 / 7), 2, tx, age), c1.<Double>getAs("dert"), 1e-9);

    Dataset<Row> population = spark.read().format("delta").load(out.resolve("clv_forecast").toString());
    Row counts = population.where("curve = 'purchase_count' and days = 273")
        .selectExpr("sum(probability)", "count(*)", "max(expected_repeat_purchases)").head();
    assertEquals(11L, counts.getLong(1));
    assertEquals(1.0, counts.getDouble(0), 1e-12);
    assertEquals(model.expectedPurchases(39), counts.getDouble(2), 1e-9);
    Row three = population.where("curve = 'purchase_count' and days = 273 and purchases = 3").head();
    assertEquals(model.probabilityOfPurchases(39, 3), three.<Double>getAs("probability"), 1e-12);
    double atRunDate = population.where("curve = 'tracking' and days = 0").head().getAs("expected_repeat_purchases");
    double direct = 0;
    for (Row r : spark.read().format("delta").load(out.resolve("customer_value").toString()).select("age").collectAsList()) {
      direct += model.expectedPurchases(r.getDouble(0));
    }
    assertEquals(direct, atRunDate, 1e-6 * direct);
    long frequency = spark.read().format("delta").load(out.resolve("customer_value").toString()).selectExpr("sum(frequency)").head().getLong(0);
    long actual = population.where("curve = 'tracking' and days = 0").head().getAs("actual_repeat_purchases");
    assertEquals(2457L, frequency);
    assertEquals(frequency, actual);
    Row histogram = population.where("curve = 'repeat_count'").selectExpr("count(*)", "sum(actual_customers)", "sum(expected_customers)").head();
    assertEquals(RowFactory.create(11L, 2357L), RowFactory.create(histogram.getLong(0), histogram.getLong(1)));
    assertEquals(2357.0, histogram.getDouble(2), 1e-9);
    Row zero = population.where("curve = 'repeat_count' and purchases = 0").head();
    assertEquals(1411L, zero.<Long>getAs("actual_customers"));
  }

  @Test
  void holdoutCheckComparesPredictedAndActualRepeatPurchases(@TempDir Path out) {
    // The intervals are checked by the other test: not computed again here.
    LifecycleConfig config = config(out, "lifecycle.clv.intervals = none");
    Steps.standard().run(new RunContext(spark, config, LocalDate.of(1998, 7, 1)), List.of("ingest", "clv"));
    Dataset<Row> models = spark.read().format("delta").load(out.resolve("clv_models").toString());
    Map<String, Double> bg = params(models, "bg_nbd", "calibration");
    assertEquals(0.243, bg.get("r"), 0.0005);
    assertEquals(2.426, bg.get("b"), 0.0005);
    Dataset<Row> holdout = spark.read().format("delta").load(out.resolve("clv_holdout").toString());
    Row total = holdout.where("model = 'bg_nbd' and frequency_bucket = 'all'").head();
    assertEquals(2357L, total.<Long>getAs("customers"));
    double predicted = total.getAs("predicted_purchases");
    double actual = total.getAs("actual_purchases");
    // Measured: 1,653 predicted against 1,882 actual repeat purchase days in weeks 40-78 (Pareto/NBD 1,666):
    // the models under-forecast this holdout by about 12%, as in the literature's CDNOW tracking plots.
    assertEquals(1882.0, actual, 0.5);
    assertEquals(1653.4, predicted, 1.0);
    long buckets = holdout.where("model = 'bg_nbd'").count();
    assertEquals(9, buckets, "0..6, 7+ and all");
    assertEquals(1, models.where("selected and model in ('bg_nbd', 'pareto_nbd') and purpose = 'full'").count());
  }
}
