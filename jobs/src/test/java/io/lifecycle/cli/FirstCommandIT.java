package io.lifecycle.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.FreshClone;
import io.lifecycle.NeedsSampleRun;
import io.lifecycle.SampleRun;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.report.ReportStep;
import io.lifecycle.tables.RunLogTable;
import io.lifecycle.tables.TableDef;
import io.lifecycle.tables.Tables;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The README's two commands, literally: {@code bin/lifecycle run} with no arguments in a fresh clone of
 * HEAD (no {@code warehouse/}, no built jar) writes every table and the report under the relative
 * {@code warehouse/}, and {@code .ci/run} runs exactly the README's test command.
 */
@NeedsSampleRun
@Isolated
class FirstCommandIT {

  @Test
  void theFirstCommandSucceedsInAFreshCloneAndWritesEveryTable() throws Exception {
    FreshClone.Result r = FreshClone.firstRun();
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(r.output().contains("building the job jar") || r.output().startsWith("(reused"),
        "the clone had no jar: the launcher must have built it\n" + r.output());
    assertTrue(r.output().contains("step report finished"), r.output());
    Path warehouse = SampleRun.output();
    for (TableDef t : Tables.all()) {
      // The benchmark's log, and identity_map (no anonymous ids in the sample: the stitch step does not run).
      if (t.name().equals("benchmarks") || t.name().equals("identity_map")) {
        continue;
      }
      assertTrue(new File(warehouse.toFile(), t.name() + "/_delta_log").isDirectory(), "missing table " + t.name());
    }
    assertTrue(Files.isRegularFile(warehouse.resolve(ReportStep.LATEST)), "the default run wrote no report");
    assertTrue(Files.isRegularFile(warehouse.resolve(ReportStep.dated(SampleRun.RUN_DATE))), "no dated report");
    Dataset<Row> all = SharedSpark.launcher().read().format("delta").load(warehouse.resolve("run_log").toString());
    // The first command's attempt (the contract test's rerun may have added another).
    String attempt = all.orderBy(RunLogTable.STARTED_AT).head().getAs(RunLogTable.ATTEMPT_ID);
    Dataset<Row> log = all.where(org.apache.spark.sql.functions.col(RunLogTable.ATTEMPT_ID).equalTo(attempt));
    assertEquals(0, log.where("status <> 'SUCCEEDED'").count());
    assertEquals(List.of("ingest", "sessionize", "journeys", "cohorts", "clv", "train", "score", "report"),
        log.orderBy(RunLogTable.STARTED_AT).select(RunLogTable.STEP).as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    // The relative root of conf/local.conf, qualified once: in the log line, run_log and the report.
    String qualified = "file:" + warehouse.toRealPath();
    assertEquals(List.of(qualified), log.select(RunLogTable.OUTPUT_ROOT).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    if (!r.output().startsWith("(reused")) {
      assertTrue(r.output().contains("output " + qualified + ","), "the log names the qualified root\n" + r.output());
      // The 3 MB sample is evaluated by Spark's interpreter: compiling each query costs more than it saves.
      assertTrue(r.output().contains("expressions interpreted (no code generation) for 2 MB of events"), r.output());
    }
    assertTrue(Files.readString(warehouse.resolve(ReportStep.LATEST)).contains(qualified), "the report names the qualified root");
  }

  @Test
  void badUsageExitsWith2AndOneLine() {
    FreshClone.firstRun();
    FreshClone.Result r = FreshClone.run(List.of("bin/lifecycle", "run", "--run-date", "tomorrow"), 5);
    assertEquals(2, r.exitCode(), r.output());
    assertTrue(r.output().contains("lifecycle: error: --run-date 'tomorrow' is not a date"), r.output());
    assertFalse(r.output().contains("\tat "), "no stack trace: " + r.output());
  }

  @Test
  void theReadmeShowsTheseTwoCommandsAndCiRunsItsTestCommand() throws Exception {
    String readme = Files.readString(TestSupport.projectFile("README.md").toPath());
    String twoCommands = readme.substring(readme.indexOf("## Two commands"));
    twoCommands = twoCommands.substring(0, twoCommands.indexOf("\n## ", 3));
    assertTrue(twoCommands.contains("\n" + String.join(" ", FreshClone.FIRST_COMMAND) + " "), twoCommands);
    String testCommand = "mvn -B verify";
    assertTrue(twoCommands.contains("\n" + testCommand + " "), twoCommands);
    List<String> ci = Files.readAllLines(TestSupport.projectFile(".ci/run").toPath()).stream()
        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertEquals(testCommand, ci.get(ci.size() - 1), "CI's last command is the README's test command");
  }
}
