package io.lifecycle.spark;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  @Test
  void localRunsGetPartitionsForTheMachineNotForAClusterOf200Tasks() {
    assertEquals(Map.of("spark.sql.shuffle.partitions", "8", "spark.databricks.delta.snapshotPartitions", "4"),
        SparkSessions.localDefaults(2));
    assertEquals("64", SparkSessions.localDefaults(16).get("spark.sql.shuffle.partitions"));
  }
}
