package io.lifecycle.pipeline;

import io.lifecycle.cli.Steps;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.ingest.IngestStep;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.RunLogTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step that fails halfway leaves every table at its last good version, and the run log says so. */
class PipelineFailureTest {
  private final SparkSession spark = SharedSpark.get();

  /** Fails inside its write: the rows are computed, the task throws while Delta writes the files. */
  private static final class FailingRewrite implements Step {
    @Override
    public String name() {
      return "failing";
    }

    @Override
    public StepResult run(RunContext ctx) {
      Dataset<Row> doomed = ctx.store().read(EventsTable.DEF)
          .withColumn("customer_id", org.apache.spark.sql.functions.expr("raise_error('injected failure')"));
      ctx.store().write(EventsTable.DEF, doomed, ctx.runDate());
      return StepResult.of(0, java.util.Map.of());
    }
  }

  @Test
  void failedStepLeavesTablesReadableAndRerunSucceeds(@TempDir Path dir) throws Exception {
    TestSupport.inputFile(dir, "a.csv", "customer_id,event_time,event_type\nc1,2024-03-01T10:00:00Z,page_view\nc2,2024-03-01T11:00:00Z,page_view\n");
    LifecycleConfig config = TestSupport.runConfig(dir);
    LocalDate runDate = LocalDate.of(2024, 3, 2);
    Pipeline pipeline = new Pipeline(List.of(new IngestStep(), new FailingRewrite()));
    LifecycleException e = assertThrows(LifecycleException.class,
        () -> pipeline.run(new RunContext(spark, config, runDate), List.of()));
    assertEquals(ExitCode.FAILURE, e.exitCode());
    assertTrue(e.getMessage().contains("step failing failed"), e.getMessage());
    assertTrue(e.getMessage().contains("injected failure"), e.getMessage());

    String events = dir.resolve("out/events").toString();
    assertEquals(List.of("c1", "c2"), TestSupport.rows(spark.read().format("delta").load(events).select("customer_id")));
    List<String> log = TestSupport.rows(spark.read().format("delta").load(dir.resolve("out/run_log").toString())
        .select(RunLogTable.STEP, RunLogTable.STATUS));
    assertEquals(List.of("failing|FAILED", "ingest|SUCCEEDED"), log);

    // The rerun from the failed step (here: the good steps only) completes normally.
    new Pipeline(List.of(new IngestStep())).run(new RunContext(spark, config, runDate), List.of("ingest"));
    assertEquals(2, spark.read().format("delta").load(events).count());
  }

  @Test
  void unknownStepIsAUsageError() {
    LifecycleException e = assertThrows(LifecycleException.class, () -> Steps.standard().select(List.of("ingest", "nope")));
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    assertTrue(e.getMessage().contains("Unknown step 'nope'"));
  }

  @Test
  void maintenanceRunsOnlyOnRequest() {
    assertFalse(Steps.standard().select(List.of()).stream().anyMatch(s -> s.name().equals("maintain")));
    assertEquals("maintain", Steps.standard().select(List.of("maintain")).get(0).name());
  }
}
