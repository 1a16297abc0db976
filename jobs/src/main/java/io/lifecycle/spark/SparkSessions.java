package io.lifecycle.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession the job runs in. The master is never set here: spark-submit (or the
 * local launcher, through {@code spark.master}) decides it. Delta's SQL extension and catalog are
 * registered so that the job jar alone is enough on a cluster.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** The builder with the settings every run needs; callers may add to it before getOrCreate. */
  public static SparkSession.Builder builder(String appName) {
    return SparkSession.builder()
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        // Every timestamp the job computes is UTC; never depend on the machine's zone.
        .config("spark.sql.session.timeZone", "UTC")
        // Rows carry java.time values (Instant, LocalDate): no JVM-default zone sneaks into results.
        .config("spark.sql.datetime.java8API.enabled", "true")
        // Conservative table features so readers other than Spark can open every table.
        .config("spark.databricks.delta.properties.defaults.enableDeletionVectors", "false")
        .config("spark.databricks.delta.properties.defaults.columnMapping.mode", "none")
        // Delta keeps a small table's file list, with each file's min/max column values, in its .crc
        // file and prints it in an INFO line ("Created snapshot"): event values (ids, raw rows) would
        // reach the driver log. Without the list in the checksum, logs print no data.
        .config("spark.databricks.delta.allFilesInCrc.enabled", "false")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
        // Coalesce shuffle partitions to the advisory size (64 MB), not to the default parallelism:
        // small inputs then run as a few tasks instead of fifty tiny ones; large ones keep their size.
        .config("spark.sql.adaptive.coalescePartitions.parallelismFirst", "false");
  }
}
