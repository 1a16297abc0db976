package io.lifecycle.cohorts;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.RetentionDriversTable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class RetentionDriversTest {
  private final SparkSession spark = SharedSpark.get();
  private static final StructType EVENTS = new StructType()
      .add("customer_id", DataTypes.StringType).add("event_time", DataTypes.TimestampType)
      .add("event_type", DataTypes.StringType).add("amount", DataTypes.DoubleType)
      .add("channel", DataTypes.StringType).add("stage", DataTypes.StringType);

  private static Row e(String c, String day, String type, String channel, String stage) {
    return RowFactory.create(c, Instant.parse(day + "T12:00:00Z"), type, type.equals("purchase") ? 10.0 : null, channel, stage);
  }

  /**
   * Run date 2024-03-01 (last observed day 02-29), window 7 days, retained at day 10 (a purchase 10 or
   * more days after the first one), count threshold 2, the top 2 event types and the top first channel.
   * Eligible (first purchase by 02-19): a, b, c, d, g; retained: a (01-20), c (02-12), g (01-30).
   * Window behaviours: a purchase 1, product_view 2, CONVERSION, RETENTION, first channel ads (a view
   * before the first purchase); b purchase 2 (01-15 is day 5: in the window, not retained), product_view 1,
   * CONVERSION, RETENTION, email; c purchase 1, review 1, CONVERSION, ADVOCACY, social; d purchase 1,
   * CONVERSION, email (its view on day 10 is after the window and is no purchase); g purchase 1,
   * CONVERSION, no channel. e bought too late to be observed at day 10; f never bought (no cohort).
   */
  @Test
  void twoByTwoTablesPerBehaviourWithOddsRatiosAndAdjustedPValues() {
    Dataset<Row> events = spark.createDataFrame(List.of(
        e("a", "2024-01-01", "page_view", "ads", "AWARENESS"), e("a", "2024-01-05", "purchase", "email", "CONVERSION"),
        e("a", "2024-01-06", "product_view", null, "RETENTION"), e("a", "2024-01-07", "product_view", null, "RETENTION"),
        e("a", "2024-01-20", "purchase", null, "RETENTION"),
        e("b", "2024-01-10", "purchase", "email", "CONVERSION"), e("b", "2024-01-11", "product_view", null, "RETENTION"),
        e("b", "2024-01-15", "purchase", null, "RETENTION"),
        e("c", "2024-02-01", "purchase", "social", "CONVERSION"), e("c", "2024-02-03", "review", null, "ADVOCACY"),
        e("c", "2024-02-12", "purchase", null, "RETENTION"),
        e("d", "2024-02-15", "purchase", "email", "CONVERSION"), e("d", "2024-02-25", "product_view", null, "RETENTION"),
        e("e", "2024-02-25", "purchase", "email", "CONVERSION"),
        e("f", "2024-01-03", "page_view", "ads", "AWARENESS"),
        e("g", "2024-01-02", "purchase", null, "CONVERSION"), e("g", "2024-01-30", "purchase", null, "RETENTION")), EVENTS);
    LifecycleConfig config = TestSupport.config("lifecycle.cohorts.drivers { window_days = 7, retained_day = 10,"
        + " count_thresholds = [2], top_event_types = 2, top_channels = 1 }");
    CustomerActivity activity = new CustomerActivity(config);
    LocalDate runDate = LocalDate.of(2024, 3, 1);
    Dataset<Row> out = new RetentionDrivers(config).compute(events, activity.days(events, false), runDate);
    assertEquals(RetentionDriversTable.DEF.columnNames(), List.of(out.columns()));
    // behaviour | with | retained with | without | retained without | test: review (third event type) is cut;
    // ads, social and unknown (g) are the first channels beyond the top one (email), as "(other)".
    assertEquals(List.of(
            "(other)|first_channel = (other)|3|3|2|0|fisher",
            "ADVOCACY|stage = ADVOCACY|1|1|4|2|fisher",
            "CONVERSION|stage = CONVERSION|5|3|0|0|null",
            "RETENTION|stage = RETENTION|2|1|3|2|fisher",
            "email|first_channel = email|2|0|3|3|fisher",
            "product_view|product_view >= 1|2|1|3|2|fisher",
            "product_view|product_view >= 2|1|1|4|2|fisher",
            "purchase|purchase >= 1|5|3|0|0|null",
            "purchase|purchase >= 2|1|0|4|3|fisher"),
        TestSupport.rows(out.select("value", "behaviour", "customers_with", "retained_with", "customers_without",
            "retained_without", "test")));
    // email: 0 2 / 3 0 -> 0.5 2.5 / 3.5 0.5: OR = 0.25 / 8.75 = 1/35; Fisher with margins 2 (email), 3
    // (retained) of 5: P(a = 0, 1, 2) = 1/10, 6/10, 3/10, so p = 0.1 (and the same for "(other)", its mirror).
    // purchase >= 2: 0 1 / 3 1: P(a = 0, 1) = 4/10, 6/10, p = 0.4; the other four tables have p = 1.
    // BH over the 7 tested: 0.1 * 7 / 2 = 0.35 for the two smallest, 0.4 * 7 / 3 = 0.9333 for the third.
    Row email = out.where("behaviour = 'first_channel = email'").head();
    assertEquals(1 / 35.0, email.<Double>getAs("odds_ratio"), 1e-12);
    assertEquals(0.1, email.<Double>getAs("p_value"), 1e-12);
    assertEquals(0.35, email.<Double>getAs("p_adjusted"), 1e-12);
    assertEquals(0.0, email.<Double>getAs("retention_with"), 0);
    assertEquals(1.0, email.<Double>getAs("retention_without"), 0);
    Row twice = out.where("behaviour = 'purchase >= 2'").head();
    assertEquals(0.4, twice.<Double>getAs("p_value"), 1e-12);
    assertEquals(0.4 * 7 / 3, twice.<Double>getAs("p_adjusted"), 1e-12);
    assertEquals(2, twice.<Integer>getAs("min_count"));
    Row everybody = out.where("behaviour = 'purchase >= 1'").head();
    assertTrue(everybody.isNullAt(everybody.fieldIndex("odds_ratio")) && everybody.isNullAt(everybody.fieldIndex("p_adjusted")),
        "everybody bought: nothing to compare");
  }

  /**
   * The first channel is the earliest event's that names one, up to the window's end, a tie at one instant
   * going to the first name: h's purchase (social) and page view (email) share an instant, so email; i's
   * purchase names none, its view two days later ads; j names one only after the window (unknown).
   */
  @Test
  void firstChannelIsTheEarliestNamedOneTiesByName() {
    Dataset<Row> events = spark.createDataFrame(List.of(
        e("h", "2024-01-02", "purchase", "social", "CONVERSION"), e("h", "2024-01-02", "page_view", "email", "CONVERSION"),
        e("i", "2024-01-02", "purchase", null, "CONVERSION"), e("i", "2024-01-04", "page_view", "ads", "RETENTION"),
        e("j", "2024-01-02", "purchase", null, "CONVERSION"), e("j", "2024-01-20", "purchase", "ads", "RETENTION")), EVENTS);
    LifecycleConfig config = TestSupport.config("lifecycle.cohorts.drivers { window_days = 7, retained_day = 10,"
        + " count_thresholds = [2], top_event_types = 2, top_channels = 5 }");
    CustomerActivity activity = new CustomerActivity(config);
    Dataset<Row> out = new RetentionDrivers(config).compute(events, activity.days(events, false), LocalDate.of(2024, 3, 1));
    // j's second purchase, on day 18, is after the window (no channel for j) and retains j.
    assertEquals(List.of("ads|1|0", "email|1|0", "unknown|1|1"),
        TestSupport.rows(out.where("behaviour_type = 'first_channel'").select("value", "customers_with", "retained_with")));
  }
}
