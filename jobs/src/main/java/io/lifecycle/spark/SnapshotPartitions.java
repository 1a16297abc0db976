package io.lifecycle.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * On a cluster where the user has not chosen {@code spark.databricks.delta.snapshotPartitions}, sizes it
 * to the events. Delta rebuilds a table's state from its log with that many tasks (50 by default) each
 * time it loads a new version, and the job loads one for every table it reads or writes: the spark-submit
 * test (4,000 events, two one-core executors) ran a 50-task stage for every table, 200 to 600 ms a task,
 * for logs of a few files. Under {@link #SMALL_BELOW} bytes of events the logs stay small, and the
 * cluster's default parallelism (its executor cores, at most Delta's 50) is enough; above it, Delta's
 * default. A local run has its own setting ({@link SparkSessions#localDefaults}).
 */
public final class SnapshotPartitions {
  static final String KEY = "spark.databricks.delta.snapshotPartitions";
  static final int DELTA_DEFAULT = 50;
  /** Bytes of events (Delta table or raw input) under which the snapshots use fewer partitions. */
  static final long SMALL_BELOW = 1L << 30;

  private SnapshotPartitions() {}

  /** Whether the job chooses: not a local master, and the user did not set it. */
  public static boolean jobChooses(SparkSession spark) {
    return jobChooses(spark.sparkContext().master(), spark.sparkContext().getConf());
  }

  static boolean jobChooses(String master, SparkConf conf) {
    return !master.startsWith("local") && !conf.contains(KEY);
  }

  /** Partitions for {@code eventBytes} of events on a cluster of {@code parallelism} default parallelism. */
  static int forBytes(long eventBytes, int parallelism) {
    return eventBytes < SMALL_BELOW ? Math.max(1, Math.min(DELTA_DEFAULT, parallelism)) : DELTA_DEFAULT;
  }

  /** Sets the session's snapshot partitions when the job chooses; returns the partitions in effect. */
  public static int fitTo(SparkSession spark, long eventBytes) {
    if (jobChooses(spark)) {
      spark.conf().set(KEY, String.valueOf(forBytes(eventBytes, spark.sparkContext().defaultParallelism())));
    }
    return Integer.parseInt(spark.conf().get(KEY, String.valueOf(DELTA_DEFAULT)));
  }
}
