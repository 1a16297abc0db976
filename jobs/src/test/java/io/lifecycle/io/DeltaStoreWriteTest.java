package io.lifecycle.io;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.QuarantineTable;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The row count a write returns is the rows that write committed. An empty replace of a run date with
 * no rows yet commits nothing in Delta; the count used to be the previous commit's (a clean next day's
 * ingest then failed with "quarantine wrote 5 rows, expected 0").
 */
class DeltaStoreWriteTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void anEmptyReplaceOfANewRunDateWritesNoRowsAndKeepsTheOthers(@TempDir Path dir) {
    DeltaStore store = new DeltaStore(spark, TestSupport.config(
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"").output());
    LocalDate day1 = LocalDate.of(2026, 1, 1);
    List<Row> rows = List.of(
        RowFactory.create(Date.valueOf(day1), "r1", "malformed", null, "x,y", "f.csv"),
        RowFactory.create(Date.valueOf(day1), "r1", "missing_time", null, "c1,,view", "f.csv"));
    assertEquals(2, store.write(QuarantineTable.DEF, spark.createDataFrame(rows, QuarantineTable.DEF.schema()), day1));
    assertEquals(0, store.write(QuarantineTable.DEF,
        spark.createDataFrame(List.of(), QuarantineTable.DEF.schema()), day1.plusDays(1)));
    assertEquals(2, store.read(QuarantineTable.DEF).where("run_date = DATE'2026-01-01'").count());
    assertEquals(2, store.read(QuarantineTable.DEF).count());
  }

  /** A table replaced per run date, written before a column was added, takes the column on the next date. */
  @Test
  void aReplaceOfARunDateAddsTheColumnsAddedSinceTheTableWasWritten(@TempDir Path dir) {
    DeltaStore store = new DeltaStore(spark, TestSupport.config(
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"").output());
    io.lifecycle.tables.TableDef before = io.lifecycle.tables.TableDef.builder("segment_value", "per segment")
        .required("run_date", org.apache.spark.sql.types.DataTypes.DateType, "run date")
        .required("segment", org.apache.spark.sql.types.DataTypes.StringType, "segment")
        .replacedPerRunDate("run_date").build();
    io.lifecycle.tables.TableDef after = io.lifecycle.tables.TableDef.builder("segment_value", "per segment")
        .required("run_date", org.apache.spark.sql.types.DataTypes.DateType, "run date")
        .required("segment", org.apache.spark.sql.types.DataTypes.StringType, "segment")
        .optional("total_low", org.apache.spark.sql.types.DataTypes.DoubleType, "added later")
        .replacedPerRunDate("run_date").build();
    LocalDate day1 = LocalDate.of(2026, 1, 1);
    store.write(before, spark.createDataFrame(List.of(RowFactory.create(Date.valueOf(day1), "all")), before.schema()), day1);
    LocalDate day2 = day1.plusDays(1);
    assertEquals(1, store.write(after, spark.createDataFrame(List.of(RowFactory.create(Date.valueOf(day2), "all", 1.5)),
        after.schema()), day2));
    assertEquals(List.of("2026-01-01|all|null", "2026-01-02|all|1.5"),
        TestSupport.rows(store.read(after).select("run_date", "segment", "total_low")));
  }

  /**
   * A table merged by incremental runs (events), written before a column was added: a day with nothing to
   * delete (a plain append) and a day with deletes (a MERGE) both take the column, older rows null in it.
   * The append used to fail with DELTA_METADATA_MISMATCH on the first daily run after an upgrade.
   */
  @Test
  void anIncrementalDaysAppendOrMergeAddsTheColumnsAddedSinceTheTableWasWritten(@TempDir Path dir) {
    DeltaStore store = new DeltaStore(spark, TestSupport.config(
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"").output());
    var string = org.apache.spark.sql.types.DataTypes.StringType;
    io.lifecycle.tables.TableDef before = io.lifecycle.tables.TableDef.builder("events", "events")
        .required("customer_id", string, "customer").required("event_id", string, "event")
        .mergedIncrementallyBy("customer_id").build();
    io.lifecycle.tables.TableDef after = io.lifecycle.tables.TableDef.builder("events", "events")
        .required("customer_id", string, "customer").required("event_id", string, "event")
        .nullWhenAbsent("stitched_from", string, "added later")
        .mergedIncrementallyBy("customer_id").build();
    LocalDate day1 = LocalDate.of(2026, 1, 1);
    store.write(before, spark.createDataFrame(List.of(RowFactory.create("c1", "e1"), RowFactory.create("c2", "e2")), before.schema()), day1);
    var noKeys = spark.createDataFrame(List.of(), new org.apache.spark.sql.types.StructType().add("customer_id", string));
    assertEquals(1, store.merge(after, spark.createDataFrame(List.of(RowFactory.create("c3", "e3", null)), after.schema()),
        noKeys, null, null));
    assertEquals(1, store.merge(after, spark.createDataFrame(List.of(RowFactory.create("c2", "e4", "a9")), after.schema()),
        spark.createDataFrame(List.of(RowFactory.create("c2")), noKeys.schema()), null, null));
    assertEquals(List.of("c1|e1|null", "c2|e4|a9", "c3|e3|null"),
        TestSupport.rows(store.read(after).select("customer_id", "event_id", "stitched_from")));
  }

  @Test
  void aTablesFirstWriteCreatesItWithItsRowsCommentsAndPartitionsInOneCommit(@TempDir Path dir) {
    DeltaStore store = new DeltaStore(spark, TestSupport.config(
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"").output());
    LocalDate day = LocalDate.of(2026, 1, 1);
    Row row = RowFactory.create(Date.valueOf(day), "r1", "malformed", null, "x,y", "f.csv");
    assertEquals(1, store.write(QuarantineTable.DEF, spark.createDataFrame(List.of(row), QuarantineTable.DEF.schema()), day));
    String path = dir.resolve("out/events_quarantine").toString();
    Row detail = io.delta.tables.DeltaTable.forPath(spark, path).detail().head();
    assertEquals(QuarantineTable.DEF.comment(), detail.getAs("description"));
    assertEquals(QuarantineTable.DEF.partitionColumns(), detail.getList(detail.fieldIndex("partitionColumns")));
    // One commit: version 0 holds the row.
    assertEquals(List.of("0|1"), TestSupport.rows(io.delta.tables.DeltaTable.forPath(spark, path).history()
        .selectExpr("version", "operationMetrics['numOutputRows']")));
    for (org.apache.spark.sql.types.StructField f : spark.read().format("delta").load(path).schema().fields()) {
      assertEquals(QuarantineTable.DEF.schema().apply(f.name()).getComment(), f.getComment(), f.name());
    }
  }

  @Test
  void withADatabaseEveryWrittenTableIsQueryableByName(@TempDir Path dir) {
    DeltaStore store = new DeltaStore(spark, TestSupport.config(
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"",
        "lifecycle.output.database = lifecycle_store_test").output());
    LocalDate day = LocalDate.of(2026, 1, 1);
    Row row = RowFactory.create(Date.valueOf(day), "r1", "malformed", null, "x,y", "f.csv");
    store.write(QuarantineTable.DEF, spark.createDataFrame(List.of(row, row), QuarantineTable.DEF.schema()), day);
    assertEquals(2, spark.sql("SELECT * FROM lifecycle_store_test.events_quarantine").count());
    // An external table over the location: the next write is seen through the name without registering again.
    Row next = RowFactory.create(Date.valueOf(day.plusDays(1)), "r2", "malformed", null, "z", "g.csv");
    store.write(QuarantineTable.DEF, spark.createDataFrame(List.of(next), QuarantineTable.DEF.schema()), day.plusDays(1));
    assertEquals(3, spark.sql("SELECT * FROM lifecycle_store_test.events_quarantine").count());
    assertEquals(dir.resolve("out/events_quarantine").toUri().getPath().replaceAll("/$", ""),
        java.net.URI.create(spark.sql("DESCRIBE DETAIL lifecycle_store_test.events_quarantine").head().<String>getAs("location")).getPath());
  }

  /**
   * Kept rows are written as they lie, their partitions merged to about a quarter of rows_per_file each:
   * 1,000 rows in 8 partitions with 1,000 rows per file make 4 files, 10 rows one. A partitioned table
   * still needs {@code write}.
   */
  @Test
  void keptRowsAreWrittenInPartitionsOfAQuarterOfTheRowsPerFile(@TempDir Path dir) {
    DeltaStore store = new DeltaStore(spark, TestSupport.config(
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"", "lifecycle.output.rows_per_file = 1000").output());
    var string = org.apache.spark.sql.types.DataTypes.StringType;
    io.lifecycle.tables.TableDef table = io.lifecycle.tables.TableDef.builder("customer_journeys", "journeys")
        .required("customer_id", string, "customer").build();
    org.apache.spark.sql.Dataset<Row> kept = spark.range(0, 1000).repartition(8)
        .select(org.apache.spark.sql.functions.col("id").cast("string").as("customer_id")).localCheckpoint();
    LocalDate day = LocalDate.of(2026, 1, 1);
    assertEquals(1000, store.writeKept(table, kept, day));
    assertEquals(4, store.read(table).inputFiles().length);
    assertEquals(1000, store.read(table).distinct().count());
    assertEquals(10, store.writeKept(table, kept.limit(10).localCheckpoint(), day));
    assertEquals(1, store.read(table).inputFiles().length);
    assertEquals(10, store.read(table).count());
    assertThrows(IllegalArgumentException.class, () -> store.writeKept(QuarantineTable.DEF,
        spark.createDataFrame(List.of(), QuarantineTable.DEF.schema()).localCheckpoint(), day));
  }
}
