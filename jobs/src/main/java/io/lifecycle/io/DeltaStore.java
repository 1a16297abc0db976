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
import java.util.List;
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

  private static final String MERGE_OP = "_merge_op";
  private static final String OP_INSERT = "insert";
  private static final String OP_DELETE = "delete";

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
    return Locations.child(output.root(), physicalName(table));
  }

  public String physicalName(TableDef table) {
    return Identifiers.require(output.tableName(table.name()), "output.tables." + table.name());
  }

  public boolean exists(TableDef table) {
    return DeltaTable.isDeltaTable(spark, location(table));
  }

  /** The bytes of the table's current data files (from the Delta log: no data is read); 0 if it does not exist. */
  public long sizeInBytes(TableDef table) {
    if (!exists(table)) {
      return 0;
    }
    return DeltaTable.forPath(spark, location(table)).detail().select("sizeInBytes").head().getLong(0);
  }

  public Dataset<Row> read(TableDef table) {
    if (!exists(table)) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG,
          "Table " + table.name() + " does not exist at " + location(table) + ": run the step that writes it first");
    }
    return spark.read().format("delta").load(location(table));
  }

  /**
   * The table as of its current version, pinned: the frame keeps reading that version after later
   * commits, so a step can read a table, overwrite it, and still use what it read.
   */
  public Dataset<Row> readCurrentVersion(TableDef table) {
    read(table);
    String path = location(table);
    return spark.read().format("delta").option("versionAsOf", currentVersion(path)).load(path);
  }

  /**
   * Writes a table as its {@link WriteMode} says and returns the number of rows written. For
   * {@link WriteMode#REPLACE_RUN_DATE} only the rows of {@code runDate} are replaced.
   */
  public long write(TableDef table, Dataset<Row> rows, LocalDate runDate) {
    return write(table, sized(table, table.conform(rows)), runDate, "");
  }

  /**
   * {@link #write}, for rows already computed and kept ({@code localCheckpoint}) of a table with neither
   * partition nor cluster columns: written as they lie, with no shuffle to size the files first. The
   * kept partitions are merged to about a quarter of {@code output.rows_per_file} rows each (a partition
   * per file, split at {@code rows_per_file}), so a small table is not written as many tiny files.
   */
  public long writeKept(TableDef table, Dataset<Row> kept, LocalDate runDate) {
    if (table.clusterColumn() != null || !table.partitionColumns().isEmpty()) {
      throw new IllegalArgumentException(table.name() + " is partitioned or clustered: write it with write()");
    }
    long rows = kept.count();
    long perPartition = Math.max(1, output.rowsPerFile() / 4);
    int partitions = (int) Math.max(1, Math.min(kept.rdd().getNumPartitions(), (rows + perPartition - 1) / perPartition));
    return write(table, table.conform(kept).coalesce(partitions), runDate, " as kept");
  }

  /** Writes {@code laidOut}: conformed rows in the partitions the files are to hold. */
  private long write(TableDef table, Dataset<Row> laidOut, LocalDate runDate, String how) {
    String path = location(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return create(table, path, laidOut);
    }
    var writer = writer(table, laidOut);
    switch (table.writeMode()) {
      case OVERWRITE -> writer = writer.mode("overwrite").option("overwriteSchema", "true");
      // A table written by an earlier version gains the columns added since (its earlier dates' rows null
      // in them), as a log does: replacing one date must not fail on a table that predates a column.
      case REPLACE_RUN_DATE -> writer = writer.mode("overwrite").option("mergeSchema", "true")
          .option("replaceWhere", Identifiers.quote(table.runDateColumn()) + " = DATE'" + runDate + "'");
      // A log gains columns over versions (run_log's mode): older logs take them on, nulls before.
      case APPEND -> writer = writer.mode("append").option("mergeSchema", "true");
    }
    return save(table, path, writer, table.writeMode().name().toLowerCase() + how);
  }

  /**
   * A table's first write creates it with its rows, comment and partitioning in one commit (CREATE TABLE
   * AS SELECT on its path): no empty version 0 to commit and load first. A failure leaves no table.
   */
  private long create(TableDef table, String path, Dataset<Row> laidOut) {
    failIfOccupied(table, path);
    // The path as Delta's path identifier, quoted (a backtick inside it doubled): never parsed as SQL.
    String pathIdentifier = "delta.`" + path.replace("`", "``") + "`";
    var writer = laidOut.writeTo(pathIdentifier).using("delta")
        .tableProperty("comment", table.comment())
        .option("maxRecordsPerFile", String.valueOf(output.rowsPerFile()));
    List<String> partitions = table.partitionColumns();
    if (!partitions.isEmpty()) {
      writer = writer.partitionedBy(org.apache.spark.sql.functions.col(partitions.get(0)), partitions.subList(1, partitions.size())
          .stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));
    }
    try {
      writer.create();
    } catch (DeltaConcurrentModificationException e) {
      throw conflict(table, path, e);
    } catch (Exception e) { // Spark and Hadoop failures, some of them checked exceptions thrown from Scala
      if (e instanceof LifecycleException le) {
        throw le;
      }
      if (DeltaTable.isDeltaTable(spark, path)) {
        throw new LifecycleException(ExitCode.WRITE_CONFLICT,
            "Concurrent write to table " + table.name() + " at " + path + " (another run created it): " + Failures.describe(e), e);
      }
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Cannot create table " + table.name() + " at " + path
          + " (is lifecycle.output.root writable?): " + Failures.describe(e), e);
    }
    long written = lastCommit(path).metric("numOutputRows");
    LOG.info("wrote {} rows to {} (new table)", written, table.name());
    registerInCatalog(table);
    return written;
  }

  /** A writer of {@code laidOut} (conformed rows in the partitions the files are to hold), partitioned as the table is. */
  private org.apache.spark.sql.DataFrameWriter<Row> writer(TableDef table, Dataset<Row> laidOut) {
    var writer = laidOut.write().format("delta")
        .option("maxRecordsPerFile", String.valueOf(output.rowsPerFile()));
    if (!table.partitionColumns().isEmpty()) {
      writer = writer.partitionBy(table.partitionColumns().toArray(String[]::new));
    }
    return writer;
  }

  private long save(TableDef table, String path, org.apache.spark.sql.DataFrameWriter<Row> writer, String how) {
    // An empty replaceWhere that matches no file commits nothing: the last commit is then an earlier one's.
    long before = currentVersion(path);
    try {
      writer.save(path);
    } catch (DeltaConcurrentModificationException e) {
      throw conflict(table, path, e);
    }
    LatestCommit.Commit last = lastCommit(path);
    long written = last.version() == before ? 0L : last.metric("numOutputRows");
    LOG.info("wrote {} rows to {} ({})", written, table.name(), how);
    registerInCatalog(table);
    return written;
  }

  private static LifecycleException conflict(TableDef table, String path, DeltaConcurrentModificationException e) {
    return new LifecycleException(ExitCode.WRITE_CONFLICT,
        "Concurrent write to table " + table.name() + " at " + path + " (another run?): " + e.getMessage(), e);
  }

  /**
   * Incremental runs: changes a table in one Delta commit (a MERGE), so a failure leaves it at its last
   * good version and a rerun can repeat the whole change. Deletes every row whose {@link
   * TableDef#mergeKey()} columns equal those of a row of {@code deleteKeys}, deletes the rows matching
   * {@code deleteWhere} (SQL over the table's columns, or null), and inserts {@code inserts}; returns the
   * rows inserted.
   *
   * <p>Both kinds of source row travel in one MERGE source, told apart by an operation column: delete
   * rows match target rows on the key, insert rows never match (so an insert and a delete of the same key
   * in one change are both applied). {@code prune} (SQL over the target, alias {@code t}, or null) bounds
   * the target rows a delete can match, e.g. to recent partitions, so Delta rewrites only those files.
   */
  public long merge(TableDef table, Dataset<Row> inserts, Dataset<Row> deleteKeys, String deleteWhere, String prune) {
    if (table.mergeKey().isEmpty()) {
      throw new IllegalStateException("table " + table.name() + " has no merge key");
    }
    String path = location(table);
    if (!DeltaTable.isDeltaTable(spark, path)) {
      // No rows yet to delete: the inserts create the table.
      return create(table, path, sized(table, table.conform(inserts)));
    }
    // Delta commits nothing for an empty append or a MERGE with an empty source: compare versions.
    long before = currentVersion(path);
    if (deleteWhere == null && deleteKeys.isEmpty()) {
      // Nothing to delete (the usual day for events): a plain append, which reads no target files. A table
      // written by an earlier version gains the columns added since, as the MERGE below does.
      try {
        writer(table, sized(table, table.conform(inserts))).mode("append").option("mergeSchema", "true").save(path);
      } catch (DeltaConcurrentModificationException e) {
        throw conflict(table, path, e);
      }
      return committedRows(table, path, before, "numOutputRows");
    }
    Column[] keys = table.mergeKey().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Dataset<Row> source = table.conform(inserts).withColumn(MERGE_OP, org.apache.spark.sql.functions.lit(OP_INSERT))
        .unionByName(deleteKeys.select(keys).withColumn(MERGE_OP, org.apache.spark.sql.functions.lit(OP_DELETE)), true);
    StringBuilder on = new StringBuilder("s." + MERGE_OP + " = '" + OP_DELETE + "'");
    for (String k : table.mergeKey()) {
      on.append(" AND t.").append(Identifiers.quote(k)).append(" = s.").append(Identifiers.quote(k));
    }
    if (prune != null) {
      on.append(" AND (").append(prune).append(")");
    }
    Map<String, String> values = new java.util.LinkedHashMap<>();
    table.columnNames().forEach(c -> values.put(c, "s." + Identifiers.quote(c)));
    // A table written by an earlier version gains the columns added since (nulls in its older rows),
    // as a full write's overwrite would give it.
    var merge = DeltaTable.forPath(spark, path).as("t")
        .merge(source.as("s"), on.toString())
        .withSchemaEvolution()
        .whenMatched().delete()
        .whenNotMatched("s." + MERGE_OP + " = '" + OP_INSERT + "'").insertExpr(values);
    if (deleteWhere != null) {
      merge = merge.whenNotMatchedBySource(deleteWhere).delete();
    }
    try {
      merge.execute();
    } catch (DeltaConcurrentModificationException e) {
      throw conflict(table, path, e);
    }
    return committedRows(table, path, before, "numTargetRowsInserted");
  }

  private long currentVersion(String path) {
    return lastCommit(path).version();
  }

  /** Rows the commit after version {@code before} added (0 when there is none), by its metric. */
  private long committedRows(TableDef table, String path, long before, String metric) {
    LatestCommit.Commit last = lastCommit(path);
    if (last.version() == before) {
      LOG.info("{}: no change", table.name());
      return 0;
    }
    long rows = last.metric(metric);
    LOG.info("{}: {} rows added, {} deleted (incremental)", table.name(), rows, last.metric("numTargetRowsDeleted"));
    registerInCatalog(table);
    return rows;
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
    Path path = new Path(Locations.child(output.root(), relativePath));
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

  /** The table's latest commit: its version and Delta's own metrics of it (from the log; no data is read). */
  private LatestCommit.Commit lastCommit(String path) {
    return LatestCommit.of(spark.sessionState().newHadoopConf(), path);
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
   * produces neither thousands of tiny files nor one huge one. A clustered table's rows are range
   * partitioned and sorted by its cluster column instead (adaptive execution merges adjacent ranges), so
   * each file covers a narrow range of it.
   */
  private static Dataset<Row> sized(TableDef table, Dataset<Row> rows) {
    if (table.clusterColumn() != null) {
      Column by = org.apache.spark.sql.functions.col(table.clusterColumn());
      return rows.repartitionByRange(by).sortWithinPartitions(by);
    }
    Column[] by = table.partitionColumns().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    return rows.hint("rebalance", (Object[]) by);
  }
}
