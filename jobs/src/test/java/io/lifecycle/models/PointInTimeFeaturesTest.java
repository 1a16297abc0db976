package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PointInTimeFeaturesTest {
  private final SparkSession spark = SharedSpark.get();
  private final LifecycleConfig config = TestSupport.config("lifecycle.models.churn_horizon = 30 days");
  private static final LocalDate CUTOFF = LocalDate.of(2024, 6, 1);
  private static final StructType EVENTS = new StructType()
      .add("customer_id", DataTypes.StringType).add("event_time", DataTypes.TimestampType)
      .add("event_type", DataTypes.StringType).add("stage", DataTypes.StringType)
      .add("amount", DataTypes.DoubleType).add("channel", DataTypes.StringType);
  private static final StructType SESSIONS = new StructType()
      .add("customer_id", DataTypes.StringType).add("session_start", DataTypes.TimestampType).add("stage", DataTypes.StringType);

  private static Row e(String c, String t, String type, String stage, Double amount, String channel) {
    return RowFactory.create(c, Instant.parse(t), type, stage, amount, channel);
  }

  private Dataset<Row> history() {
    return spark.createDataFrame(List.of(
        e("a", "2024-03-01T10:00:00Z", "page_view", "AWARENESS", null, "social"),
        e("a", "2024-03-02T10:00:00Z", "product_view", "CONSIDERATION", null, null),
        e("a", "2024-03-05T10:00:00Z", "purchase", "CONVERSION", 20.0, null),
        e("a", "2024-05-20T10:00:00Z", "purchase", "RETENTION", 30.0, null),
        e("a", "2024-05-25T10:00:00Z", "page_view", "AWARENESS", null, null),
        e("b", "2024-05-30T10:00:00Z", "review", "ADVOCACY", null, "email")), EVENTS);
  }

  @Test
  void scoringComputesFeaturesOnlyForCustomersActiveWithinTheThresholdAndTheyAreTheSame() {
    // Threshold 7 days before 2024-06-01: b (2024-05-30) is active; a (last event 2024-05-25, 6.6 days
    // earlier) too; c's last event is 7.5 days earlier (inside the day's margin, out by the exact rule);
    // d's is months earlier.
    Dataset<Row> events = history().unionByName(spark.createDataFrame(List.of(
        e("c", "2024-05-24T12:00:00Z", "page_view", "AWARENESS", null, null),
        e("d", "2024-01-10T10:00:00Z", "purchase", "CONVERSION", 10.0, null)), EVENTS));
    java.time.Duration threshold = java.time.Duration.ofDays(7);
    Dataset<Row> scorable = ScoreStep.scorable(events, CUTOFF, threshold);
    assertEquals(List.of("a", "a", "a", "a", "a", "b", "c"),
        scorable.select("customer_id").orderBy("customer_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList(),
        "every event of the customers active within the threshold and a day");
    PointInTimeFeatures features = new PointInTimeFeatures(config);
    Column active = col("recency_days").leq(threshold.toSeconds() / 86400.0);
    Dataset<Row> fromAll = features.build(events, CUTOFF).where(active);
    Dataset<Row> fromScorable = features.build(scorable, CUTOFF).where(active);
    assertEquals(2, fromAll.count());
    assertEquals(0, fromAll.exceptAll(fromScorable).count());
    assertEquals(0, fromScorable.exceptAll(fromAll).count());
  }

  @Test
  void featuresAreExactOnAHandBuiltHistory() {
    Row a = new PointInTimeFeatures(config).build(history(), CUTOFF).where("customer_id = 'a'").head();
    assertEquals(6.0 + 14 / 24.0, a.<Double>getAs("recency_days"), 1e-9);
    assertEquals(2.0, a.<Double>getAs("purchases_total"));
    assertEquals(1.0, a.<Double>getAs("repeat_purchase_days"));
    assertEquals(50.0, a.<Double>getAs("revenue_total"));
    assertEquals(50.0, a.<Double>getAs("revenue_90d")); // 2024-03-05 is 88 days before the cutoff
    assertEquals("AWARENESS", a.getAs("current_stage"));
    assertEquals("social", a.getAs("acquisition_channel"));
    assertEquals(4.0, a.<Double>getAs("stages_visited"));
    // AWARENESS(1) > CONSIDERATION(2) > CONVERSION(3) > RETENTION(5): one stage skipped; RETENTION > AWARENESS: back.
    assertEquals(1.0, a.<Double>getAs("stages_skipped"));
    assertEquals(1.0, a.<Double>getAs("moves_back"));
    assertEquals(2.0, a.<Double>getAs("events_30d"));
  }

  @Test
  void distinctDayAndStageCountsEqualCountDistinctOnGeneratedEvents() {
    // Three customers, events every 7 to 31 hours over 150 days (several a day, days without), every
    // third a purchase: the window counts must equal count_distinct's.
    List<Row> rows = new java.util.ArrayList<>();
    String[] stages = {"AWARENESS", "CONSIDERATION", "CONVERSION", "RETENTION", null};
    for (int c = 0; c < 3; c++) {
      Instant t = Instant.parse("2024-01-02T00:00:00Z").plusSeconds(c * 3600L);
      for (int i = 0; t.isBefore(Instant.parse("2024-06-01T00:00:00Z")); i++) {
        boolean purchase = i % 3 == 0;
        rows.add(RowFactory.create("c" + c, t, purchase ? "purchase" : "page_view", stages[(i + c) % stages.length],
            purchase ? 10.0 : null, null));
        t = t.plusSeconds(3600L * (7 + (i * 7 + c * 5) % 25));
      }
    }
    Dataset<Row> events = spark.createDataFrame(rows, EVENTS);
    Column daysAgo = lit(PointInTimeFeatures.start(CUTOFF)).cast("double").minus(col("event_time").cast("double")).divide(86400.0);
    Column day = to_date(col("event_time"));
    Dataset<Row> expected = events.where(col("event_time").lt(lit(PointInTimeFeatures.start(CUTOFF)))).groupBy("customer_id").agg(
        count_distinct(when(daysAgo.leq(30), day)).cast("double").as("active_days_30d"),
        count_distinct(when(daysAgo.leq(90), day)).cast("double").as("active_days_90d"),
        greatest(count_distinct(when(col("event_type").equalTo("purchase"), day)).minus(1), lit(0)).cast("double").as("repeat_purchase_days"),
        count_distinct(col("stage")).cast("double").as("stages_visited"));
    Dataset<Row> actual = new PointInTimeFeatures(config).build(events, CUTOFF)
        .select("customer_id", "active_days_30d", "active_days_90d", "repeat_purchase_days", "stages_visited");
    List<String> want = TestSupport.rows(expected);
    assertEquals(want, TestSupport.rows(actual));
    assertTrue(want.stream().allMatch(r -> !r.contains("|0.0|")), "every count is exercised: " + want);
  }

  @Test
  void changingAnyEventAfterTheCutoffChangesNoFeature() {
    Dataset<Row> base = history();
    Dataset<Row> changed = base.unionByName(spark.createDataFrame(List.of(
            e("a", "2024-06-01T00:00:00Z", "purchase", "RETENTION", 999.0, "paid_search"),   // exactly at the cutoff
            e("a", "2024-07-01T10:00:00Z", "support_ticket", "EXPERIENCE", null, null),
            e("c", "2024-06-02T10:00:00Z", "page_view", "AWARENESS", null, "organic")), EVENTS))
        .withColumn("amount", when(col("event_time").geq(lit(java.sql.Timestamp.valueOf("2024-06-01 00:00:00"))), lit(1.0)).otherwise(col("amount")));
    PointInTimeFeatures f = new PointInTimeFeatures(config);
    assertEquals(TestSupport.rows(f.build(base, CUTOFF)), TestSupport.rows(f.build(changed, CUTOFF)));
  }

  @Test
  void labelsFromWhatHappensInTheHorizon() {
    LifecycleConfig c = TestSupport.config("lifecycle.models.churn_horizon = 30 days", "lifecycle.churn.inactivity_threshold = 30 days");
    Dataset<Row> events = history().unionByName(spark.createDataFrame(List.of(
        e("b", "2024-06-10T10:00:00Z", "purchase", "CONVERSION", 5.0, null)), EVENTS));
    Dataset<Row> sessions = spark.createDataFrame(List.of(
        RowFactory.create("b", Instant.parse("2024-06-10T09:58:00Z"), "CONVERSION"),
        RowFactory.create("b", Instant.parse("2024-06-20T09:58:00Z"), "RETENTION")), SESSIONS);
    Dataset<Row> features = new PointInTimeFeatures(c).build(events, CUTOFF);
    Dataset<Row> labelled = new Labels(c).label(events, new TrainingSet(c).firstSessionStageAfter(sessions, CUTOFF), features, CUTOFF)
        .select("customer_id", "active_at_cutoff", "churn_label", "next_stage_label");
    // a: last seen 7 days before, nothing after: active and churned. b: active, back within the horizon.
    assertEquals(List.of("a|true|1.0|CHURNED", "b|true|0.0|CONVERSION"), TestSupport.rows(labelled));
  }

  /** Several cutoffs in one pass give each cutoff's rows as computed alone: no event leaks across cutoffs. */
  @Test
  void featuresAndLabelsAtSeveralCutoffsInOnePassEqualEachCutoffAlone() {
    LifecycleConfig c = TestSupport.config("lifecycle.models.churn_horizon = 30 days", "lifecycle.churn.inactivity_threshold = 30 days");
    Dataset<Row> events = history();
    Dataset<Row> sessions = spark.createDataFrame(List.of(
        RowFactory.create("a", Instant.parse("2024-05-20T09:58:00Z"), "RETENTION"),
        RowFactory.create("b", Instant.parse("2024-05-30T09:58:00Z"), "ADVOCACY")), SESSIONS);
    List<LocalDate> cutoffs = List.of(LocalDate.of(2024, 5, 26), LocalDate.of(2024, 5, 1), LocalDate.of(2024, 3, 3));
    TrainingSet set = new TrainingSet(c);
    PointInTimeFeatures features = new PointInTimeFeatures(c);
    Labels labels = new Labels(c);
    Dataset<Row> together = labels.label(events, set.firstSessionStageAfter(sessions, cutoffs), features.build(events, cutoffs), cutoffs);
    List<String> alone = new java.util.ArrayList<>();
    for (LocalDate cutoff : cutoffs) {
      alone.addAll(TestSupport.rows(labels.label(events, set.firstSessionStageAfter(sessions, cutoff), features.build(events, cutoff), cutoff)));
    }
    java.util.Collections.sort(alone);
    assertEquals(alone, TestSupport.rows(together));
    // a has events before all three cutoffs, b (first seen 05-30) before none: three rows, each with what its
    // cutoff saw. 03-03: two views; the purchase of 03-05 in the horizon, no session. 05-01: the first purchase
    // before; back on 05-20 in a RETENTION session. 05-26: both purchases before, nothing in the 30 days after.
    assertEquals(List.of("a|2024-03-03|2.0|0.0|0.0|CHURNED", "a|2024-05-01|3.0|1.0|0.0|RETENTION",
            "a|2024-05-26|5.0|2.0|1.0|CHURNED"),
        TestSupport.rows(together.select("customer_id", "cutoff_date", "events_90d", "purchases_total", "churn_label", "next_stage_label")));
  }

  @Test
  void trainTestSplitIsByCustomer() {
    TrainingSet set = new TrainingSet(config);
    Dataset<Row> rows = spark.range(0, 2000).selectExpr("cast(id % 500 as string) as customer_id")
        .withColumn("test", set.isTest(col("customer_id")));
    assertEquals(0, rows.groupBy("customer_id").agg(countDistinct("test").as("sides")).where("sides > 1").count());
    double share = rows.where("test").count() / 2000.0;
    assertEquals(0.25, share, 0.08);
  }
}
