package io.lifecycle.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.cli.Steps;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.RawEventWriter;
import io.lifecycle.pipeline.Pipeline;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.report.ReportStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clv.revalue_every}: a daily (incremental) run keeps the last valuation while it is younger than
 * the setting, logs why, and the report shows that valuation's tables and says as of when; naming the
 * step, or changing a setting the values depend on, revalues at once.
 */
class RevalueScheduleTest {
  private static final LocalDate VALUED = LocalDate.of(2026, 1, 1);
  private final SparkSession spark = SharedSpark.get();

  private static LifecycleConfig config(Path dir, String... more) {
    String[] lines = new String[more.length + 2];
    lines[0] = "lifecycle.input.path = \"" + dir.resolve("in") + "\"";
    lines[1] = "lifecycle.output.root = \"" + dir.resolve("out") + "\"";
    System.arraycopy(more, 0, lines, 2, more.length);
    return TestSupport.config(lines);
  }

  /** A daily run of the clv and report steps as a scheduled run runs them (no --steps). */
  private Map<String, StepResult> daily(LifecycleConfig config, LocalDate runDate) {
    return new Pipeline(List.of(new ClvStep(), new ReportStep())).run(new RunContext(spark, config, runDate), List.of());
  }

  private List<String> valuationDates(Path dir) {
    return TestSupport.rows(spark.read().format("delta").load(dir.resolve("out/customer_value").toString())
        .select("run_date").distinct());
  }

  @Test
  void aDailyRunKeepsAYoungerValuationAndTheReportShowsIt(@TempDir Path dir) throws Exception {
    RawEventWriter.write(spark, GeneratorSettings.defaults(120, 21), dir.resolve("in").toString(), "csv");
    Steps.standard().run(new RunContext(spark, config(dir), VALUED), List.of("ingest", "clv"));
    LifecycleConfig weekly = config(dir, "lifecycle.clv.revalue_every = 7 days").withMode(LifecycleConfig.Mode.INCREMENTAL);

    StepResult kept = daily(weekly, VALUED.plusDays(3)).get("clv");
    assertTrue(kept.isSkipped());
    assertEquals("the customer values of 2026-01-01 are 3 days old, clv.revalue_every = 7 days (revaluing on 2026-01-08;"
        + " --steps clv revalues now)", kept.skippedBecause());
    Row logged = spark.read().format("delta").load(dir.resolve("out/run_log").toString())
        .where("run_date = DATE'2026-01-04' and step = 'clv'").head();
    assertEquals("SKIPPED", logged.getAs("status"));
    assertEquals(kept.skippedBecause(), logged.getAs("note"));
    assertEquals(List.of("2026-01-01"), valuationDates(dir));
    // The report of 01-04 shows the valuation of 01-01, its per-date slices (holdout, forecasts) included.
    String report = Files.readString(dir.resolve("out").resolve(ReportStep.LATEST));
    assertTrue(report.contains("Customer values as of the valuation of 2026-01-01 (clv.revalue_every = 7 days: the next run"
        + " on or after 2026-01-08 revalues every customer)."), report);
    assertFalse(report.contains("Table clv_holdout has no rows") || report.contains("Table clv_forecast has no rows"),
        "a CLV part without rows in the report");
    assertTrue(report.contains("2026-01-01 (run date)"), "the tracking plot's table at the valuation's date");

    // Asked for by name, the step revalues now; a daily run a day later keeps that valuation.
    assertFalse(Steps.standard().run(new RunContext(spark, weekly, VALUED.plusDays(4)), List.of("clv")).get("clv").isSkipped());
    assertEquals(List.of("2026-01-05"), valuationDates(dir));
    assertEquals("the customer values of 2026-01-05 are 1 day old, clv.revalue_every = 7 days (revaluing on 2026-01-12;"
        + " --steps clv revalues now)", daily(weekly, VALUED.plusDays(5)).get("clv").skippedBecause());
    // Another gross margin changes every value: the next daily run revalues although the valuation is young.
    LifecycleConfig otherMargin = config(dir, "lifecycle.clv.revalue_every = 7 days", "lifecycle.clv.gross_margin = 0.4")
        .withMode(LifecycleConfig.Mode.INCREMENTAL);
    assertFalse(new Pipeline(List.of(new ClvStep())).run(new RunContext(spark, otherMargin, VALUED.plusDays(6)), List.of())
        .get("clv").isSkipped());
    assertEquals(List.of("2026-01-07"), valuationDates(dir));
  }
}
