package io.lifecycle.sessions;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.SessionsTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Where an incremental sessionize starts recomputing a customer: exact points on hand-built sessions. */
class ReopenPointsTest {
  private static final StructType SESSIONS = new StructType()
      .add(Columns.CUSTOMER_ID, DataTypes.StringType)
      .add(SessionsTable.SESSION_START, DataTypes.TimestampType)
      .add(SessionsTable.SESSION_END, DataTypes.TimestampType);
  private static final StructType CHANGES = new StructType()
      .add(Columns.CUSTOMER_ID, DataTypes.StringType)
      .add(SessionizeStep.CHANGED_FROM, DataTypes.TimestampType);

  private final SparkSession spark = SharedSpark.get();

  private static Instant t(String hhmmss) {
    return Instant.parse("2024-03-01T" + hhmmss + "Z");
  }

  @Test
  void reopensAtTheStartOfTheGapSessionTheEarliestChangeCanReach() {
    // Gap 30 min. Customer a: [10:00-10:20]; then a gap session of two pieces [11:00-11:10] and
    // [11:35-11:50] (25 min apart: one gap session cut by the maximum length); then [15:00-15:05].
    List<Row> sessions = List.of(
        RowFactory.create("a", t("10:00:00"), t("10:20:00")),
        RowFactory.create("a", t("11:00:00"), t("11:10:00")),
        RowFactory.create("a", t("11:35:00"), t("11:50:00")),
        RowFactory.create("a", t("15:00:00"), t("15:05:00")),
        RowFactory.create("b", t("10:00:00"), t("10:10:00")),
        RowFactory.create("c", t("10:00:00"), t("10:10:00")),
        RowFactory.create("d", t("11:00:00"), t("11:10:00")),
        RowFactory.create("d", t("11:35:00"), t("11:50:00")),
        RowFactory.create("e", t("11:00:00"), t("11:10:00")),
        RowFactory.create("e", t("11:35:00"), t("11:50:00")),
        RowFactory.create("e", t("15:00:00"), t("15:05:00")),
        RowFactory.create("unaffected", t("10:00:00"), t("10:10:00")));
    List<Row> changes = List.of(
        RowFactory.create("a", t("12:10:00")),   // within the gap of 11:50: the piece's gap session, 11:00
        RowFactory.create("b", t("09:00:00")),   // before every stored session: the change itself
        RowFactory.create("c", t("20:00:00")),   // nothing stored within the gap: the change itself
        RowFactory.create("d", t("12:20:00")),   // exactly the gap after 11:50 still joins: 11:00
        RowFactory.create("e", t("12:20:01")),   // one second more does not: the change itself
        RowFactory.create("new", t("08:00:00"))); // no stored sessions at all
    Dataset<Row> stored = spark.createDataFrame(sessions, SESSIONS);
    Dataset<Row> changedFrom = spark.createDataFrame(changes, CHANGES);

    List<String> points = TestSupport.rows(SessionizeStep.reopenPoints(stored, changedFrom, Duration.ofMinutes(30)));

    assertEquals(List.of(
        "a|2024-03-01T11:00:00Z",
        "b|2024-03-01T09:00:00Z",
        "c|2024-03-01T20:00:00Z",
        "d|2024-03-01T11:00:00Z",
        "e|2024-03-01T12:20:01Z",
        "new|2024-03-01T08:00:00Z"), points);
  }

  @Test
  void theRecentSessionsGiveThePointsOfAllHistoryAChainAcrossTheirStartIncluded() {
    // Gap 30 min, pieces of at most 1 h: the recent sessions start on 03-09, a day and 1.5 h before the
    // earliest change (03-10 12:00). "chain" is active every 20 minutes from 03-08 20:00 on, so its gap
    // session starts before the recent ones: its point needs all of its history.
    List<Row> sessions = new java.util.ArrayList<>();
    for (Instant start = Instant.parse("2024-03-08T20:00:00Z"); start.isBefore(Instant.parse("2024-03-10T12:00:00Z"));
        start = start.plus(Duration.ofMinutes(80))) {
      sessions.add(session("chain", start, start.plus(Duration.ofHours(1))));
    }
    sessions.add(session("quiet", Instant.parse("2024-03-01T10:00:00Z"), Instant.parse("2024-03-01T10:30:00Z")));
    sessions.add(session("quiet", Instant.parse("2024-03-10T11:30:00Z"), Instant.parse("2024-03-10T11:50:00Z")));
    sessions.add(session("early", Instant.parse("2024-03-09T00:10:00Z"), Instant.parse("2024-03-09T00:20:00Z")));
    List<Row> changes = List.of(
        RowFactory.create("chain", Instant.parse("2024-03-10T12:10:00Z")),
        RowFactory.create("quiet", Instant.parse("2024-03-10T12:00:00Z")),
        RowFactory.create("early", Instant.parse("2024-03-10T13:00:00Z")),
        RowFactory.create("new", Instant.parse("2024-03-10T14:00:00Z")));
    Dataset<Row> stored = spark.createDataFrame(sessions, SESSIONS.add(SessionsTable.SESSION_DATE, DataTypes.DateType));
    Dataset<Row> changedFrom = spark.createDataFrame(changes, CHANGES);
    io.lifecycle.config.LifecycleConfig.Sessions settings =
        new io.lifecycle.config.LifecycleConfig.Sessions(Duration.ofMinutes(30), Duration.ofHours(1));

    List<String> points = TestSupport.rows(SessionizeStep.reopenPointsFromRecent(stored, changedFrom,
        Instant.parse("2024-03-10T12:00:00Z"), settings));

    assertEquals(List.of(
        "chain|2024-03-08T20:00:00Z",
        "early|2024-03-10T13:00:00Z",
        "new|2024-03-10T14:00:00Z",
        "quiet|2024-03-10T11:30:00Z"), points);
    assertEquals(TestSupport.rows(SessionizeStep.reopenPoints(stored, changedFrom, Duration.ofMinutes(30))), points);
  }

  private static Row session(String customer, Instant start, Instant end) {
    return RowFactory.create(customer, start, end, java.sql.Date.valueOf(start.atZone(java.time.ZoneOffset.UTC).toLocalDate()));
  }
}
