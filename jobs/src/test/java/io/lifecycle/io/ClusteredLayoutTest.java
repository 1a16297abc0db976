package io.lifecycle.io;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.delta.tables.DeltaTable;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.TableDef;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clustered table ({@code events}, {@code sessions}) has no date partitions: what bounds a date filter
 * or an incremental MERGE to the recent data is that every write orders its rows by the date, so each
 * file covers a range of dates no other file of that write overlaps, and Delta skips files by their
 * minimum and maximum.
 */
class ClusteredLayoutTest {
  private static final TableDef DATED = TableDef.builder("dated", "Rows with a day.")
      .required("id", DataTypes.StringType, "Row id.")
      .required("day", DataTypes.DateType, "Day of the row.")
      .clusteredBy("day")
      .mergedIncrementallyBy("id")
      .build();
  private static final LocalDate DAY1 = LocalDate.of(2026, 1, 1);

  private final SparkSession spark = SharedSpark.withDeltaDefaults();

  /** 1,000 rows on each of three days, interleaved (ids r0..r2999; row i is on day i mod 3). */
  private Dataset<Row> threeDays() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      rows.add(RowFactory.create("r" + i, Date.valueOf(DAY1.plusDays(i % 3))));
    }
    return spark.createDataFrame(rows, DATED.schema());
  }

  private DeltaStore store(Path dir) {
    return new DeltaStore(spark, TestSupport.config("lifecycle.output.root = \"" + dir.resolve("out") + "\"",
        "lifecycle.output.rows_per_file = 1000").output());
  }

  /** Per data file of the table (a few): "first day..last day", in order of first day. */
  private List<String> fileRanges(DeltaStore store) {
    return TestSupport.rows(files(store).selectExpr("concat(first, '..', last)"));
  }

  private static Dataset<Row> files(DeltaStore store) {
    return store.read(DATED).groupBy(col("_metadata.file_path").as("file"))
        .agg(min("day").as("first"), max("day").as("last")).orderBy("first");
  }

  /** The metrics Delta recorded for the table's latest commit. */
  private Map<String, String> lastCommitMetrics(DeltaStore store) {
    return DeltaTable.forPath(spark, store.location(DATED)).history(1).select("operationMetrics").head().getJavaMap(0);
  }

  @Test
  void aWriteOrdersItsRowsByTheDateSoEachFileHoldsItsOwnDays(@TempDir Path dir) {
    DeltaStore store = store(dir);
    assertEquals(3000, store.write(DATED, threeDays(), DAY1));
    // Interleaved input, 1,000 rows a file: one day per file, not three days in each.
    assertEquals(List.of("2026-01-01..2026-01-01", "2026-01-02..2026-01-02", "2026-01-03..2026-01-03"),
        fileRanges(store));
  }

  @Test
  void aReadOrMergeBoundedByADateNeverOpensTheFilesOfEarlierDates(@TempDir Path dir) throws Exception {
    DeltaStore store = store(dir);
    store.write(DATED, threeDays(), DAY1);
    // The first two days' data files deleted from disk (the Delta log still lists them): whatever opens
    // one of them fails.
    List<String> dayAndFiles = TestSupport.rows(files(store).select("first", "file"));
    for (String dayAndFile : dayAndFiles.subList(0, 2)) {
      java.nio.file.Files.delete(Path.of(java.net.URI.create(dayAndFile.substring(dayAndFile.indexOf('|') + 1))));
    }
    assertThrows(Exception.class, () -> store.read(DATED).where("id <> 'x'").count(), "an unbounded read opens every file");

    assertEquals(1000, store.read(DATED).where("day >= DATE'2026-01-03'").count());
    // Replace r2 (on the third day) and add a row on the fourth, bounded to the third day on.
    Dataset<Row> inserts = spark.createDataFrame(List.of(
        RowFactory.create("r2", Date.valueOf(DAY1.plusDays(2))), RowFactory.create("new", Date.valueOf(DAY1.plusDays(3)))),
        DATED.schema());
    assertEquals(2, store.merge(DATED, inserts, inserts.where("id = 'r2'").select("id"), null, "t.day >= DATE'2026-01-03'"));
    Map<String, String> metrics = lastCommitMetrics(store);
    assertEquals("1", metrics.get("numTargetFilesRemoved"), metrics.toString());
    assertEquals("999", metrics.get("numTargetRowsCopied"), metrics.toString());
    assertEquals(1001, store.read(DATED).where("day >= DATE'2026-01-03'").count());
  }
}
