package io.lifecycle.io;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.cli.Steps;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.QuarantineTable;
import io.lifecycle.tables.RunLogTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run creating its tables under an output root written in each form users write it: relative
 * (the fresh clone's {@code warehouse}, which Delta refused to create tables at), a {@code file:} URI
 * with a trailing slash, and a nested folder that does not exist yet. The tables, the run log and its
 * {@code output_root} all land at the one qualified location.
 */
class OutputRootsTest {
  private final SparkSession spark = SharedSpark.get();

  private Path input(Path dir) throws Exception {
    Path csv = dir.resolve("in/events.csv");
    Files.createDirectories(csv.getParent());
    Files.writeString(csv, String.join("\n",
        "customer_id,event_time,event_type,amount,channel,event_id",
        "c1,2024-03-01T10:00:00Z,page_view,,organic,e1",
        "c1,2024-03-01T10:05:00Z,purchase,19.99,organic,e2",
        ",2024-03-01T10:06:00Z,page_view,,organic,e3") + "\n");
    return csv;
  }

  private void ingestInto(String root, Path csv, Path expected) {
    RunContext ctx = new RunContext(spark, TestSupport.config(
        "lifecycle.input.path = \"" + csv + "\"",
        "lifecycle.quality.max_quarantine_share = 0.5",
        "lifecycle.output.root = \"" + root + "\""), LocalDate.of(2024, 3, 10));
    assertEquals("file:" + expected, ctx.config().output().root(), root);
    Steps.standard().run(ctx, List.of("ingest"));
    assertEquals(2, spark.read().format("delta").load(expected.resolve(EventsTable.DEF.name()).toString()).count(), root);
    assertEquals(1, spark.read().format("delta").load(expected.resolve(QuarantineTable.DEF.name()).toString()).count(), root);
    Row log = spark.read().format("delta").load(expected.resolve(RunLogTable.DEF.name()).toString())
        .select(RunLogTable.STATUS, RunLogTable.OUTPUT_ROOT).head();
    assertEquals(RunLogTable.SUCCEEDED, log.getString(0));
    assertEquals("file:" + expected, log.getString(1), "run_log records the qualified root");
  }

  @Test
  void aRelativeRootIsCreatedUnderTheWorkingDirectory(@TempDir Path dir) throws Exception {
    Path csv = input(dir);
    Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    // Relative to the working directory (the module folder under Maven), with ./ and a trailing slash.
    Path target = Files.createTempDirectory(cwd.resolve("target"), "relative-root");
    String relative = "./" + cwd.relativize(target) + "/warehouse/";
    ingestInto(relative, csv, target.resolve("warehouse"));
  }

  @Test
  void aFileUriWithATrailingSlash(@TempDir Path dir) throws Exception {
    ingestInto("file://" + dir.resolve("lake") + "/", input(dir), dir.resolve("lake"));
  }

  @Test
  void aNestedRootThatDoesNotExistYet(@TempDir Path dir) throws Exception {
    Path nested = dir.resolve("not/there/yet");
    assertFalse(Files.exists(nested));
    ingestInto(nested.toString(), input(dir), nested);
  }
}
