package io.lifecycle.spark;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SnapshotPartitionsTest {
  private static final long MB = 1L << 20;

  @Test
  void smallEventsRebuildSnapshotsOnTheClustersCoresLargeOnesOnDeltasDefault() {
    assertEquals(2, SnapshotPartitions.forBytes(0, 2));
    assertEquals(2, SnapshotPartitions.forBytes(3 * MB, 2));
    assertEquals(16, SnapshotPartitions.forBytes(1023 * MB, 16));
    assertEquals(50, SnapshotPartitions.forBytes(1023 * MB, 400), "never more than Delta's default");
    assertEquals(1, SnapshotPartitions.forBytes(MB, 0));
    assertEquals(50, SnapshotPartitions.forBytes(1024 * MB, 2));
    assertEquals(50, SnapshotPartitions.forBytes(100_000 * MB, 2));
  }

  @Test
  void theJobChoosesOnAClusterWhereTheUserDidNotSetIt() {
    assertTrue(SnapshotPartitions.jobChooses("spark://127.0.0.1:7077", new SparkConf(false)));
    assertTrue(SnapshotPartitions.jobChooses("yarn", new SparkConf(false).set("spark.sql.shuffle.partitions", "4")));
    assertFalse(SnapshotPartitions.jobChooses("yarn", new SparkConf(false).set(SnapshotPartitions.KEY, "50")));
    // A local run is sized when its session is built (SparkSessions.localDefaults).
    assertFalse(SnapshotPartitions.jobChooses("local[*]", new SparkConf(false)));
  }

  @Test
  void aLocalSessionKeepsItsSetting() {
    var spark = SharedSpark.get();
    String before = spark.conf().get(SnapshotPartitions.KEY);
    assertEquals(Integer.parseInt(before), SnapshotPartitions.fitTo(spark, 5000 * MB));
    assertEquals(before, spark.conf().get(SnapshotPartitions.KEY));
  }
}
