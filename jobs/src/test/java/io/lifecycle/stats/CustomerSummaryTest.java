package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig.Clv.TimeUnit;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class CustomerSummaryTest {
  private final SparkSession spark = SharedSpark.get();
  private static final StructType EVENTS = new StructType()
      .add("customer_id", DataTypes.StringType)
      .add("event_time", DataTypes.TimestampType)
      .add("event_type", DataTypes.StringType)
      .add("amount", DataTypes.DoubleType);

  private static Row e(String c, String time, String type, Double amount) {
    return RowFactory.create(c, Instant.parse(time), type, amount);
  }

  @Test
  void purchasesOnOneDayCountOnceAndTimesAreInUnits() {
    Dataset<Row> events = spark.createDataFrame(List.of(
        e("a", "2024-01-01T10:00:00Z", "purchase", 10.0),
        e("a", "2024-01-01T18:00:00Z", "purchase", 5.0),      // same day: one purchase day of 15
        e("a", "2024-01-08T09:00:00Z", "purchase", 20.0),
        e("a", "2024-01-15T09:00:00Z", "purchase", 40.0),
        e("a", "2024-01-15T10:00:00Z", "page_view", null),
        e("a", "2024-03-01T09:00:00Z", "purchase", 99.0),     // after the last observed day: ignored
        e("b", "2024-01-29T09:00:00Z", "purchase", 7.0),
        e("c", "2024-01-02T09:00:00Z", "page_view", null)), EVENTS);
    Dataset<Row> s = CustomerSummary.of(events, Set.of("purchase"), LocalDate.of(2024, 1, 29), TimeUnit.WEEKS)
        .select("customer_id", "frequency", "recency", "age", "monetary_value", "total_revenue", "purchases");
    assertEquals(List.of("a|2|2.0|4.0|30.0|75.0|4", "b|0|0.0|0.0|null|7.0|1"), TestSupport.rows(s));
    Dataset<Row> d = CustomerSummary.of(events, Set.of("purchase"), LocalDate.of(2024, 1, 29), TimeUnit.DAYS)
        .select("customer_id", "frequency", "recency", "age");
    assertEquals(List.of("a|2|14.0|28.0", "b|0|0.0|0.0"), TestSupport.rows(d));
  }

  @Test
  void withChannelIsTheSummaryWithTheFirstChannelOfAnyEvent() {
    StructType withChannel = EVENTS.add("channel", DataTypes.StringType);
    Dataset<Row> events = spark.createDataFrame(List.of(
        RowFactory.create("a", Instant.parse("2024-01-01T08:00:00Z"), "page_view", null, null),
        RowFactory.create("a", Instant.parse("2024-01-01T09:00:00Z"), "page_view", null, "search"),   // first with a channel
        RowFactory.create("a", Instant.parse("2024-01-01T10:00:00Z"), "purchase", 10.0, "email"),
        RowFactory.create("a", Instant.parse("2024-01-08T09:00:00Z"), "purchase", 20.0, "email"),
        RowFactory.create("b", Instant.parse("2024-01-02T09:00:00Z"), "purchase", 7.0, "social"),
        RowFactory.create("b", Instant.parse("2024-01-02T09:00:00Z"), "page_view", null, "ads"),      // same instant: by name
        RowFactory.create("c", Instant.parse("2024-01-02T09:00:00Z"), "page_view", null, "ads")),     // no purchase: no row
        withChannel);
    Dataset<Row> s = CustomerSummary.withChannel(events, Set.of("purchase"), LocalDate.of(2024, 1, 29), TimeUnit.DAYS)
        .select("customer_id", "frequency", "recency", "age", "monetary_value", "total_revenue", "purchases", "acquisition_channel");
    assertEquals(List.of("a|1|7.0|28.0|20.0|30.0|2|search", "b|0|0.0|27.0|null|7.0|1|ads"), TestSupport.rows(s));
  }
}
