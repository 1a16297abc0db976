package io.lifecycle.spark;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.parallel.Isolated("sets the session's shuffle partitions")
class ShufflePartitionsTest {
  private static final long MB = 1L << 20;

  @Test
  void onePartitionPer96MbOfEventsInMultiplesOfTheLocalDefault() {
    assertEquals(8, ShufflePartitions.forBytes(0, 8));
    // The committed sample and 10M events stay at four per core.
    assertEquals(8, ShufflePartitions.forBytes(700 * MB, 8));
    assertEquals(16, ShufflePartitions.forBytes(769 * MB, 8));
    // 100M events (about 3 GB): 32, where the sessions' sort no longer spills.
    assertEquals(32, ShufflePartitions.forBytes(3000 * MB, 8));
    assertEquals(512, ShufflePartitions.forBytes(1L << 50, 8));
  }

  @Test
  void changesOnlyTheJobsOwnChoice() {
    SparkSession spark = SharedSpark.get();
    String before = spark.conf().get("spark.sql.shuffle.partitions");
    try {
      // The tests' session set its partitions itself: nothing changes.
      assertEquals(Integer.parseInt(before), ShufflePartitions.fitTo(spark, 3000 * MB));
      // A local run where the job chose the default: sized to the events, and again for other events.
      spark.conf().set(ShufflePartitions.LOCAL_BASE, before);
      assertEquals(Integer.parseInt(before) * 16, ShufflePartitions.fitTo(spark, Integer.parseInt(before) * 16 * 96 * MB));
      assertEquals(Integer.parseInt(before), ShufflePartitions.fitTo(spark, MB));
      // The user sets a count during the session: it stays.
      spark.conf().set("spark.sql.shuffle.partitions", "5");
      assertEquals(5, ShufflePartitions.fitTo(spark, 3000 * MB));
    } finally {
      spark.conf().unset(ShufflePartitions.LOCAL_BASE);
      spark.conf().unset(ShufflePartitions.LOCAL_SET);
      spark.conf().set("spark.sql.shuffle.partitions", before);
    }
  }
}
