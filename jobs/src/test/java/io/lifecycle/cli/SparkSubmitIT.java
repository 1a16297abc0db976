package io.lifecycle.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged job jar under Spark's own launcher class, exactly as {@code spark-submit} runs it:
 * proves the jar carries Delta and its config, and that exit codes reach the scheduler.
 */
class SparkSubmitIT {

  private static ProcessRunner.Result submit(Path out, String... jobArgs) throws Exception {
    File root = ProcessRunner.repoRoot();
    List<String> cmd = new ArrayList<>(ProcessRunner.javaCommand());
    cmd.addAll(List.of("-cp", ProcessRunner.sparkClasspath(), "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--class", "io.lifecycle.cli.Main",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        new File(root, "jobs/target/lifecycle.jar").getPath()));
    cmd.addAll(List.of(jobArgs));
    return ProcessRunner.run(root, cmd, 10);
  }

  @Test
  void packagedJarRunsThePipelineUnderSparkSubmit(@TempDir Path out) throws Exception {
    ProcessRunner.Result r = submit(out, "run", "--conf", "conf/local.conf", "--output", out.toString(),
        "--steps", "ingest,sessionize");
    assertEquals(0, r.exitCode(), r.output());
    SparkSession spark = SharedSpark.get();
    long events = spark.read().format("delta").load(out.resolve("events").toString()).count();
    assertTrue(events > 10_000, "events: " + events);
    assertEquals(0, spark.read().format("delta").load(out.resolve("run_log").toString()).where("status <> 'SUCCEEDED'").count());
  }

  @Test
  void badConfigExitsWithCode2UnderSparkSubmit(@TempDir Path out) throws Exception {
    ProcessRunner.Result r = submit(out, "run", "--conf", "does-not-exist.conf");
    assertEquals(2, r.exitCode(), r.output());
    assertTrue(r.output().contains("Config file not found: does-not-exist.conf"), r.output());
  }
}
