package io.lifecycle.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.Columns;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class FirstChannelTest {
  private final SparkSession spark = SharedSpark.get();
  private static final StructType EVENTS = new StructType()
      .add(Columns.CUSTOMER_ID, DataTypes.StringType)
      .add(Columns.EVENT_TIME, DataTypes.TimestampType)
      .add(Columns.CHANNEL, DataTypes.StringType);

  @Test
  void theEarliestChannelWithTiesToTheFirstNameWhateverTheRowOrder() {
    Timestamp nine = Timestamp.valueOf("2025-01-01 09:00:00");
    Timestamp ten = Timestamp.valueOf("2025-01-01 10:00:00");
    // c1: two channels at the same first instant, a later one, and an earlier event without a channel.
    List<Row> rows = List.of(
        RowFactory.create("c1", ten, "social"),
        RowFactory.create("c1", ten, "email"),
        RowFactory.create("c1", Timestamp.valueOf("2025-01-02 10:00:00"), "ads"),
        RowFactory.create("c1", nine, null),
        RowFactory.create("c2", nine, null));
    List<Row> reversed = new ArrayList<>(rows);
    java.util.Collections.reverse(reversed);
    for (List<Row> order : List.of(rows, reversed)) {
      assertEquals(List.of("c1|email", "c2|null"), TestSupport.rows(spark.createDataFrame(order, EVENTS).coalesce(1)
          .groupBy(col(Columns.CUSTOMER_ID)).agg(FirstChannel.of())), order.toString());
    }
  }
}
