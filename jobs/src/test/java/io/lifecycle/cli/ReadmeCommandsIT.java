package io.lifecycle.cli;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.FreshClone;
import io.lifecycle.NeedsSampleRun;
import io.lifecycle.SampleRun;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.report.ReportStep;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.RunLogTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The other commands the README shows a user to copy, each run as written from the fresh clone after
 * its first command ({@link FreshClone}), with a smaller input where the README says the test uses one.
 * The {@code bin/lifecycle} commands run through the job's entry point in this JVM ({@link InJvmCommand}:
 * the launcher itself is proven by the first command); the benchmark, a script of its own, in a process.
 * The CDNOW command, the benchmark and the incremental example (in a copy of the clone) start in the
 * background as early as they can and run beside the other integration tests, which leave a core idle
 * part of the time. Each command is checked to be in the README verbatim, so the two cannot drift apart.
 * The class runs after the other integration tests ({@code ClassOrderer} in {@code junit-platform.properties}):
 * {@code --steps report} rewrites the clone's report, which they read as the first run left it.
 */
@NeedsSampleRun(besideTheFirstRun = "startBesideTheFirstRun")
@Isolated
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeCommandsIT {
  static String readme;
  static Path clone;
  private final SparkSession spark = SharedSpark.launcher();

  /**
   * The README's CDNOW command: it needs the clone but not the sample's tables (it writes its own
   * {@code warehouse/cdnow}), so it runs in this JVM while the clone's first run, a process of its own,
   * leaves a core idle part of the time ({@link NeedsSampleRun#besideTheFirstRun}).
   */
  static java.util.concurrent.FutureTask<FreshClone.Result> cdnow;

  /**
   * The README's reference benchmark: a process of its own, started as soon as the clone's first run is
   * over (beside the rerun of the first command, which leaves a core idle part of the time).
   */
  static java.util.concurrent.FutureTask<FreshClone.Result> benchmark;

  @BeforeAll
  static void afterTheFirstCommand() throws Exception {
    readme = Files.readString(TestSupport.projectFile("README.md").toPath());
    SampleRun.output();
    clone = FreshClone.root();
    startTheBenchmark();
  }

  /** What starts beside the clone's first run ({@link NeedsSampleRun#besideTheFirstRun}). */
  static void startBesideTheFirstRun() {
    startTheCdnowCommand();
    startTheBenchmark();
    startTheIncrementalExample();
  }

  /** The README's incremental example, run in a copy of the clone: the folder, the events before, the command's result. */
  record IncrementalExample(Path folder, long eventsBefore, FreshClone.Result result) {}

  static java.util.concurrent.FutureTask<IncrementalExample> incremental;

  /**
   * Starts the README's incremental example in the background once the first command is over, as typed
   * in a copy of the clone's folder ({@code conf/}, {@code data-samples/} and the sample run's {@code
   * warehouse/}), as a user runs it after the first command: it adds a day to that copy, so it runs beside
   * the unit tests and the tests that read the sample run as the first command left it. The copy is made
   * before the contract test's rerun writes those tables again ({@link FreshClone#holdRerun()}); run after
   * the rerun, the example alone kept the cores 65% busy at the end of the suite.
   */
  static synchronized void startTheIncrementalExample() {
    if (incremental == null) {
      FreshClone.holdRerun();
      incremental = FreshClone.inBackground("readme-incremental", () -> {
        Path folder;
        List<String> command;
        try {
          String text = Files.readString(TestSupport.projectFile("README.md").toPath());
          command = asInReadme(text,
              "bin/lifecycle run --mode incremental --run-date 2026-01-02 --input data-samples/day-2026-01-01.csv");
          SampleRun.output();
          folder = FreshClone.copyOf("incremental-example", List.of("conf", "data-samples", "warehouse"));
        } finally {
          FreshClone.releaseRerun();
        }
        long eventsBefore = SharedSpark.launcher().read().format("delta").load(folder.resolve("warehouse/events").toString()).count();
        return new IncrementalExample(folder, eventsBefore, InJvmCommand.run(command, folder));
      });
    }
  }

  /**
   * Starts the README's reference benchmark, with 20,000 events instead of ten million, in the background
   * once the clone's first run is over: the script builds the test classes with Maven in the clone, which
   * must not happen beside the first run's own build there. It reads and writes only its own folder, so it
   * runs beside the rerun and the checks after it, which leave a core idle part of the time.
   */
  static synchronized void startTheBenchmark() {
    if (benchmark == null) {
      benchmark = FreshClone.inBackground("readme-benchmark", () -> {
        String text = Files.readString(TestSupport.projectFile("README.md").toPath());
        List<String> command = new ArrayList<>(replaced(asInReadme(text, "bin/benchmark --events 10M --mode reference"), Map.of("10M", "20K")));
        FreshClone.awaitFirstRunIfStarted();
        Path work = Files.createDirectories(FreshClone.root().resolveSibling("readme-benchmark"));
        command.addAll(Arrays.asList("--workdir", work.toString()));
        return FreshClone.run(command, 15);
      });
    }
  }

  /** Starts the CDNOW command in the background once the clone's first run has started. */
  static synchronized void startTheCdnowCommand() {
    if (cdnow == null) {
      cdnow = FreshClone.inBackground("readme-cdnow", () -> {
        String text = Files.readString(TestSupport.projectFile("README.md").toPath());
        // On the 69,659 CDNOW purchases: the steps whose tables are checked here (the models' steps run
        // on the sample in every other integration test).
        List<String> words = new ArrayList<>(asInReadme(text,
            "bin/lifecycle run --conf conf/cdnow.conf --input ../shared/datasets/cdnow/CDNOW_master.txt"));
        words.addAll(List.of("--steps", "ingest,cohorts,clv"));
        FreshClone.awaitFirstRunStarted();
        return InJvmCommand.run(words);
      });
    }
  }

  /** The command's words, after checking the README shows it on a line of its own in a code block. */
  private static List<String> asInReadme(String command) {
    return asInReadme(readme, command);
  }

  private static List<String> asInReadme(String readme, String command) {
    assertTrue(readme.contains("\n" + command + "\n") || readme.contains("\n" + command + "  "),
        "the README no longer shows: " + command);
    return List.of(command.split(" +"));
  }

  private static List<String> replaced(List<String> words, Map<String, String> replacements) {
    List<String> out = new ArrayList<>(words);
    replacements.forEach((from, to) -> out.replaceAll(w -> w.equals(from) ? to : w));
    return out;
  }

  private Dataset<Row> table(Path root, String name) {
    return spark.read().format("delta").load(root.resolve(name).toString());
  }

  @Test
  @Order(1)
  void stepsReportRebuildsTheReportAlone() throws Exception {
    Path index = clone.resolve("warehouse").resolve(ReportStep.LATEST);
    FileTime before = Files.getLastModifiedTime(index);
    long logRows = table(clone.resolve("warehouse"), "run_log").count();
    long reportRows = reportRuns();
    FreshClone.Result r = InJvmCommand.run(asInReadme("bin/lifecycle run --steps report"));
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(Files.getLastModifiedTime(index).compareTo(before) > 0, "the report was not rewritten");
    Dataset<Row> log = table(clone.resolve("warehouse"), "run_log");
    assertEquals(logRows + 1, log.count(), "one step ran");
    assertEquals(reportRows + 1, reportRuns(), "the report step ran again for the same run date");
    assertTrue(Files.readString(index).contains("<figure class=\"chart\""), "the rebuilt report has its charts");
  }

  /** Successful report steps for the sample's run date in the clone's run_log. */
  private long reportRuns() {
    return table(clone.resolve("warehouse"), "run_log").where(col(RunLogTable.STEP).equalTo("report")
        .and(col(Columns.RUN_DATE).equalTo(lit(java.sql.Date.valueOf(SampleRun.RUN_DATE))))
        .and(col(RunLogTable.STATUS).equalTo(RunLogTable.SUCCEEDED))).count();
  }

  @Test
  @Order(2)
  void generateWritesEventsAndGroundTruth(@TempDir Path dir) {
    // The README's command with 2,000 customers instead of 100,000 and a folder of the test's own.
    List<String> command = replaced(asInReadme("bin/lifecycle generate --customers 100000 --seed 7 --format parquet --output /tmp/events"),
        Map.of("100000", "2000", "/tmp/events", dir.resolve("events").toString()));
    FreshClone.Result r = InJvmCommand.run(command);
    assertEquals(0, r.exitCode(), r.output());
    Dataset<Row> events = spark.read().parquet(dir.resolve("events").toString());
    assertEquals(2000, events.select("customer_id").distinct().count());
    assertTrue(events.count() > 10_000, "about nine events per customer: " + events.count());
    assertEquals(2000, spark.read().option("header", "true").csv(dir.resolve("events/_ground_truth").toString()).count());
    assertEquals(2000, spark.read().option("header", "true").csv(dir.resolve("events/_customer_properties").toString()).count());
  }

  @Test
  @Order(3)
  void cdnowOnTheMasterFile() throws Exception {
    assertTrue(Files.exists(clone.resolve("../shared/datasets/cdnow/CDNOW_master.txt")), "../shared beside the clone");
    startTheCdnowCommand();
    FreshClone.Result r = FreshClone.resultOf(cdnow);
    assertEquals(0, r.exitCode(), r.output());
    Path out = clone.resolve("warehouse/cdnow");
    Row ingest = table(out, "run_log").where(col(RunLogTable.STEP).equalTo("ingest")).head();
    assertEquals(69_660L, ingest.<Long>getAs(RunLogTable.INPUT_ROWS), "lines read");
    Map<String, Long> written = ingest.getJavaMap(ingest.fieldIndex(RunLogTable.OUTPUT_ROWS));
    assertEquals(69_659L, written.get("events"));
    assertEquals(1L, written.get("skipped"), "the header line");
    assertEquals(0L, ingest.<Long>getAs(RunLogTable.QUARANTINED_ROWS));
    assertEquals(java.time.LocalDate.of(1998, 7, 1), ingest.getAs(Columns.RUN_DATE), "the day after the last purchase");
    assertEquals(0, table(out, "run_log").where(col(RunLogTable.STATUS).notEqual(RunLogTable.SUCCEEDED)).count());
    assertEquals(23_570, table(out, "customer_value").count(), "every CDNOW customer purchased");

    // The 1997-Q1 monthly cohort matrix, internally consistent.
    Dataset<Row> m = table(out, "cohort_retention").where("retention_mode = 'on' and channel = 'all' and not is_projected");
    // Every CDNOW customer made a first purchase in 1997-Q1: three cohorts, 23,570 customers (7,846 + 8,476 + 7,248).
    List<Row> sizes = m.groupBy("cohort_period").agg(first("cohort_size"), count(lit(1))).orderBy("cohort_period").collectAsList();
    assertEquals(3, sizes.size());
    assertEquals(List.of(7846L, 8476L, 7248L), sizes.stream().map(x -> x.getLong(1)).toList());
    // Observed offsets: January reaches June 1998 (0..17), February 0..16, March 0..15; all complete.
    assertEquals(List.of(18L, 17L, 16L), sizes.stream().map(x -> x.getLong(2)).toList());
    // conf/cdnow.conf's brackets: customers buying again within days 1-30, 31-90, 91-180 and 181-365 of
    // their first purchase, per cohort (counted independently from CDNOW_master.txt); every bracket complete.
    List<String> brackets = new ArrayList<>();
    // Twelve rows (three cohorts, four brackets): bounded.
    for (Row b : table(out, "cohort_retention").where("retention_mode = 'bracket'").orderBy("cohort_period", "period_offset").collectAsList()) {
      brackets.add(b.getAs("cohort_period") + " " + b.getAs("bracket") + ": " + b.getAs("active_customers") + "/" + b.getAs("cohort_size")
          + (b.<Boolean>getAs("period_complete") ? "" : " incomplete"));
    }
    assertEquals(List.of("1997-01-01 1-30: 1374/7846", "1997-01-01 31-90: 1559/7846", "1997-01-01 91-180: 1510/7846",
        "1997-01-01 181-365: 2060/7846", "1997-02-01 1-30: 1489/8476", "1997-02-01 31-90: 1585/8476",
        "1997-02-01 91-180: 1695/8476", "1997-02-01 181-365: 2145/8476", "1997-03-01 1-30: 1252/7248",
        "1997-03-01 31-90: 1360/7248", "1997-03-01 91-180: 1439/7248", "1997-03-01 181-365: 1929/7248"), brackets);
    assertEquals(0, m.where("not period_complete").count());
    assertEquals(3, m.where("period_offset = 0 and retention_rate = 1.0").count());
    assertEquals(0, m.where("active_customers > cohort_size or retention_rate < 0").count());
    // The cohorts' revenue adds up to all purchases.
    double revenue = m.agg(sum("revenue")).head().getDouble(0);
    double purchases = table(out, "events").agg(sum("amount")).head().getDouble(0);
    assertEquals(purchases, revenue, 0.01);
    Dataset<Row> rates = table(out, "churn_rates");
    assertEquals(0, rates.where("customers_at_start + acquired + reactivated - churned <> customers_at_end").count());
    assertTrue(rates.where("segment_type = 'overall' and churned > 0").count() > 0);
  }

  @Test
  @Order(4)
  void theIncrementalExampleAddsTheNextDay() throws Exception {
    startTheIncrementalExample();
    IncrementalExample example = FreshClone.resultOf(incremental);
    Path warehouse = example.folder().resolve("warehouse");
    long eventsBefore = example.eventsBefore();
    FreshClone.Result r = example.result();
    assertEquals(0, r.exitCode(), r.output());
    Dataset<Row> log = table(warehouse, "run_log").where(col(Columns.RUN_DATE).equalTo(lit(java.sql.Date.valueOf("2026-01-02"))));
    // Every step succeeded but train, skipped: the models of 2026-01-01 are a day old (models.retrain_every = 7 days).
    assertEquals(List.of("train"), log.where(col(RunLogTable.STATUS).notEqual(RunLogTable.SUCCEEDED))
        .select(RunLogTable.STEP).as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    Row train = log.where(col(RunLogTable.STEP).equalTo("train")).head();
    assertEquals(RunLogTable.SKIPPED, train.getAs(RunLogTable.STATUS));
    assertTrue(train.<String>getAs(RunLogTable.NOTE).startsWith("the saved models v20260101 are 1 day old, models.retrain_every = 7 days"),
        train.<String>getAs(RunLogTable.NOTE));
    assertTrue(r.output().contains("step train skipped: the saved models v20260101"), r.output());
    // Scored with the saved models, the day's new customers included.
    Dataset<Row> scored = table(warehouse, "churn_predictions").where("run_date = DATE'2026-01-02'");
    assertEquals(List.of("v20260101"), scored.select("model_version").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(2, scored.where("customer_id in ('C00009001', 'C00009002')").count());
    Row ingest = log.where(col(RunLogTable.STEP).equalTo("ingest")).head();
    assertEquals("incremental", ingest.getAs(RunLogTable.MODE));
    // 14 rows read = 13 new events + 1 re-delivered event already stored; nothing quarantined.
    assertEquals(14L, ingest.<Long>getAs(RunLogTable.INPUT_ROWS));
    Map<String, Long> written = ingest.getJavaMap(ingest.fieldIndex(RunLogTable.OUTPUT_ROWS));
    assertEquals(1L, written.get("duplicates"));
    assertEquals(eventsBefore + 13, table(warehouse, "events").count());
    // The session open at midnight continues: C00003189's purchase at 23:31 and the views after midnight.
    Row session = table(warehouse, "sessions").where("customer_id = 'C00003189'").orderBy(col("session_start").desc()).head();
    assertEquals(java.time.Instant.parse("2026-01-01T00:09:45Z"), session.getAs("session_end"));
    assertTrue(session.<java.time.Instant>getAs("session_start").isBefore(java.time.Instant.parse("2026-01-01T00:00:00Z")));
    // The new customer who converted the same day: one session from the ad click to the purchase, so
    // one stage episode, at the session's highest stage.
    Row journey = table(warehouse, "customer_journeys").where("customer_id = 'C00009001'").head();
    assertEquals("CONVERSION", journey.getAs("path"));
    Path report = warehouse.resolve(ReportStep.dated(java.time.LocalDate.of(2026, 1, 2)));
    assertTrue(Files.exists(report), "the day's report");
    assertTrue(Files.readString(report).contains("trained and evaluated for run date 2026-01-01"), "the report says which models it shows");
    // The tables replaced per run date keep the first date's slice beside the new one's.
    for (io.lifecycle.tables.TableDef t : io.lifecycle.tables.Tables.all()) {
      // Not the quarantine (nothing was quarantined) nor the tables only train writes (skipped).
      if (t.writeMode() == io.lifecycle.tables.WriteMode.REPLACE_RUN_DATE && !t.name().equals("events_quarantine")
          && !t.name().equals("model_metrics") && !t.name().equals("model_features")
          && Files.isDirectory(warehouse.resolve(t.name()).resolve("_delta_log"))) {
        Dataset<Row> df = table(warehouse, t.name());
        assertTrue(df.where(t.runDateColumn() + " = DATE'" + SampleRun.RUN_DATE + "'").count() > 0, t.name() + " lost the first date");
        assertTrue(df.where(t.runDateColumn() + " = DATE'2026-01-02'").count() > 0, t.name() + " lacks the second date");
      }
    }
  }

  @Test
  @Order(5)
  void theBenchmarkComparesWithItsReference() throws Exception {
    FreshClone.Result r = benchmark.get();
    assertEquals(0, r.exitCode(), r.output());
    // Sessions and the retention matrix, then every step reference's tables: ingest 2, journeys 4, cohorts 4, clv 3.
    List<String> checked = r.output().lines().filter(l -> l.startsWith("  check   ")).toList();
    assertEquals(15, checked.stream().filter(l -> l.endsWith("every row and column equal in Spark and DuckDB")).count(),
        String.join("\n", checked));
    for (String table : List.of("sessions", "events", "events_quarantine", "customer_stage_history", "customer_journeys",
        "stage_transitions", "stage_funnel", "cohort_retention", "churn_rates", "cohort_survival", "lifecycle_status",
        "customer_summary", "customer_value", "segment_value")) {
      assertTrue(checked.stream().anyMatch(l -> l.startsWith("  check   " + table + ": ")), table + " checked: " + checked);
    }
    assertTrue(r.output().contains("ratio   sessionize + cohort_retention + ingest + journeys + cohorts + clv: Spark/DuckDB"), r.output());
  }
}
