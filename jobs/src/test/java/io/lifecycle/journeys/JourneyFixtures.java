package io.lifecycle.journeys;

import static io.lifecycle.tables.Columns.*;
import static io.lifecycle.tables.SessionsTable.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.StageModel;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Hand-built sessions of four customers, with a 30-day churn threshold and the run date 2024-06-01
 * (default six-stage model):
 * <ul>
 *   <li>a: AWARENESS (2 sessions), CONVERSION (skips CONSIDERATION), CONSIDERATION (back), 130 days
 *       away (CHURNED from 2024-02-09), back in RETENTION on 2024-05-20 (reactivated, a skip).
 *   <li>b: AWARENESS, CONSIDERATION, then silent since 2024-03-02: CHURNED from 2024-04-01, current.
 *   <li>c: a session without stage (before the journey), CONVERSION, and a stageless session exactly
 *       30 days later (not churn) that stays in CONVERSION; the run date is exactly 30 days after it.
 *   <li>d: AWARENESS, 60 days away, AWARENESS again (reactivation, SAME), then churned again.
 * </ul>
 */
final class JourneyFixtures {
  private JourneyFixtures() {}

  static final StageModel MODEL = TestSupport.config().stages();
  static final Duration CHURN = Duration.ofDays(30);
  static final LocalDate RUN_DATE = LocalDate.of(2024, 6, 1);
  static final Instant AS_OF = Instant.parse("2024-06-01T00:00:00Z");

  static final StructType SESSIONS = new StructType()
      .add(CUSTOMER_ID, DataTypes.StringType, false)
      .add(SESSION_START, DataTypes.TimestampType, false)
      .add(SESSION_END, DataTypes.TimestampType, false)
      .add(EVENT_COUNT, DataTypes.LongType, false)
      .add(REVENUE, DataTypes.DoubleType, false)
      .add(STAGE, DataTypes.StringType)
      .add(FIRST_CHANNEL, DataTypes.StringType)
      .add(FIRST_PURCHASE_TIME, DataTypes.TimestampType);

  static Row s(String customer, String start, String end, long events, double revenue, String stage, String channel, String purchase) {
    return RowFactory.create(customer, Instant.parse(start), Instant.parse(end), events, revenue, stage, channel,
        purchase == null ? null : Instant.parse(purchase));
  }

  static Dataset<Row> sessions() {
    return SharedSpark.get().createDataFrame(List.of(
        s("a", "2024-01-01T00:00:00Z", "2024-01-01T00:10:00Z", 3, 0, "AWARENESS", "email", null),
        s("a", "2024-01-02T00:00:00Z", "2024-01-02T00:05:00Z", 2, 0, "AWARENESS", "social", null),
        s("a", "2024-01-03T00:00:00Z", "2024-01-03T00:30:00Z", 4, 50, "CONVERSION", null, "2024-01-03T00:10:00Z"),
        s("a", "2024-01-10T00:00:00Z", "2024-01-10T00:00:00Z", 1, 0, "CONSIDERATION", null, null),
        s("a", "2024-05-20T00:00:00Z", "2024-05-20T00:20:00Z", 2, 20, "RETENTION", null, "2024-05-20T00:20:00Z"),
        s("b", "2024-03-01T00:00:00Z", "2024-03-01T00:00:00Z", 1, 0, "AWARENESS", null, null),
        s("b", "2024-03-02T00:00:00Z", "2024-03-02T00:00:00Z", 1, 0, "CONSIDERATION", "ads", null),
        s("c", "2024-04-01T00:00:00Z", "2024-04-01T00:00:00Z", 1, 0, null, "organic", null),
        s("c", "2024-04-02T00:00:00Z", "2024-04-02T00:00:00Z", 1, 9.5, "CONVERSION", "ads", "2024-04-02T00:00:00Z"),
        s("c", "2024-05-02T00:00:00Z", "2024-05-02T00:00:00Z", 1, 0, null, null, null),
        s("d", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", 1, 0, "AWARENESS", "email", null),
        s("d", "2024-03-01T00:00:00Z", "2024-03-01T00:00:00Z", 1, 0, "AWARENESS", null, null)), SESSIONS);
  }

  static Dataset<Row> episodes() {
    return new StageEpisodes(MODEL, CHURN, AS_OF).episodes(sessions());
  }

  static Dataset<Row> journeys() {
    return new CustomerJourneys(MODEL, AS_OF).journeys(episodes(), sessions());
  }
}
