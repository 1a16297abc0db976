package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.stats.ShiftedBetaGeometric;
import io.lifecycle.stats.ShiftedBetaGeometricPrior;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class CohortsTest {
  private final SparkSession spark = SharedSpark.get();
  private static final StructType EVENTS = new StructType()
      .add("customer_id", DataTypes.StringType).add("event_time", DataTypes.TimestampType)
      .add("event_type", DataTypes.StringType).add("amount", DataTypes.DoubleType).add("channel", DataTypes.StringType);

  private static Row p(String c, String day, double amount) {
    return RowFactory.create(c, Instant.parse(day + "T12:00:00Z"), "purchase", amount, c.startsWith("s") ? "social" : "organic");
  }

  private static Row v(String c, String day) {
    return RowFactory.create(c, Instant.parse(day + "T12:00:00Z"), "page_view", null, null);
  }

  private Dataset<Row> events() {
    return spark.createDataFrame(List.of(
        // January cohort: a buys in Jan, Feb, Apr; b in Jan only (a view in Feb is not purchase activity); s1 in Jan, Mar.
        p("a", "2024-01-05", 10), p("a", "2024-02-10", 20), p("a", "2024-04-01", 30),
        p("b", "2024-01-20", 5), v("b", "2024-02-01"),
        p("s1", "2024-01-31", 7), p("s1", "2024-03-03", 8),
        // February cohort: c buys in Feb and Mar (a view in January is before the cohort).
        v("c", "2024-01-10"), p("c", "2024-02-02", 40), p("c", "2024-03-09", 1)), EVENTS);
  }

  private final LifecycleConfig config = TestSupport.config("lifecycle.churn.inactivity_threshold = 30 days");

  @Test
  void cohortMatrixMatchesAHandComputedOne() {
    CohortRetention r = new CohortRetention(new CustomerActivity(config), false);
    Dataset<Row> m = r.observed(events(), LocalDate.of(2024, 4, 15)).where("retention_mode = 'on'")
        .select("cohort_period", "period_offset", "cohort_size", "active_customers", "retention_rate", "revenue",
            "cumulative_revenue_per_customer", "period_complete");
    assertEquals(List.of(
            "2024-01-01|0|3|3|1.0|22.0|7.333333333333333|true",
            "2024-01-01|1|3|1|0.3333333333333333|20.0|14.0|true",
            "2024-01-01|2|3|1|0.3333333333333333|8.0|16.666666666666668|true",
            "2024-01-01|3|3|1|0.3333333333333333|30.0|26.666666666666668|false",
            "2024-02-01|0|1|1|1.0|40.0|40.0|true",
            "2024-02-01|1|1|1|1.0|1.0|41.0|true",
            "2024-02-01|2|1|0|0.0|0.0|41.0|false"),
        TestSupport.rows(m));
  }

  /**
   * 'on_or_after' counts the customers whose last active period is at the offset or later: in January's
   * cohort a is last active at offset 3, s1 at 2 and b at 0; February's c at 1. The revenue is the period's.
   */
  @Test
  void onOrAfterRetentionCountsCustomersActiveThenOrLater() {
    CohortRetention r = new CohortRetention(new CustomerActivity(config), false);
    Dataset<Row> m = r.observed(events(), LocalDate.of(2024, 4, 15)).where("retention_mode = 'on_or_after'")
        .select("cohort_period", "period_offset", "cohort_size", "active_customers", "retention_rate", "revenue");
    assertEquals(List.of(
            "2024-01-01|0|3|3|1.0|22.0", "2024-01-01|1|3|2|0.6666666666666666|20.0",
            "2024-01-01|2|3|2|0.6666666666666666|8.0", "2024-01-01|3|3|1|0.3333333333333333|30.0",
            "2024-02-01|0|1|1|1.0|40.0", "2024-02-01|1|1|1|1.0|1.0", "2024-02-01|2|1|0|0.0|0.0"),
        TestSupport.rows(m));
    // Only the modes asked for; the projection fits the 'on' cells and its rows are 'on'.
    LifecycleConfig onOnly = TestSupport.config("lifecycle.churn.inactivity_threshold = 30 days", "lifecycle.cohorts.retention_modes = [on]");
    CohortRetention on = new CohortRetention(new CustomerActivity(onOnly), false);
    assertEquals(List.of("on"), TestSupport.rows(on.observed(events(), LocalDate.of(2024, 4, 15)).select("retention_mode").distinct()));
    Dataset<Row> both = r.observed(events(), LocalDate.of(2024, 4, 15));
    assertEquals(List.of("on"), TestSupport.rows(r.projected(spark, both, LifecycleConfig.Cohorts.Projection.POOLED)
        .select("retention_mode").distinct()));
  }

  /**
   * Daily cohorts with activity as chosen event types: b's purchase on 01-20 starts a daily cohort (by
   * first activity) but is not activity (only page views are), so b is not retained 'on' day 0, yet is
   * 'on_or_after' it: the view on 02-01 (day 12) is activity.
   */
  @Test
  void dailyPeriodsAndActivityAsChosenEventTypes() {
    LifecycleConfig daily = TestSupport.config("lifecycle.churn.inactivity_threshold = 30 days",
        "lifecycle.cohorts.basis = first_activity", "lifecycle.cohorts.period = day",
        "lifecycle.cohorts.activity_events = [Page-View]");
    CohortRetention r = new CohortRetention(new CustomerActivity(daily), false);
    Dataset<Row> m = r.observed(events(), LocalDate.of(2024, 2, 3))
        .where("cohort_period = DATE'2024-01-20' and period_offset in (0, 12, 13)")
        .select("retention_mode", "period_offset", "cohort_size", "active_customers", "period_complete");
    assertEquals(List.of("on_or_after|0|1|1|true", "on_or_after|12|1|1|true", "on_or_after|13|1|0|true",
        "on|0|1|0|true", "on|12|1|1|true", "on|13|1|0|true"), TestSupport.rows(m));
  }

  /**
   * Brackets count from each customer's own first purchase: a (01-05) buys again on day 36, s1 (01-31) on
   * day 32, b only views (day 12: not purchase activity); c (02-02) buys again on day 36. February's
   * 8-50 bracket ends after the run date for a customer acquired on 02-29: not complete.
   */
  @Test
  void bracketRetentionCountsFromEachCustomersFirstDay() {
    LifecycleConfig withBrackets = TestSupport.config("lifecycle.churn.inactivity_threshold = 30 days",
        "lifecycle.cohorts.brackets = [0-1, 2-7, 8-50]");
    CustomerActivity activity = new CustomerActivity(withBrackets);
    Dataset<Row> m = new RetentionBrackets(activity, false, withBrackets.cohorts().brackets())
        .observedOf(activity.days(events(), false), LocalDate.of(2024, 4, 15))
        .select("bracket", "cohort_period", "period_offset", "cohort_size", "active_customers", "revenue",
            "cumulative_revenue_per_customer", "period_complete", "retention_mode", "channel");
    assertEquals(List.of("0-1|2024-01-01|0|3|3|22.0|7.333333333333333|true|bracket|all",
            "0-1|2024-02-01|0|1|1|40.0|40.0|true|bracket|all", "2-7|2024-01-01|1|3|0|0.0|7.333333333333333|true|bracket|all",
            "2-7|2024-02-01|1|1|0|0.0|40.0|true|bracket|all", "8-50|2024-01-01|2|3|2|28.0|16.666666666666668|true|bracket|all",
            "8-50|2024-02-01|2|1|1|1.0|41.0|false|bracket|all"),
        TestSupport.rows(m));
  }

  @Test
  void cohortsByFirstActivityPerAcquisitionChannel() {
    // c's first event is a view without a channel in January: January cohort, channel of its first
    // event that has one (organic). Any event is activity: b's February view counts.
    LifecycleConfig byActivity = TestSupport.config("lifecycle.churn.inactivity_threshold = 30 days",
        "lifecycle.cohorts.basis = first_activity", "lifecycle.cohorts.activity = any_event");
    CohortRetention r = new CohortRetention(new CustomerActivity(byActivity), true);
    Dataset<Row> m = r.observed(events(), LocalDate.of(2024, 4, 15)).where("retention_mode = 'on'")
        .select("cohort_period", "channel", "period_offset", "cohort_size", "active_customers", "revenue");
    assertEquals(List.of(
            "2024-01-01|all|0|4|4|22.0", "2024-01-01|all|1|4|3|60.0", "2024-01-01|all|2|4|2|9.0", "2024-01-01|all|3|4|1|30.0",
            "2024-01-01|organic|0|3|3|15.0", "2024-01-01|organic|1|3|3|60.0", "2024-01-01|organic|2|3|1|1.0",
            "2024-01-01|organic|3|3|1|30.0",
            "2024-01-01|social|0|1|1|7.0", "2024-01-01|social|1|1|0|0.0", "2024-01-01|social|2|1|1|8.0", "2024-01-01|social|3|1|0|0.0"),
        TestSupport.rows(m));
  }

  /**
   * A breakdown splits each cohort by the customers' values, its cells summing to the cohort's: by the
   * built-in acquisition channel, the rows equal cohorts.by_channel's above; with one value kept,
   * social is '(other)'. The 'all' rows stay what they are without breakdowns.
   */
  @Test
  void breakdownsSplitTheMatrixAndKeepTheMostCommonValues() {
    String[] base = {"lifecycle.churn.inactivity_threshold = 30 days", "lifecycle.cohorts.basis = first_activity",
        "lifecycle.cohorts.activity = any_event"};
    LifecycleConfig split = TestSupport.config(concat(base, "lifecycle.cohorts.breakdowns = [acquisition_channel]"));
    Dataset<Row> m = new CohortRetention(new CustomerActivity(split), false).observed(events(), LocalDate.of(2024, 4, 15))
        .where("retention_mode = 'on'");
    String[] shown = {"cohort_period", "breakdown_value", "period_offset", "cohort_size", "active_customers", "revenue"};
    assertEquals(List.of(
            "2024-01-01|organic|0|3|3|15.0", "2024-01-01|organic|1|3|3|60.0", "2024-01-01|organic|2|3|1|1.0",
            "2024-01-01|organic|3|3|1|30.0",
            "2024-01-01|social|0|1|1|7.0", "2024-01-01|social|1|1|0|0.0", "2024-01-01|social|2|1|1|8.0", "2024-01-01|social|3|1|0|0.0"),
        TestSupport.rows(m.where("breakdown = 'acquisition_channel'").selectExpr(shown)));
    assertEquals(List.of("all"), TestSupport.rows(m.select("channel").distinct()));
    // The whole cohort's rows are cohortsByFirstActivityPerAcquisitionChannel's 'all' rows.
    assertEquals(List.of("2024-01-01|all|0|4|4|22.0", "2024-01-01|all|1|4|3|60.0", "2024-01-01|all|2|4|2|9.0",
            "2024-01-01|all|3|4|1|30.0"),
        TestSupport.rows(m.where("breakdown = 'all'").selectExpr(shown)));

    LifecycleConfig top1 = TestSupport.config(concat(base, "lifecycle.cohorts.breakdowns = [acquisition_channel]",
        "lifecycle.cohorts.breakdown_values = 1"));
    Dataset<Row> one = new CohortRetention(new CustomerActivity(top1), false).observed(events(), LocalDate.of(2024, 4, 15))
        .where("retention_mode = 'on' AND breakdown = 'acquisition_channel' AND period_offset = 0");
    assertEquals(List.of("2024-01-01|(other)|0|1|1|7.0", "2024-01-01|organic|0|3|3|15.0"), TestSupport.rows(one.selectExpr(shown)));
  }

  /**
   * A property from input.customer_properties (CSV, one row per customer; c has none: '(unknown)'),
   * split in the matrix, the brackets and the churn rates alike, each split summing to the whole.
   */
  @Test
  void propertiesFromATableSplitRetentionBracketsAndChurn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = TestSupport.inputFile(dir, "properties.csv", "id,country,plan\na,US,gold\nb,DE,free\ns1,US,free\n");
    LifecycleConfig split = TestSupport.config("lifecycle.churn.inactivity_threshold = 30 days",
        "lifecycle.cohorts.breakdowns = [country]", "lifecycle.cohorts.brackets = [0-1, 2-50]",
        "lifecycle.input.customer_properties.path = \"" + file + "\"", "lifecycle.input.customer_properties.customer_id = id");
    CustomerActivity activity = new CustomerActivity(split);
    LocalDate runDate = LocalDate.of(2024, 4, 15);
    Dataset<Row> m = new CohortRetention(activity, false).observed(events(), runDate)
        .where("retention_mode = 'on' AND breakdown = 'country'")
        .select("cohort_period", "breakdown_value", "period_offset", "cohort_size", "active_customers", "revenue");
    // January: a and s1 (US), b (DE); February: c, not in the table.
    assertEquals(List.of(
            "2024-01-01|DE|0|1|1|5.0", "2024-01-01|DE|1|1|0|0.0", "2024-01-01|DE|2|1|0|0.0", "2024-01-01|DE|3|1|0|0.0",
            "2024-01-01|US|0|2|2|17.0", "2024-01-01|US|1|2|1|20.0", "2024-01-01|US|2|2|1|8.0", "2024-01-01|US|3|2|1|30.0",
            "2024-02-01|(unknown)|0|1|1|40.0", "2024-02-01|(unknown)|1|1|1|1.0", "2024-02-01|(unknown)|2|1|0|0.0"),
        TestSupport.rows(m));
    Dataset<Row> brackets = new RetentionBrackets(activity, false, split.cohorts().brackets())
        .observedOf(activity.days(events(), false), runDate)
        .select("breakdown", "breakdown_value", "cohort_period", "bracket", "cohort_size", "active_customers");
    assertEquals(List.of("all|all|2024-01-01|0-1|3|3", "all|all|2024-01-01|2-50|3|2", "all|all|2024-02-01|0-1|1|1",
            "all|all|2024-02-01|2-50|1|1", "country|(unknown)|2024-02-01|0-1|1|1", "country|(unknown)|2024-02-01|2-50|1|1",
            "country|DE|2024-01-01|0-1|1|1", "country|DE|2024-01-01|2-50|1|0", "country|US|2024-01-01|0-1|2|2",
            "country|US|2024-01-01|2-50|2|2"),
        TestSupport.rows(brackets));
    Dataset<Row> rates = new ChurnRates(activity, false).compute(events(), runDate)
        .where("segment_type IN ('overall', 'country')")
        .select("segment_type", "segment", "period_start", "customers_at_start", "acquired", "reactivated", "churned");
    // The overall flows of churnReactivationAndCensoringReconcilePeriodToPeriod, split: c's spells are
    // '(unknown)', b's 'DE', a's and s1's 'US'.
    assertEquals(List.of(
            "country|(unknown)|2024-01-01|0|1|0|0", "country|(unknown)|2024-02-01|1|0|0|0", "country|(unknown)|2024-03-01|1|0|1|1",
            "country|(unknown)|2024-04-01|1|0|0|1",
            "country|DE|2024-01-01|0|1|0|0", "country|DE|2024-02-01|1|0|0|0", "country|DE|2024-03-01|1|0|0|1",
            "country|DE|2024-04-01|0|0|0|0",
            "country|US|2024-01-01|0|2|0|0", "country|US|2024-02-01|2|0|1|1", "country|US|2024-03-01|2|0|1|2",
            "country|US|2024-04-01|1|0|1|1",
            "overall|all|2024-01-01|0|4|0|0", "overall|all|2024-02-01|4|0|1|1", "overall|all|2024-03-01|4|0|2|4",
            "overall|all|2024-04-01|2|0|1|2"),
        TestSupport.rows(rates));
  }

  private static String[] concat(String[] base, String... more) {
    List<String> all = new ArrayList<>(List.of(base));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void projectionFillsTheUnreachedCellsAndIsFlagged() {
    CohortRetention r = new CohortRetention(new CustomerActivity(config), false);
    Dataset<Row> observed = r.observed(events(), LocalDate.of(2024, 4, 15));
    Dataset<Row> projected = r.projected(spark, observed, LifecycleConfig.Cohorts.Projection.PER_COHORT);
    // Only the January cohort has enough complete periods; February's offset 3 stays unprojected.
    for (Row row : projected.collectAsList()) {
      assertTrue(row.<Boolean>getAs("is_projected"));
      assertNull(row.getAs("active_customers"));
    }
  }

  /**
   * Pooled: every cohort that has not reached the last offset is projected, the newest (no complete
   * period after its first) with the pooled curve (per cohort, only February would be: {@code
   * ProjectionBacktestTest} checks that rule without Spark).
   */
  @Test
  void pooledProjectionReachesTheYoungestCohorts() {
    StructType cells = new StructType().add("cohort", DataTypes.StringType).add("offset", DataTypes.IntegerType)
        .add("active", DataTypes.LongType);
    List<Row> counts = new ArrayList<>();
    long[][] actives = {{1000, 631, 468, 382}, {1000, 640, 470}, {1000, 600}, {1000}};
    for (int c = 0; c < actives.length; c++) {
      for (int k = 0; k < actives[c].length; k++) {
        counts.add(RowFactory.create("2024-0" + (c + 1) + "-01", k, actives[c][k]));
      }
    }
    Dataset<Row> observed = spark.createDataFrame(counts, cells).select(lit(java.sql.Date.valueOf("2024-05-01")).as("run_date"),
        lit("on").as("retention_mode"), lit(null).cast("string").as("bracket"), to_date(col("cohort")).as("cohort_period"), lit("all").as("channel"),
        lit("all").as("breakdown"), lit("all").as("breakdown_value"), col("offset").as("period_offset"),
        lit(1000L).as("cohort_size"), col("active").as("active_customers"), col("active").divide(1000).as("retention_rate"),
        lit(0.0).as("revenue"), lit(0.0).as("revenue_per_customer"), lit(0.0).as("cumulative_revenue_per_customer"),
        lit(true).as("period_complete"), lit(false).as("is_projected"));
    CohortRetention r = new CohortRetention(new CustomerActivity(config), false);
    List<String> pooled = TestSupport.rows(r.projected(spark, observed, LifecycleConfig.Cohorts.Projection.POOLED)
        .select(col("cohort_period").cast("string"), col("period_offset"), col("cohort_size"), col("is_projected"),
            format_number(col("retention_rate"), 6)));
    ShiftedBetaGeometric centre = ShiftedBetaGeometricPrior.estimate(List.of(new double[] {1000, 631, 468, 382},
        new double[] {1000, 640, 470}, new double[] {1000, 600}, new double[] {1000})).centre();
    assertEquals(List.of("2024-02-01|3", "2024-03-01|2", "2024-03-01|3", "2024-04-01|1", "2024-04-01|2", "2024-04-01|3"),
        pooled.stream().map(p -> p.substring(0, p.indexOf('|', 11))).toList());
    for (int k = 1; k <= 3; k++) {
      assertEquals(String.format(java.util.Locale.ROOT, "2024-04-01|%d|1000|true|%.6f", k, centre.survival(k)), pooled.get(2 + k));
    }
  }

  @Test
  void churnReactivationAndCensoringReconcilePeriodToPeriod() {
    Dataset<Row> rates = new ChurnRates(new CustomerActivity(config), true).compute(events(), LocalDate.of(2024, 4, 15))
        .where("segment_type = 'overall'")
        .select("period_start", "customers_at_start", "acquired", "reactivated", "churned", "customers_at_end")
        .orderBy("period_start");
    // Spells (any event; a gap over 30 days ends one, churn date = last activity + 30):
    // a 01-05 (churn 02-04), 02-10 (churn 03-11), 04-01 (censored); b 01-20..02-01 (churn 03-02);
    // s1 01-31 (churn 03-01), 03-03 (churn 04-02); c 01-10..02-02 (churn 03-03), 03-09 (churn 04-08).
    assertEquals(List.of(
            "2024-01-01|0|4|0|0|4",
            "2024-02-01|4|0|1|1|4",
            "2024-03-01|4|0|2|4|2",
            "2024-04-01|2|0|1|2|1"),
        TestSupport.rows(rates));
    List<Row> rows = rates.collectAsList();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      assertEquals(r.getLong(1) + r.getLong(2) + r.getLong(3) - r.getLong(4), r.getLong(5));
      if (i > 0) {
        assertEquals(rows.get(i - 1).getLong(5), r.getLong(1), "end of one period = start of the next");
      }
    }
  }

  @Test
  void recentCustomerIsCensoredNotChurned() {
    LifecycleConfig c90 = TestSupport.config("lifecycle.churn.inactivity_threshold = 90 days");
    Dataset<Row> ev = spark.createDataFrame(List.of(p("x", "2024-03-05", 10)), EVENTS);
    Row spell = new CustomerActivity(c90).spells(ev, LocalDate.of(2024, 3, 14)).head();
    assertTrue(spell.isNullAt(spell.fieldIndex("churn_date")), "seen 10 days before the run date: not churned");
    Dataset<Row> life = CohortsStep.lifetimes(new CustomerActivity(c90), ev, LocalDate.of(2024, 3, 15));
    assertEquals(List.of("2024-03-01|10|0", "all|10|0"), TestSupport.rows(life));
  }

  @Test
  void growthAccounting() {
    Dataset<Row> s = new LifecycleStatus(new CustomerActivity(config)).compute(events(), LocalDate.of(2024, 4, 15))
        .where("segment = 'all'").select("period_start", "new_customers", "retained", "resurrected", "dormant", "active_customers");
    // Purchase activity: Jan a,b,s1; Feb a,c; Mar s1,c; Apr a.
    assertEquals(List.of(
            "2024-01-01|3|0|0|0|3",
            "2024-02-01|1|1|0|2|2",
            "2024-03-01|0|1|1|1|2",
            "2024-04-01|0|0|1|2|1"),
        TestSupport.rows(s));
  }

  @Test
  void kaplanMeierMatchesTheTextbookSixMpExample() {
    // Freireich et al. (1963), 6-MP arm, censored times marked by event 0. Published Kaplan-Meier values:
    // S(6)=0.857, S(7)=0.807, S(10)=0.753, S(13)=0.690, S(16)=0.627, S(22)=0.538, S(23)=0.448; Greenwood SE at 6: 0.076.
    int[] times = {6, 6, 6, 7, 10, 13, 16, 22, 23, 6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35};
    int[] event = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      rows.add(RowFactory.create("6mp", times[i], event[i]));
    }
    StructType schema = new StructType().add(KaplanMeier.GROUP, DataTypes.StringType)
        .add(KaplanMeier.TENURE, DataTypes.IntegerType).add(KaplanMeier.EVENT, DataTypes.IntegerType);
    Dataset<Row> km = KaplanMeier.estimate(spark.createDataFrame(rows, schema), LocalDate.of(2024, 1, 1));
    double[][] expected = {{6, 0.857, 21}, {7, 0.807, 17}, {10, 0.753, 15}, {13, 0.690, 12}, {16, 0.627, 11}, {22, 0.538, 7}, {23, 0.448, 6}};
    for (double[] e : expected) {
      Row r = km.where(col("tenure_days").equalTo((int) e[0])).head();
      assertEquals(e[1], r.<Double>getAs("survival"), 0.0005, "S(" + (int) e[0] + ")");
      assertEquals((long) e[2], r.<Long>getAs("at_risk"), "at risk at " + (int) e[0]);
    }
    Row six = km.where("tenure_days = 6").head();
    assertEquals(0.076, six.<Double>getAs("std_error"), 0.0005);
    assertTrue(six.<Double>getAs("ci_lower") < 0.857 && six.<Double>getAs("ci_upper") > 0.857);
    assertEquals(23 / 365.25, six.<Double>getAs("median_lifetime_years"), 1e-9);
    // Area under the curve to 35: 6 + 0.857 + 3(0.807) + 3(0.753) + 3(0.690) + 6(0.627) + 0.538 + 12(0.448).
    assertEquals(23.29 / 365.25, six.<Double>getAs("restricted_mean_lifetime_years"), 0.02 / 365.25);
  }
  @Test
  void kaplanMeierMedianIsTheFirstTenureWhereSurvivalReachesOneHalf() {
    // Twelve customers, one churning each day: S(6) = 6/12 = 0.5 exactly, the median is 6 days. The sum of
    // logs gives S(6) as 0.5000000000000001, which a strict "<= 0.5" passed over to day 7.
    List<Row> rows = new ArrayList<>();
    for (int day = 1; day <= 12; day++) {
      rows.add(RowFactory.create("even", day, 1));
    }
    StructType schema = new StructType().add(KaplanMeier.GROUP, DataTypes.StringType)
        .add(KaplanMeier.TENURE, DataTypes.IntegerType).add(KaplanMeier.EVENT, DataTypes.IntegerType);
    Row six = KaplanMeier.estimate(spark.createDataFrame(rows, schema), LocalDate.of(2024, 1, 1)).where("tenure_days = 6").head();
    assertEquals(0.5, six.<Double>getAs("survival"), 1e-12);
    assertEquals(6 / 365.25, six.<Double>getAs("median_lifetime_years"), 1e-12);
  }
}
