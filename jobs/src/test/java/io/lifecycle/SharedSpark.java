package io.lifecycle;

import io.lifecycle.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/** The one local SparkSession every test shares (starting Spark costs seconds, not millis). */
public final class SharedSpark {
  private static SparkSession spark;

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      spark =
          SparkSessions.builder("lifecycle-tests")
              .master("local[2]")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/lifecycle-test-warehouse")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              .config("spark.ui.showConsoleProgress", "false")
              .getOrCreate();
    }
    return spark;
  }
}
