package io.lifecycle.io;

import io.delta.tables.DeltaTable;
import io.lifecycle.ExitCode;
import io.lifecycle.Failures;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.Identifiers;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.TableDef;
import io.lifecycle.tables.WriteMode;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that reads and writes the Delta tables. It knows how each table is replaced on a
 * rerun ({@link WriteMode}), creates tables with their comments, sizes output files, and turns Delta
 * write conflicts into a retryable error. Every write is a single Delta commit, so a failure leaves the
 * table at its last good version.
 */
public final class DeltaStore {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaStore.class);

  private final SparkSession spark;
  private final LifecycleConfig.Output output;

  public DeltaStore(SparkSession spark, LifecycleConfig.Output output) {
    this.spark = spark;
    this.output = output;
  }

  public SparkSession spark() {
    return spark;
  }

  /** Where a table lives: one folder per table under the output root, named as the table. */
  public String location(TableDef table) {
    String root = output.root().endsWith("/") ? output.root().substring(0, output.root().length() - 1) : output.root();
    return root + "/" + physicalName(table);
  }

  public String physicalName(TableDef table) {
    return Identifiers.require(output.tableName(table.name()), "output.tables." + table.name());
  }

  public boolean exists(TableDef table) {
    return DeltaTable.isDeltaTable(spark, location(table));
  }

  public Dataset<Row> read(TableDef table) {
    if (!exists(table)) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG,
          "Table " + table.name() + " does not exist at " + location(table) + ": run the step that writes it first");
    }
    return spark.read().format("delta").load(location(table));
  }

  /**
   * Writes a table as its {@link WriteMode} says and returns the number of rows written. For
   * {@link WriteMode#REPLACE_RUN_DATE} only the rows of {@code runDate} are replaced.
   */
  public long write(TableDef table, Dataset<Row> rows, LocalDate runDate) {
    String path = location(table);
    ensureTable(table, path);
    Dataset<Row> conformed = sized(table, table.conform(rows));
    var writer = conformed.write().format("delta")
        .option("maxRecordsPerFile", String.valueOf(output.rowsPerFile()));
    if (!table.partitionColumns().isEmpty()) {
      writer = writer.partitionBy(table.partitionColumns().toArray(String[]::new));
    }
    switch (table.writeMode()) {
      case OVERWRITE -> writer = writer.mode("overwrite").option("overwriteSchema", "true");
      case REPLACE_RUN_DATE -> writer = writer.mode("overwrite")
          .option("replaceWhere", Identifiers.quote(table.runDateColumn()) + " = DATE'" + runDate + "'");
      case APPEND -> writer = writer.mode("append");
    }
    try {
      writer.save(path);
    } catch (DeltaConcurrentModificationException e) {
      throw new LifecycleException(ExitCode.WRITE_CONFLICT,
          "Concurrent write to table " + table.name() + " at " + path + " (another run?): " + e.getMessage(), e);
    }
    long written = lastCommitRows(path);
    LOG.info("wrote {} rows to {} ({})", written, table.name(), table.writeMode().name().toLowerCase());
    registerInCatalog(table);
    return written;
  }

  /**
   * With {@code output.database} set, makes the table queryable by name ({@code SELECT * FROM
   * lifecycle.cohort_retention}) as an external table over its location; the data stays where it is.
   */
  public void registerInCatalog(TableDef table) {
    String database = output.database();
    if (database == null) {
      return;
    }
    String name = physicalName(table);
    if (!spark.catalog().databaseExists(database)) {
      spark.sql("CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(database));
    }
    if (!spark.catalog().tableExists(database, name)) {
      spark.catalog().createTable(database + "." + name, location(table), "delta");
      LOG.info("registered {}.{} over {}", database, name, location(table));
    }
  }

  /**
   * Writes a small text file (the report) under the output root, on whatever file system the root is
   * on, replacing an earlier one; returns its location.
   */
  public String writeFile(String relativePath, String text) {
    String root = output.root().endsWith("/") ? output.root().substring(0, output.root().length() - 1) : output.root();
    Path path = new Path(root + "/" + relativePath);
    try {
      FileSystem fs = path.getFileSystem(spark.sessionState().newHadoopConf());
      if (fs instanceof org.apache.hadoop.fs.ChecksumFileSystem checksummed) {
        // A local disk: no .crc file beside the report (deleting through the checksummed view drops an old one).
        checksummed.delete(path, false);
        fs = checksummed.getRawFileSystem();
      }
      try (var out = fs.create(path, true)) {
        out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return fs.makeQualified(path).toString();
    } catch (IOException e) {
      throw new LifecycleException(ExitCode.FAILURE, "Cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /** Compacts small files and removes files no version within the retention still needs. */
  public void maintain(TableDef table, int retentionHours) {
    if (!exists(table)) {
      return;
    }
    DeltaTable delta = DeltaTable.forPath(spark, location(table));
    delta.optimize().executeCompaction();
    delta.vacuum(retentionHours);
  }

  /** Rows written by the table's latest commit, from Delta's own commit metrics (no extra scan). */
  private long lastCommitRows(String path) {
    Row last = DeltaTable.forPath(spark, path).history(1).select("operationMetrics").head();
    Map<String, String> metrics = last.getJavaMap(0);
    String rows = metrics == null ? null : metrics.get("numOutputRows");
    return rows == null ? 0L : Long.parseLong(rows);
  }

  private void ensureTable(TableDef table, String path) {
    if (DeltaTable.isDeltaTable(spark, path)) {
      return;
    }
    failIfOccupied(table, path);
    try {
      DeltaTable.createIfNotExists(spark)
          .location(path)
          .addColumns(table.schema())
          .partitionedBy(table.partitionColumns().toArray(String[]::new))
          .comment(table.comment())
          .execute();
    } catch (Exception e) { // Spark and Hadoop failures, some of them checked exceptions thrown from Scala
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Cannot create table " + table.name() + " at " + path
          + " (is lifecycle.output.root writable?): " + Failures.describe(e), e);
    }
  }

  /** A location that holds files but no Delta log is someone else's data: never write over it. */
  private void failIfOccupied(TableDef table, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sessionState().newHadoopConf());
      if (fs.exists(p)) {
        FileStatus status = fs.getFileStatus(p);
        if (!status.isDirectory() || fs.listStatus(p).length > 0) {
          throw new LifecycleException(ExitCode.USAGE_OR_CONFIG,
              "Output location for table " + table.name() + " exists but is not a Delta table: " + path);
        }
      }
    } catch (IOException e) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Cannot inspect output location " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Lets adaptive execution size the output files (Spark's rebalance: splits skewed and merges small
   * partitions to the advisory size), by the partition columns when the table has them, so a write
   * produces neither thousands of tiny files nor one huge one.
   */
  private static Dataset<Row> sized(TableDef table, Dataset<Row> rows) {
    Column[] by = table.partitionColumns().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return rows.hint("rebalance", (Object[]) by);
  }
}
