package io.lifecycle.pipeline;

import io.lifecycle.cli.Steps;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.SyntheticEventGenerator;
import io.lifecycle.journeys.JourneysStep;
import io.lifecycle.tables.ClvHoldoutTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.QuarantineTable;
import io.lifecycle.tables.RunLogTable;
import io.lifecycle.tables.SessionsTable;
import io.lifecycle.tables.TableComparison;
import io.lifecycle.tables.TableDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daily incremental runs give the tables one full run gives over the same input: every table from
 * {@code events} to the customer values ({@link TableComparison#INCREMENTAL_PARITY}). A generated month is
 * backfilled with a full run, then its last four days arrive day by day, with late events (up to three days),
 * sessions spanning midnight, a late purchase that moves a customer's first purchase earlier (so stored
 * events change stage), a re-delivered duplicate and an event beyond the lateness.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncrementalRunTest {
  private static final LocalDate FIRST_DAY = LocalDate.of(2024, 4, 4);
  private static final LocalDate LAST_DAY = LocalDate.of(2024, 4, 7);
  private static final LocalDate JOURNEYS_DAY = LocalDate.of(2024, 4, 5);
  private static final List<String> DAILY = List.of("ingest", "sessionize");
  private static final List<String> STEPS = List.of("ingest", "sessionize", "journeys");
  /** The last day and the full run also refresh the cohorts and the customer values. */
  private static final List<String> ANALYSES = List.of("ingest", "sessionize", "journeys", "cohorts", "clv");

  private final SparkSession spark = SharedSpark.get();
  private Path dir;
  private Path days;
  private long lastDayRows;
  private final Map<LocalDate, Map<String, StepResult>> daily = new LinkedHashMap<>();
  private Map<String, StepResult> rerun;
  private Map<String, List<String>> afterLastDay;

  /** Writes the input split by arrival day, then runs the backfill, the week, the reference and a rerun. */
  @BeforeAll
  void runEverything(@TempDir Path tmp) throws Exception {
    dir = tmp;
    days = dir.resolve("days");
    Dataset<Row> generated = SyntheticEventGenerator.events(spark,
        GeneratorSettings.defaults(300, 11).withWindow(LocalDate.of(2024, 3, 1), LAST_DAY));
    // One event in ten arrives one to three days after its day.
    Dataset<Row> arriving = generated.withColumn("arrival", date_add(to_date(col(Columns.EVENT_TIME).cast("timestamp")),
        when(pmod(hash(col(Columns.EVENT_ID)), lit(10)).equalTo(0), pmod(hash(col(Columns.EVENT_ID), lit("d")), lit(3)).plus(1))
            .otherwise(0)));
    Dataset<Row> redelivered = arriving.where(col("arrival").equalTo(lit(java.sql.Date.valueOf(LAST_DAY.minusDays(1))))
            .and(col("arrival").equalTo(to_date(col(Columns.EVENT_TIME).cast("timestamp")))))
        .orderBy(Columns.EVENT_ID).limit(1).withColumn("arrival", lit(java.sql.Date.valueOf(LAST_DAY)));
    Dataset<Row> all = arriving.unionByName(redelivered).unionByName(handBuilt())
        .where(col("arrival").leq(lit(java.sql.Date.valueOf(LAST_DAY))));
    all.write().partitionBy("arrival").option("header", "true").csv(days.toString());
    // Beyond the lateness for the last day (its as-of 04-08, accepted from 04-03): quarantined too_late.
    Files.writeString(days.resolve("arrival=" + LAST_DAY).resolve("toolate.csv"),
        "customer_id,event_time,event_type,amount,channel,event_id\nH2,2024-03-25T10:00:00Z,page_view,,,late1\n");
    lastDayRows = all.where(col("arrival").equalTo(lit(java.sql.Date.valueOf(LAST_DAY)))).count() + 1;

    // The backfill: a full run over the days before the first incremental one.
    Path incremental = dir.resolve("incremental");
    run(incremental, LifecycleConfig.Mode.FULL, days + "/arrival=2024-0{3-*,4-0[1-3]}", FIRST_DAY, STEPS);
    for (LocalDate day = FIRST_DAY; !day.isAfter(LAST_DAY); day = day.plusDays(1)) {
      // journeys runs on the second and the last day: each time it catches up on the days since its
      // previous run (new and late events, and customers churned by the passing days).
      daily.put(day, run(incremental, LifecycleConfig.Mode.INCREMENTAL, days + "/arrival=" + day, day.plusDays(1),
          day.equals(LAST_DAY) ? ANALYSES : day.equals(JOURNEYS_DAY) ? STEPS : DAILY));
    }
    afterLastDay = snapshot(incremental);
    rerun = run(incremental, LifecycleConfig.Mode.INCREMENTAL, days + "/arrival=" + LAST_DAY, LAST_DAY.plusDays(1), STEPS);
    run(dir.resolve("full"), LifecycleConfig.Mode.FULL, days + "/arrival=*/part-*", LAST_DAY.plusDays(1), ANALYSES);
  }

  /** A customer whose session spans midnight and whose late purchase moves the first purchase earlier. */
  private Dataset<Row> handBuilt() {
    List<Row> rows = List.of(
        RowFactory.create("H1", "2024-04-03T23:50:00Z", "page_view", null, "organic", "h1", "2024-04-03"),
        RowFactory.create("H1", "2024-04-04T00:10:00Z", "product_view", null, null, "h2", "2024-04-04"),
        RowFactory.create("H1", "2024-04-05T12:00:00Z", "purchase", "30.00", null, "h3", "2024-04-05"),
        RowFactory.create("H1", "2024-04-05T12:20:00Z", "review", null, null, "h5", "2024-04-05"),
        // Two days late, earlier than the stored first purchase: h3 becomes a repeat purchase.
        RowFactory.create("H1", "2024-04-04T00:15:00Z", "purchase", "10.00", null, "h4", "2024-04-06"));
    return spark.createDataFrame(rows, SyntheticEventGenerator.RAW_SCHEMA.add("arrival", "string"))
        .withColumn("arrival", to_date(col("arrival")));
  }

  private Map<String, StepResult> run(Path out, LifecycleConfig.Mode mode, String input, LocalDate runDate,
      List<String> steps) {
    LifecycleConfig config = TestSupport.config(
            "lifecycle.output.root = \"" + out + "\"",
            "lifecycle.churn.inactivity_threshold = 5 days",
            "lifecycle.quality.max_quarantine_share = 0.5")
        .withInputPath(input).withMode(mode);
    return Steps.standard().run(new RunContext(spark, config, runDate), steps);
  }

  private Dataset<Row> table(Path out, TableDef table) {
    return spark.read().format("delta").load(out.resolve(table.name()).toString());
  }

  /** Every compared table's rows (with lineage, maps sorted, timings dropped) and the quarantine's. */
  private Map<String, List<String>> snapshot(Path out) {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    for (TableDef t : TableComparison.INCREMENTAL_PARITY) {
      Dataset<Row> rows = TableComparison.comparable(table(out, t).drop(TableComparison.volatileColumns(t)));
      tables.put(t.name(), TestSupport.rows(rows));
    }
    tables.put(QuarantineTable.DEF.name(), TestSupport.rows(table(out, QuarantineTable.DEF).drop(Columns.SOURCE_FILE)));
    return tables;
  }

  @Test
  void dailyRunsGiveTheTablesOfOneFullRun() {
    for (TableDef t : TableComparison.INCREMENTAL_PARITY) {
      List<String> full = TableComparison.assertSameRows(spark, dir.resolve("full").toString(),
          dir.resolve("incremental").toString(), t);
      // A month is too short for a holdout (clv.holdout_weeks): that table is empty in both.
      assertEquals(t.name().equals(ClvHoldoutTable.DEF.name()), full.isEmpty(), t.name());
    }
  }

  @Test
  void incrementalJourneysRecomputeOnlyTheChangedCustomers() {
    long customers = table(dir.resolve("full"), CustomerJourneysTable.DEF).count();
    for (LocalDate day : List.of(JOURNEYS_DAY, LAST_DAY)) {
      long recomputed = daily.get(day).get("journeys").outputRows().get(JourneysStep.RECOMPUTED_CUSTOMERS);
      assertTrue(recomputed > 0 && recomputed < customers / 2, day + ": " + recomputed + " of " + customers);
    }
  }

  @Test
  void aSessionOpenAtMidnightContinuesAndALatePurchaseRestagesStoredEvents() {
    Dataset<Row> sessions = table(dir.resolve("incremental"), SessionsTable.DEF).where(col(Columns.CUSTOMER_ID).equalTo("H1"));
    assertEquals(List.of("2024-04-03T23:50:00Z|2024-04-04T00:15:00Z|3|CONVERSION",
            "2024-04-05T12:00:00Z|2024-04-05T12:20:00Z|2|ADVOCACY"),
        TestSupport.rows(sessions.select(SessionsTable.SESSION_START, SessionsTable.SESSION_END, SessionsTable.EVENT_COUNT,
            Columns.STAGE)));
    assertEquals(List.of("RETENTION"), TestSupport.rows(table(dir.resolve("incremental"), EventsTable.DEF)
        .where(col(Columns.EVENT_ID).equalTo("h3")).select(Columns.STAGE)));
  }

  @Test
  void eventsBeyondTheLatenessAreQuarantinedAndCountsAddUp() {
    Dataset<Row> quarantine = table(dir.resolve("incremental"), QuarantineTable.DEF)
        .where(col(Columns.RUN_DATE).equalTo(lit(java.sql.Date.valueOf(LAST_DAY.plusDays(1)))));
    assertEquals(List.of("too_late|2024-03-25 10:00:00"),
        TestSupport.rows(quarantine.select(QuarantineTable.REASON, QuarantineTable.DETAIL)));
    StepResult ingest = daily.get(LAST_DAY).get("ingest");
    assertEquals(lastDayRows, ingest.inputRows());
    assertEquals(1, ingest.quarantinedRows());
    // read = clean + duplicates + quarantined: the re-delivered event is the one duplicate.
    assertEquals(lastDayRows - 1 - 1, ingest.outputRows().get(EventsTable.DEF.name()));
    Row log = table(dir.resolve("incremental"), RunLogTable.DEF)
        .where(col(RunLogTable.STEP).equalTo("ingest").and(col(Columns.RUN_DATE).equalTo(lit(java.sql.Date.valueOf(LAST_DAY.plusDays(1))))))
        .select(RunLogTable.MODE, RunLogTable.HIGH_WATER_MARK).head();
    assertEquals("incremental", log.getString(0));
    assertNotNull(log.get(1));
  }

  @Test
  void aRerunOfTheDayChangesNothing() {
    assertEquals(afterLastDay, snapshot(dir.resolve("incremental")));
    assertEquals(daily.get(LAST_DAY).get("ingest").outputRows(), rerun.get("ingest").outputRows());
    assertEquals(0L, rerun.get("sessionize").outputRows().get(SessionsTable.DEF.name()));
  }
}
