package io.lifecycle.clv;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.CustomerSummary;
import io.lifecycle.stats.PurchaseModel;
import io.lifecycle.tables.ClvForecastTable;
import io.lifecycle.tables.Columns;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The clv_forecast fit diagnostics on five hand-written customers (weeks, run date 2024-02-01, so the last
 * observed day is 2024-01-31), at CDNOW's published BG/NBD estimates: the actual side of the tracking curve
 * and the repeat-count histogram, from the events through the summary as the step computes them.
 *
 * <p>Repeat purchase days: a 01-08 and 01-15 (two purchases on its first day count once; one after the last
 * observed day is left out), b 01-09, 01-20 (twice) and 01-31 (first on 01-08, the day a repeats: that day
 * has one repeat purchase day, not two), f every day 01-03..01-14 (12: the "10 or more" bucket), c and d
 * none (d acquired on the last observed day, age 0); e only viewed pages and is no customer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClvForecastTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2024, 2, 1);
  private static final StructType EVENTS = new StructType()
      .add(Columns.CUSTOMER_ID, DataTypes.StringType)
      .add(Columns.EVENT_TIME, DataTypes.TimestampType)
      .add(Columns.EVENT_TYPE, DataTypes.StringType)
      .add(Columns.AMOUNT, DataTypes.DoubleType);
  private final SparkSession spark = SharedSpark.get();
  private final LifecycleConfig config = TestSupport.config();
  private final PurchaseModel model = new BgNbdModel(0.243, 4.414, 0.793, 2.426);
  private Dataset<Row> summary;
  private Dataset<Row> forecast;

  private static Row purchase(String customer, String day) {
    return RowFactory.create(customer, Instant.parse(day + "T10:00:00Z"), "purchase", 10.0);
  }

  @BeforeAll
  void computeTheCurves() {
    List<Row> events = new ArrayList<>(List.of(
        purchase("a", "2024-01-01"),
        RowFactory.create("a", Instant.parse("2024-01-01T18:00:00Z"), "purchase", 5.0),
        purchase("a", "2024-01-08"),
        purchase("a", "2024-01-15"),
        RowFactory.create("a", Instant.parse("2024-01-15T11:00:00Z"), "page_view", null),
        purchase("a", "2024-02-01"),
        purchase("b", "2024-01-08"),
        purchase("b", "2024-01-09"),
        purchase("b", "2024-01-20"),
        RowFactory.create("b", Instant.parse("2024-01-20T23:00:00Z"), "purchase", 3.0),
        purchase("b", "2024-01-31"),
        purchase("c", "2024-01-15"),
        purchase("d", "2024-01-31"),
        RowFactory.create("e", Instant.parse("2024-01-05T10:00:00Z"), "page_view", null),
        purchase("f", "2024-01-02")));
    for (int day = 3; day <= 14; day++) {
      events.add(purchase("f", String.format("2024-01-%02d", day)));
    }
    Dataset<Row> input = spark.createDataFrame(events, EVENTS);
    Set<String> purchases = config.stages().purchaseEventTypes();
    LocalDate lastDay = RUN_DATE.minusDays(1);
    summary = CustomerSummary.of(input, purchases, lastDay, config.clv().timeUnit()).cache();
    ClvForecast.Customers customers = ClvForecast.Customers.of(summary, CustomerSummary.customersPerPurchaseDay(input, purchases, lastDay));
    forecast = spark.createDataFrame(ClvForecast.rows(model, config.clv(), customers, RUN_DATE), ClvForecastTable.DEF.schema()).cache();
  }

  @Test
  void trackingCountsTheActualRepeatPurchaseDaysBeforeEachPoint() {
    Dataset<Row> history = forecast.where("curve = 'tracking' and days <= 0")
        .selectExpr("days", "cast(date as string)", "actual_repeat_purchases");
    // Before 01-04: f's 01-03; before 01-11: a 01-08, b 01-09, f 01-03..01-10; before 01-18: a 2, b 1, f 12;
    // before 01-25: b's 01-20 too; before the run date: b's 01-31 too.
    assertEquals(List.of("-14|2024-01-18|15", "-21|2024-01-11|10", "-28|2024-01-04|1", "-7|2024-01-25|16", "0|2024-02-01|17"),
        TestSupport.rows(history));
    assertEquals(0, forecast.where("curve = 'tracking' and days > 0 and actual_repeat_purchases is not null").count(),
        "no actual purchases after the run date");
    assertTrue(forecast.where("curve = 'tracking' and days > 0").count() > 50, "the forecast runs to the horizon's end");
  }

  @Test
  void atTheRunDateTheActualTotalIsTheSummarysFrequency() {
    long frequency = summary.agg(org.apache.spark.sql.functions.sum(CustomerSummary.FREQUENCY)).head().getLong(0);
    Row atRunDate = forecast.where("curve = 'tracking' and days = 0").head();
    assertEquals(17L, frequency);
    assertEquals(frequency, atRunDate.<Long>getAs(ClvForecastTable.ACTUAL_REPEAT_PURCHASES));
    double expected = 0;
    for (int ageDays : new int[] {30, 23, 16, 0, 29}) {
      expected += model.expectedPurchases(ageDays / 7.0);
    }
    assertEquals(expected, atRunDate.<Double>getAs(ClvForecastTable.EXPECTED_REPEAT_PURCHASES), 1e-12);
  }

  @Test
  void theHistogramCountsCustomersByRepeatPurchaseDays() {
    Dataset<Row> counts = forecast.where("curve = 'repeat_count'")
        .selectExpr("purchases", "actual_customers", "days", "cast(date as string)");
    List<String> expected = new ArrayList<>();
    long[] actual = {2, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1};
    for (int n = 0; n <= ClvForecastTable.MAX_PURCHASES; n++) {
      expected.add(n + "|" + actual[n] + "|0|2024-02-01");
    }
    assertEquals(expected.stream().sorted().toList(), TestSupport.rows(counts));
  }

  @Test
  void theModelsHistogramSumsToTheCustomersAtTheirAges() {
    Row total = forecast.where("curve = 'repeat_count'").selectExpr("sum(expected_customers)", "sum(actual_customers)").head();
    assertEquals(5.0, total.getDouble(0), 1e-9);
    assertEquals(5L, total.getLong(1));
    // Ages T in weeks: a 30 days, b 23, c 16, d 0, f 29.
    double twice = 0;
    for (int ageDays : new int[] {30, 23, 16, 0, 29}) {
      twice += model.probabilityOfPurchases(ageDays / 7.0, 2);
    }
    Row two = forecast.where("curve = 'repeat_count' and purchases = 2").head();
    assertEquals(twice, two.<Double>getAs(ClvForecastTable.EXPECTED_CUSTOMERS), 1e-12);
    assertTrue(twice > 0.01, "a bucket the model gives weight: " + twice);
    // d, observed for no time, can only have none: P(X(0) = 0) = 1.
    assertEquals(1.0, model.probabilityOfPurchases(0, 0), 1e-15);
  }
}
