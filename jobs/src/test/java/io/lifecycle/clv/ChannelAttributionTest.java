package io.lifecycle.clv;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.tables.ChannelAttributionTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerValueTable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * channel_attribution on five hand-written journeys, two channels kept ({@code clv.attribution_channels = 2}):
 * <ul>
 *   <li>a: email, email again (one touch), a view without channel, social, then the first purchase (100,
 *       January); a paid_search view after it is not part of the journey.
 *   <li>b: social, then two purchases at one instant (40 + 10, January) carrying email: the purchase's
 *       own channel is a touch.
 *   <li>c: a purchase (30, February) and no channel at all: the journey (none).
 *   <li>d: social and never a purchase: the journey to (null).
 *   <li>e: tv, beyond the two channels with the most events (email and social, 3 each): (other); a
 *       purchase (20, February).
 * </ul>
 * Predicted CLV: a 10, b null, c 4, e absent from the values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChannelAttributionTest {
  private static final double EPS = 1e-9;
  private final SparkSession spark = SharedSpark.get();
  private Map<String, Row> rows;

  private static Row e(String customer, String time, String type, Double amount, String channel) {
    return RowFactory.create(customer, Instant.parse(time), type, amount, channel);
  }

  @BeforeAll
  void attribute() {
    StructType schema = new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add(Columns.EVENT_TIME, DataTypes.TimestampType)
        .add(Columns.EVENT_TYPE, DataTypes.StringType).add(Columns.AMOUNT, DataTypes.DoubleType).add(Columns.CHANNEL, DataTypes.StringType);
    Dataset<Row> events = spark.createDataFrame(List.of(
        e("a", "2024-01-05T10:00:00Z", "page_view", null, "email"),
        e("a", "2024-01-06T10:00:00Z", "page_view", null, "email"),
        e("a", "2024-01-07T10:00:00Z", "product_view", null, null),
        e("a", "2024-01-08T10:00:00Z", "ad_click", null, "social"),
        e("a", "2024-01-09T10:00:00Z", "purchase", 100.0, null),
        e("a", "2024-02-01T10:00:00Z", "page_view", null, "paid_search"),
        e("b", "2024-01-10T10:00:00Z", "ad_click", null, "social"),
        e("b", "2024-01-11T10:00:00Z", "purchase", 40.0, "email"),
        e("b", "2024-01-11T10:00:00Z", "purchase", 10.0, null),
        e("c", "2024-02-03T10:00:00Z", "purchase", 30.0, null),
        e("d", "2024-01-20T10:00:00Z", "page_view", null, "social"),
        e("e", "2024-02-01T10:00:00Z", "page_view", null, "tv"),
        e("e", "2024-02-05T10:00:00Z", "purchase", 20.0, null)), schema);
    Dataset<Row> values = spark.createDataFrame(List.of(RowFactory.create("a", 10.0), RowFactory.create("b", null),
        RowFactory.create("c", 4.0)), new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType)
        .add(CustomerValueTable.PREDICTED_CLV, DataTypes.DoubleType));
    Dataset<Row> table = ChannelAttributionTable.DEF.conform(
        ChannelAttribution.of(events, values, Set.of("purchase"), 2, LocalDate.of(2024, 3, 1)));
    rows = new TreeMap<>();
    for (Row r : table.collectAsList()) {
      assertEquals(LocalDate.of(2024, 3, 1), r.get(0));
      rows.put(r.get(1) + " " + r.getString(2) + " " + r.getString(3), r);
    }
  }

  /** conversions, revenue, predicted CLV (NaN: null) and removal effect (NaN: null) of one row. */
  private void assertRow(String key, double conversions, double revenue, double clv, double removalEffect) {
    Row r = rows.get(key);
    assertNotNull(r, key + " missing; rows: " + rows.keySet());
    double[] actual = {r.getDouble(4), r.getDouble(5), r.isNullAt(6) ? Double.NaN : r.getDouble(6), r.isNullAt(7) ? Double.NaN : r.getDouble(7)};
    double[] expected = {conversions, revenue, clv, removalEffect};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], EPS, key + ": " + Arrays.toString(actual));
    }
  }

  @Test
  void heuristicModelsCreditTheJourneysTouches() {
    double none = Double.NaN;
    // a: email > social (CLV 10); b: social > email (no CLV).
    assertRow("2024-01-01 email first_touch", 1, 100, 10, none);
    assertRow("2024-01-01 social first_touch", 1, 50, none, none);
    assertRow("2024-01-01 social last_touch", 1, 100, 10, none);
    assertRow("2024-01-01 email last_touch", 1, 50, none, none);
    assertRow("2024-01-01 email linear", 1, 75, 5, none);
    assertRow("2024-01-01 social linear", 1, 75, 5, none);
    for (String model : List.of("first_touch", "last_touch", "linear")) {
      assertRow("2024-02-01 (none) " + model, 1, 30, 4, none);
      assertRow("2024-02-01 (other) " + model, 1, 20, none, none);
    }
    assertFalse(rows.keySet().stream().anyMatch(k -> k.contains("paid_search") || k.contains("tv")), rows.keySet().toString());
  }

  /**
   * The chain: start to email 1, social 2, (none) 1, (other) 1 of 5; email to social and conversion 1/2
   * each; social to conversion, email and null 1/3 each; (none) and (other) to conversion. x_social = 1/3
   * + 1/3 x_email and x_email = 1/2 + 1/2 x_social: x_social = 3/5, x_email = 4/5, and P = (4/5 + 2 * 3/5
   * + 1 + 1) / 5 = 4/5. Without email x_social = 1/3, P = 8/15, effect 1/3; without social x_email = 1/2,
   * P = 1/2, effect 3/8; without (none) or (other) P = 3/5, effect 1/4. Shares of 29/24: email 8/29,
   * social 9/29, (none) and (other) 6/29 each, of each month's 2 conversions, revenue and CLV.
   */
  @Test
  void markovSplitsEachMonthByTheRemovalEffects() {
    Map<String, Double> effects = Map.of("email", 1.0 / 3, "social", 3.0 / 8, "(none)", 0.25, "(other)", 0.25);
    Map<String, Double> shares = Map.of("email", 8.0 / 29, "social", 9.0 / 29, "(none)", 6.0 / 29, "(other)", 6.0 / 29);
    for (String channel : effects.keySet()) {
      double share = shares.get(channel);
      assertRow("2024-01-01 " + channel + " markov", 2 * share, 150 * share, 10 * share, effects.get(channel));
      assertRow("2024-02-01 " + channel + " markov", 2 * share, 50 * share, 4 * share, effects.get(channel));
    }
  }

  @Test
  void everyModelCreditsEachMonthsConversionsOnce() {
    for (String month : List.of("2024-01-01", "2024-02-01")) {
      for (String model : ChannelAttributionTable.MODELS) {
        double total = rows.entrySet().stream().filter(e -> e.getKey().startsWith(month) && e.getKey().endsWith(" " + model))
            .mapToDouble(e -> e.getValue().getDouble(4)).sum();
        assertEquals(2.0, total, EPS, month + " " + model);
      }
    }
    assertEquals(6 + 4 + 6 + 4, rows.size(), rows.keySet().toString());
  }
}
