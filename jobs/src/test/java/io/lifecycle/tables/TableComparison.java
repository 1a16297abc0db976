package io.lifecycle.tables;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.TestSupport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/**
 * Two output roots compared table by table, as a user would expect them to agree: after daily incremental
 * runs and after one full run over the same input (IncrementalRunTest, {@code bin/benchmark-incremental}),
 * or after a run and its rerun. Maps are compared as sorted entries; columns that legitimately differ
 * (wall-clock timings, and for events which run and file brought them) are left out.
 */
public final class TableComparison {
  private TableComparison() {}

  /**
   * Tables that a chain of incremental runs and one full run over the same input leave equal. Not
   * compared: {@code events_quarantine} (one slice per run date), the logs, and the models' tables
   * (the daily runs keep the models of their schedule, {@code models.retrain_every}).
   */
  public static final List<TableDef> INCREMENTAL_PARITY = List.of(
      EventsTable.DEF, SessionsTable.DEF, CustomerStageHistoryTable.DEF, CustomerJourneysTable.DEF,
      StageTransitionsTable.DEF, StageFunnelTable.DEF, CohortRetentionTable.DEF, ChurnRatesTable.DEF,
      CohortSurvivalTable.DEF, LifecycleStatusTable.DEF, ActivitySummaryTable.DEF, RetentionDriversTable.DEF,
      CustomerValueTable.DEF, ClvModelsTable.DEF, ClvHoldoutTable.DEF,
      SegmentValueTable.DEF, ChannelAttributionTable.DEF);

  private static final Set<String> TIMINGS = Set.of("scored_at", "fit_seconds", "trained_at");

  /** Columns that differ between two computations of the same rows: wall-clock timings. */
  public static String[] volatileColumns(TableDef t) {
    return t.columns().stream().map(ColumnDef::name).filter(TIMINGS::contains).toArray(String[]::new);
  }

  /**
   * Beside the timings, which run and which file brought an event, and which run's stitch last moved it
   * from which customer: daily runs and one full run differ there.
   */
  private static String[] notCompared(TableDef t) {
    return t.name().equals(EventsTable.DEF.name())
        ? new String[] {Columns.SOURCE_FILE, Columns.INGEST_RUN_ID, Columns.STITCH_RUN_ID, Columns.STITCHED_FROM}
        : volatileColumns(t);
  }

  /** Map columns as sorted arrays of entries, so equal maps compare equal whatever their order. */
  public static Dataset<Row> comparable(Dataset<Row> df) {
    for (StructField f : df.schema().fields()) {
      if (f.dataType() instanceof MapType) {
        df = df.withColumn(f.name(), array_sort(map_entries(col(f.name()))));
      }
    }
    return df;
  }

  /** A table of one root, ready to compare: maps sorted, timings and events' lineage dropped. */
  public static Dataset<Row> read(SparkSession spark, String root, TableDef t) {
    return comparable(spark.read().format("delta").load(root + "/" + t.name()).drop(notCompared(t)));
  }

  /**
   * The difference of each table between two roots (left, right), in the order given. A table that keeps
   * one slice per run date is compared on the left side's latest run date: the right side may also hold
   * the slices of the earlier runs it was built by.
   */
  public static Map<String, TestSupport.RowDifference> compare(SparkSession spark, String left, String right,
      List<TableDef> tables) {
    Map<String, TestSupport.RowDifference> out = new LinkedHashMap<>();
    for (TableDef t : tables) {
      Dataset<Row> l = read(spark, left, t);
      Dataset<Row> r = read(spark, right, t);
      if (t.writeMode() == WriteMode.REPLACE_RUN_DATE) {
        // One row: the latest run date (as text: Delta answers max(date) from its log, and that answer
        // fails with the java.time types the job's session uses).
        Column runDate = col(t.runDateColumn());
        Column latest = lit(l.agg(max(runDate.cast("string"))).head().getString(0)).cast("date");
        l = l.where(runDate.eqNullSafe(latest));
        r = r.where(runDate.eqNullSafe(latest));
      }
      out.put(t.name(), TestSupport.difference(l, r));
    }
    return out;
  }

  /**
   * Asserts that a table holds the same rows under both roots (daily runs against one full run, as
   * {@link #read} compares them), a failure naming the first rows each side lacks; returns the rows.
   */
  public static List<String> assertSameRows(SparkSession spark, String fullRoot, String incrementalRoot, TableDef t) {
    List<String> full = TestSupport.rows(read(spark, fullRoot, t));
    List<String> incremental = TestSupport.rows(read(spark, incrementalRoot, t));
    Set<String> inIncremental = new java.util.HashSet<>(incremental);
    Set<String> inFull = new java.util.HashSet<>(full);
    org.junit.jupiter.api.Assertions.assertEquals(List.of(), full.stream().filter(r -> !inIncremental.contains(r)).limit(3).toList(),
        t.name() + ": rows of the full run that the daily runs lack; they have instead "
            + incremental.stream().filter(r -> !inFull.contains(r)).limit(3).toList());
    org.junit.jupiter.api.Assertions.assertEquals(full, incremental, t.name());
    return full;
  }

  /** Names of the tables whose rows differ. */
  public static List<String> differing(Map<String, TestSupport.RowDifference> differences) {
    return differences.entrySet().stream()
        .filter(e -> e.getValue().onlyLeft() > 0 || e.getValue().onlyRight() > 0
            || e.getValue().leftRows() != e.getValue().rightRows())
        .map(Map.Entry::getKey).toList();
  }

  /** A one-line account of a difference, for a failure message or the benchmark's output. */
  public static String describe(String table, TestSupport.RowDifference d) {
    return String.format("%s: %,d rows against %,d; %,d only on the left, %,d only on the right",
        table, d.leftRows(), d.rightRows(), d.onlyLeft(), d.onlyRight());
  }
}
