package io.lifecycle.spark;

import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerStageHistoryTable;
import io.lifecycle.tables.SessionsTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession the job runs in. The master is never set here: spark-submit (or the
 * local launcher, through {@code spark.master}) decides it. Delta's SQL extension and catalog are
 * registered so that the job jar alone is enough on a cluster.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * The builder with the settings every run needs; callers may add to it before getOrCreate. On a local
   * master (the {@code spark.master} system property, as bin/lifecycle and spark-submit set it) it adds
   * {@link #localDefaults} for the keys the user has not set.
   */
  public static SparkSession.Builder builder(String appName) {
    SparkSession.Builder builder = common(appName);
    if (System.getProperty("spark.master", "").startsWith("local")) {
      Map<String, String> defaults = localDefaults(Runtime.getRuntime().availableProcessors());
      defaults.forEach((key, value) -> {
        if (System.getProperty(key) == null) {
          builder.config(key, value);
        }
      });
      if (System.getProperty("spark.sql.shuffle.partitions") == null) {
        // The job's own choice: ShufflePartitions may raise it to the size of the events.
        builder.config(ShufflePartitions.LOCAL_BASE, defaults.get("spark.sql.shuffle.partitions"));
      }
    }
    return builder;
  }

  /**
   * Settings for one machine with {@code cores} cores, where Spark's defaults are sized for clusters:
   * 200 shuffle partitions made every shuffle of the 46,000-event sample write 200 files per map task
   * (its cohorts step took 59 s, 22 s with 8 partitions), and Delta rebuilt each table's snapshot with
   * 50 tasks. Four partitions per core keep both cores busy and let adaptive execution merge small ones,
   * down to 1 MB rather than to the 64 MB a cluster wants: an aggregate of 2 million rows (cohort
   * retention at 10M events) otherwise ran as one task on one of the two cores (2.5 s against 1.5 s).
   */
  public static Map<String, String> localDefaults(int cores) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.sql.shuffle.partitions", String.valueOf(4 * Math.max(1, cores)));
    conf.put("spark.databricks.delta.snapshotPartitions", String.valueOf(2 * Math.max(1, cores)));
    conf.put("spark.sql.adaptive.coalescePartitions.parallelismFirst", "true");
    return conf;
  }

  /**
   * Columns whose values are nearly all distinct within a data file (ids, exact times, durations):
   * Parquet writes them plain, without a dictionary. Its writer otherwise hashes every value into a
   * per-file dictionary and drops it at the end of each page when it does not pay: a quarter of the CPU
   * of writing the sessions table at 10M events went there. Parquet takes this setting by column name,
   * for every file the session writes.
   */
  static final List<String> DISTINCT_VALUED = List.of(Columns.CUSTOMER_ID, Columns.EVENT_ID, Columns.EVENT_TIME,
      SessionsTable.SESSION_ID, SessionsTable.SESSION_START, SessionsTable.SESSION_END, SessionsTable.DURATION_SECONDS,
      SessionsTable.FIRST_PURCHASE_TIME, CustomerStageHistoryTable.ENTERED_AT, CustomerStageHistoryTable.LEFT_AT,
      CustomerStageHistoryTable.LAST_ACTIVITY_AT);

  private static SparkSession.Builder common(String appName) {
    SparkSession.Builder builder = SparkSession.builder();
    DISTINCT_VALUED.forEach(c -> builder.config("parquet.enable.dictionary#" + c, "false"));
    return builder
        .appName(appName)
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        // Every timestamp the job computes is UTC; never depend on the machine's zone.
        .config("spark.sql.session.timeZone", "UTC")
        // Timestamps as Parquet's INT64 microseconds, not the deprecated INT96: what other readers expect,
        // smaller, and cheaper to write (the writer's INT96 dictionary cost 5 s of the sessions at 10M).
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        // Rows carry java.time values (Instant, LocalDate): no JVM-default zone sneaks into results.
        .config("spark.sql.datetime.java8API.enabled", "true")
        // Conservative table features so readers other than Spark can open every table.
        .config("spark.databricks.delta.properties.defaults.enableDeletionVectors", "false")
        .config("spark.databricks.delta.properties.defaults.columnMapping.mode", "none")
        // Delta keeps a small table's file list, with each file's min/max column values, in its .crc
        // file and prints it in an INFO line ("Created snapshot"): event values (ids, raw rows) would
        // reach the driver log. Without the list in the checksum, logs print no data.
        .config("spark.databricks.delta.allFilesInCrc.enabled", "false")
        // Local files get their permissions through Java NIO, not a chmod process per file and folder.
        .config("spark.hadoop.fs.file.impl", io.lifecycle.io.NioLocalFileSystem.class.getName())
        .config("spark.hadoop.fs.AbstractFileSystem.file.impl", io.lifecycle.io.NioLocalFileSystem.Fs.class.getName())
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
        // Coalesce shuffle partitions to the advisory size (64 MB), not to the default parallelism:
        // small inputs then run as a few tasks instead of fifty tiny ones; large ones keep their size.
        .config("spark.sql.adaptive.coalescePartitions.parallelismFirst", "false");
  }
}
