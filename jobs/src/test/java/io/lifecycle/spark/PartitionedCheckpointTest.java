package io.lifecycle.spark;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.junit.jupiter.api.Test;

class PartitionedCheckpointTest {
  /** A session of the tests' Spark with adaptive execution on, as the job runs. */
  private static SparkSession adaptive() {
    SparkSession spark = SharedSpark.get().newSession();
    spark.conf().set(PartitionedCheckpoint.ADAPTIVE, "true");
    spark.conf().set("spark.sql.shuffle.partitions", "4");
    return spark;
  }

  /** Per key, each value with the one before: a window by key, as the episodes are made. */
  private static Dataset<Row> windowed(SparkSession spark) {
    return spark.range(0, 40).select(col("id").mod(5).as("k"), col("id").as("t"))
        .select(col("k"), col("t"), lag(col("t"), 1).over(Window.partitionBy("k").orderBy("t")).as("before"));
  }

  @Test
  void anAggregationByTheWindowsKeyReadsTheKeptRowsWithoutAShuffle() {
    SparkSession spark = adaptive();
    Dataset<Row> kept = PartitionedCheckpoint.of(windowed(spark));
    Dataset<Row> perKey = kept.groupBy("k").agg(count(lit(1)).as("n"), max(col("before")).as("last_before")).orderBy("k");
    assertEquals(java.util.List.of("0|8|30", "1|8|31", "2|8|32", "3|8|33", "4|8|34"), TestSupport.rows(perKey));
    String groupByOnly = kept.groupBy("k").count().queryExecution().executedPlan().toString();
    assertFalse(groupByOnly.contains("Exchange"), groupByOnly);
    // The rows are those of the frame itself.
    assertEquals(TestSupport.rows(windowed(spark).orderBy("k", "t")), TestSupport.rows(kept.orderBy("k", "t")));
  }

  @Test
  void theSessionsAdaptiveSettingIsRestored() {
    SparkSession spark = adaptive();
    PartitionedCheckpoint.of(windowed(spark));
    assertEquals("true", spark.conf().get(PartitionedCheckpoint.ADAPTIVE));
    spark.conf().unset(PartitionedCheckpoint.ADAPTIVE);
    PartitionedCheckpoint.of(windowed(spark));
    assertFalse(spark.conf().contains(PartitionedCheckpoint.ADAPTIVE));
  }
}
