package io.lifecycle.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/lifecycle run} on the committed sample, end to end, as the README tells a new user. */
class LauncherIT {

  @Test
  void defaultRunOnTheSampleWritesEveryTable(@TempDir Path out) throws Exception {
    File root = ProcessRunner.repoRoot();
    ProcessRunner.Result r = ProcessRunner.run(root,
        List.of("bash", "bin/lifecycle", "run", "--output", out.toString()), 15);
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("step ingest finished"), r.output());
    SparkSession spark = SharedSpark.get();
    for (io.lifecycle.tables.TableDef t : io.lifecycle.tables.Tables.all()) {
      if (t.name().equals("benchmarks")) {
        continue;
      }
      assertTrue(new File(out.toFile(), t.name() + "/_delta_log").isDirectory(), "missing table " + t.name());
    }
    assertEquals(0, spark.read().format("delta").load(out.resolve("run_log").toString()).where("status <> 'SUCCEEDED'").count());
    assertTrue(new File(out.toFile(), io.lifecycle.report.ReportStep.LATEST).isFile(), "the default run wrote no report");
  }

  @Test
  void badUsageExitsWith2AndOneLine(@TempDir Path out) throws Exception {
    ProcessRunner.Result r = ProcessRunner.run(ProcessRunner.repoRoot(),
        List.of("bash", "bin/lifecycle", "run", "--run-date", "tomorrow"), 5);
    assertEquals(2, r.exitCode(), r.output());
    assertTrue(r.output().contains("lifecycle: error: --run-date 'tomorrow' is not a date"), r.output());
    assertFalse(r.output().contains("\tat "), "no stack trace: " + r.output());
  }
}
