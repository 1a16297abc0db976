package io.lifecycle.sessions;

import static io.lifecycle.tables.Columns.*;
import static io.lifecycle.tables.SessionsTable.*;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.StageModel;
import io.lifecycle.spark.StageAssigner;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

public class SessionizerTest {
  private final SparkSession spark = SharedSpark.get();
  private final StageModel model = TestSupport.config().stages();
  private final Sessionizer sessionizer = new Sessionizer(Duration.ofMinutes(30), Duration.ofHours(12), model);

  public static final StructType EVENTS = new StructType()
      .add(CUSTOMER_ID, DataTypes.StringType, false)
      .add(EVENT_TIME, DataTypes.TimestampType, false)
      .add(EVENT_TYPE, DataTypes.StringType, false)
      .add(STAGE, DataTypes.StringType)
      .add(AMOUNT, DataTypes.DoubleType)
      .add(CHANNEL, DataTypes.StringType);

  public static Row ev(String customer, String time, String type, String stage, Double amount, String channel) {
    return RowFactory.create(customer, Instant.parse(time), type, stage, amount, channel);
  }

  public static Row ev(String customer, String time) {
    return ev(customer, time, "page_view", "AWARENESS", null, null);
  }

  private Dataset<Row> events(List<Row> rows) {
    return spark.createDataFrame(rows, EVENTS);
  }

  /** customer|start|end|duration|events: the shape most cases check. */
  private static List<String> spans(Dataset<Row> sessions) {
    return TestSupport.rows(sessions.select(CUSTOMER_ID, SESSION_START, SESSION_END, DURATION_SECONDS, EVENT_COUNT));
  }

  @Test
  void gapExactlyEqualToTheTimeoutStaysInTheSessionOneMicroMoreSplits() {
    Dataset<Row> s = sessionizer.sessionize(events(List.of(
        ev("c1", "2024-03-01T10:00:00Z"),
        ev("c1", "2024-03-01T10:30:00Z"),            // exactly 30 minutes: same session
        ev("c1", "2024-03-01T11:00:00.000001Z"))));  // 30 minutes and 1 microsecond: new session
    assertEquals(List.of(
            "c1|2024-03-01T10:00:00Z|2024-03-01T10:30:00Z|1800.0|2",
            "c1|2024-03-01T11:00:00.000001Z|2024-03-01T11:00:00.000001Z|0.0|1"),
        spans(s));
  }

  @Test
  void outOfOrderInputGivesTheSameSessions() {
    List<Row> ordered = List.of(
        ev("c1", "2024-03-01T10:00:00Z"), ev("c1", "2024-03-01T10:20:00Z"), ev("c1", "2024-03-01T11:00:00Z"),
        ev("c2", "2024-03-01T10:10:00Z"), ev("c2", "2024-03-01T10:15:00Z"));
    List<Row> shuffled = new ArrayList<>(ordered);
    Collections.reverse(shuffled);
    List<String> expected = List.of(
        "c1|2024-03-01T10:00:00Z|2024-03-01T10:20:00Z|1200.0|2",
        "c1|2024-03-01T11:00:00Z|2024-03-01T11:00:00Z|0.0|1",
        "c2|2024-03-01T10:10:00Z|2024-03-01T10:15:00Z|300.0|2");
    assertEquals(expected, spans(sessionizer.sessionize(events(ordered))));
    assertEquals(expected, spans(sessionizer.sessionize(events(shuffled).repartition(3))));
  }

  @Test
  void equalTimestampsShareOneSession() {
    Dataset<Row> s = sessionizer.sessionize(events(List.of(
        ev("c1", "2024-03-01T10:00:00Z", "page_view", "AWARENESS", null, "social"),
        ev("c1", "2024-03-01T10:00:00Z", "ad_click", "AWARENESS", null, "email"),
        ev("c1", "2024-03-01T10:00:00Z", "page_view", "AWARENESS", null, null),
        ev("c1", "2024-03-01T10:45:00Z"))));
    assertEquals(List.of(
            "c1|2024-03-01T10:00:00Z|2024-03-01T10:00:00Z|0.0|3",
            "c1|2024-03-01T10:45:00Z|2024-03-01T10:45:00Z|0.0|1"),
        spans(s));
    // Equal times: the channel is the smallest of the earliest ones, whatever the input order.
    assertEquals(List.of("2024-03-01T10:00:00Z|email|Map(ad_click -> 1, page_view -> 2)", "2024-03-01T10:45:00Z|null|Map(page_view -> 1)"),
        TestSupport.rows(s.select(SESSION_START, FIRST_CHANNEL, EVENT_TYPE_COUNTS)));
  }

  @Test
  void sessionAcrossMidnightIsOneSessionDatedByItsStart() {
    Dataset<Row> s = sessionizer.sessionize(events(List.of(
        ev("c1", "2024-03-01T23:50:00Z"), ev("c1", "2024-03-02T00:10:00Z"), ev("c1", "2024-03-02T00:35:00Z"))));
    assertEquals(List.of("c1|2024-03-01T23:50:00Z|2024-03-02T00:35:00Z|2700.0|3|2024-03-01"),
        TestSupport.rows(s.select(CUSTOMER_ID, SESSION_START, SESSION_END, DURATION_SECONDS, EVENT_COUNT, SESSION_DATE)));
  }

  @Test
  void longSessionIsCutIntoPiecesAlignedToItsStart() {
    Sessionizer hourly = new Sessionizer(Duration.ofMinutes(30), Duration.ofHours(1), model);
    List<Row> rows = new ArrayList<>();
    for (String t : List.of("00:00", "00:20", "00:40", "01:00", "01:20", "01:40", "02:00", "02:20", "03:30", "04:30")) {
      rows.add(ev("c1", "2024-03-01T" + t + ":00Z"));
    }
    // One gap session 00:00-02:20 (gaps of 20 minutes): pieces (0, 1h], (1h, 2h], (2h, 3h] from 00:00;
    // 01:00 is exactly 1 hour after the start and stays in the first piece. 03:30 and 04:30 are
    // separated by gaps (70 and 60 minutes > 30).
    assertEquals(List.of(
            "c1|2024-03-01T00:00:00Z|2024-03-01T01:00:00Z|3600.0|4",
            "c1|2024-03-01T01:20:00Z|2024-03-01T02:00:00Z|2400.0|3",
            "c1|2024-03-01T02:20:00Z|2024-03-01T02:20:00Z|0.0|1",
            "c1|2024-03-01T03:30:00Z|2024-03-01T03:30:00Z|0.0|1",
            "c1|2024-03-01T04:30:00Z|2024-03-01T04:30:00Z|0.0|1"),
        spans(hourly.sessionize(events(rows))));
  }

  @Test
  void stageIsTheMostAdvancedReachedAndCountsRevenueChannelAndPurchaseAreAggregated() {
    Dataset<Row> s = sessionizer.sessionize(events(List.of(
        ev("c1", "2024-03-01T10:00:00Z", "page_view", "AWARENESS", null, null),
        ev("c1", "2024-03-01T10:05:00Z", "product_view", "CONSIDERATION", null, "email"),
        ev("c1", "2024-03-01T10:10:00Z", "purchase", "CONVERSION", 10.0, "organic"),
        ev("c1", "2024-03-01T10:15:00Z", "purchase", "RETENTION", 5.5, null),
        ev("c1", "2024-03-01T10:20:00Z", "support_ticket", "EXPERIENCE", null, null),
        ev("c1", "2024-03-01T10:25:00Z", "mystery", null, null, null),
        ev("c2", "2024-03-01T10:00:00Z", "mystery", null, null, null))));
    assertEquals(List.of(
            "c1|6|{\"mystery\":1,\"page_view\":1,\"product_view\":1,\"purchase\":2,\"support_ticket\":1}|15.5|email|RETENTION"
                + "|ArraySeq(AWARENESS, CONSIDERATION, CONVERSION, EXPERIENCE, RETENTION)|2024-03-01T10:10:00Z|2024-03-01",
            "c2|1|{\"mystery\":1}|0.0|null|null|ArraySeq()|null|2024-03-01"),
        TestSupport.rows(s.select(col(CUSTOMER_ID), col(EVENT_COUNT), to_json(col(EVENT_TYPE_COUNTS)), col(REVENUE), col(FIRST_CHANNEL), col(STAGE), col(STAGES),
            col(FIRST_PURCHASE_TIME), col(SESSION_DATE))));
  }

  @Test
  void sessionStagesFollowTheRulesBeforeAndAfterTheFirstPurchase() {
    // Stages come from ingest's StageAssigner: product_view is CONSIDERATION before the first purchase
    // and RETENTION after it; the first purchase is CONVERSION, a repeat purchase RETENTION.
    Dataset<Row> raw = events(List.of(
            ev("c1", "2024-03-01T10:00:00Z", "product_view", null, null, null),
            ev("c1", "2024-03-01T10:05:00Z", "page_view", null, null, null),
            ev("c1", "2024-03-02T10:00:00Z", "purchase", null, 20.0, null),
            ev("c1", "2024-03-03T10:00:00Z", "product_view", null, null, null),
            ev("c1", "2024-03-04T10:00:00Z", "purchase", null, 5.0, null)))
        .drop(STAGE);
    Dataset<Row> staged = new StageAssigner(model).assign(raw);
    assertEquals(List.of(
            "2024-03-01T10:00:00Z|2|CONSIDERATION|ArraySeq(AWARENESS, CONSIDERATION)",
            "2024-03-02T10:00:00Z|1|CONVERSION|ArraySeq(CONVERSION)",
            "2024-03-03T10:00:00Z|1|RETENTION|ArraySeq(RETENTION)",
            "2024-03-04T10:00:00Z|1|RETENTION|ArraySeq(RETENTION)"),
        TestSupport.rows(sessionizer.sessionize(staged).select(SESSION_START, EVENT_COUNT, STAGE, STAGES)));
  }

  @Test
  void idsAreTheHashOfCustomerAndStartAndStableAcrossRerunsOrderAndPartitions() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < 6; c++) {
      for (int i = 0; i < 5; i++) {
        rows.add(ev("c" + c, String.format("2024-03-0%dT1%d:00:00Z", 1 + c % 3, i)));
      }
    }
    List<String> one = TestSupport.rows(sessionizer.sessionize(events(rows).repartition(1)).select(CUSTOMER_ID, SESSION_START, SESSION_ID));
    Collections.reverse(rows);
    List<String> seven = TestSupport.rows(sessionizer.sessionize(events(rows).repartition(7)).select(CUSTOMER_ID, SESSION_START, SESSION_ID));
    List<String> again = TestSupport.rows(sessionizer.sessionize(events(rows).repartition(7)).select(CUSTOMER_ID, SESSION_START, SESSION_ID));
    assertEquals(30, one.size());
    assertEquals(one, seven);
    assertEquals(one, again);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(("c0|" + Instant.parse("2024-03-01T10:00:00Z").toEpochMilli() * 1000).getBytes(StandardCharsets.UTF_8)))
        .substring(0, 32);
    assertTrue(one.contains("c0|2024-03-01T10:00:00Z|" + expected), one.toString());
  }

  @Test
  void aBotWithManyEventsIsSessionizedInOnePass() {
    // 50,000 events one second apart: gaps never exceed 30 minutes; the 12-hour cap cuts at 43,200 s.
    Dataset<Row> bot = spark.range(50_000)
        .select(lit("bot").as(CUSTOMER_ID),
            timestamp_seconds(lit(1_709_251_200L).plus(col("id"))).as(EVENT_TIME),
            lit("page_view").as(EVENT_TYPE), lit("AWARENESS").as(STAGE),
            lit(null).cast("double").as(AMOUNT), lit(null).cast("string").as(CHANNEL));
    assertEquals(List.of(
            "bot|2024-03-01T00:00:00Z|2024-03-01T12:00:00Z|43200.0|43201",
            "bot|2024-03-01T12:00:01Z|2024-03-01T13:53:19Z|6798.0|6799"),
        spans(sessionizer.sessionize(bot)));
  }
}
