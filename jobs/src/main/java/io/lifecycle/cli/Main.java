package io.lifecycle.cli;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.ConfigLoader;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.io.Locations;
import io.lifecycle.io.RunLock;
import io.lifecycle.ingest.IngestStep;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.cli.Steps;
import io.lifecycle.spark.SparkSessions;
import io.lifecycle.tables.TableContract;
import java.io.File;
import org.apache.spark.SparkUserAppException;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point for spark-submit and the local launcher. Thin on purpose: parse the command line, load
 * and validate the config, build the session, run the steps. Failures end as one line naming the cause
 * and a documented exit code; under spark-submit the code travels in a {@link SparkUserAppException}
 * (never System.exit), so cluster managers see the failure and its code.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** Set by bin/lifecycle: the JVM is ours to exit. */
  static final String LOCAL_LAUNCHER = "lifecycle.local";
  /** Set by bin/lifecycle: the folder the command was typed in. */
  static final String CALLER_DIR = "lifecycle.caller.dir";

  private Main() {}

  public static void main(String[] args) throws SparkUserAppException {
    int code = execute(args);
    if (code != 0) {
      if (Boolean.getBoolean(LOCAL_LAUNCHER)) {
        System.exit(code);
      }
      throw new SparkUserAppException(code, null);
    }
  }

  /** Runs a command and returns its exit code. */
  public static int execute(String[] args) {
    return execute(args, callerDirectory(), Locations.workingDirectory());
  }

  /**
   * Runs a command as if typed in {@code callerDir} (command-line paths are relative to it), with
   * relative paths in the config file taken from {@code configDir} (the launcher's default run changes
   * to the repository root first). Tests run the README's commands from a clone this way.
   */
  static int execute(String[] args, java.nio.file.Path callerDir, java.nio.file.Path configDir) {
    try {
      CommandLine line = CommandLine.parse(args);
      switch (line.command()) {
        case "help" -> System.out.println(CommandLine.USAGE);
        case "contract" -> System.out.print(TableContract.markdown());
        case "run" -> run(line, callerDir, configDir);
        case "generate" -> GenerateCommand.run(line, config(line, callerDir), callerDir);
        default -> throw new IllegalStateException(line.command());
      }
      return ExitCode.OK.code();
    } catch (LifecycleException e) {
      System.err.println("lifecycle: error: " + e.getMessage());
      LOG.debug("failure", e);
      return e.exitCode().code();
    } catch (Exception e) { // includes Spark's checked exceptions thrown from Scala
      System.err.println("lifecycle: error: " + io.lifecycle.Failures.describe(e));
      LOG.debug("failure", e);
      return io.lifecycle.Failures.exitCode(e).code();
    }
  }

  static LifecycleConfig config(CommandLine line, java.nio.file.Path callerDir) {
    String file = line.option("conf");
    if (file == null) {
      return ConfigLoader.defaults();
    }
    File f = new File(file);
    return ConfigLoader.load(f.isAbsolute() || callerDir.equals(Locations.workingDirectory()) ? f : callerDir.resolve(file).toFile());
  }

  private static void run(CommandLine line, java.nio.file.Path callerDir, java.nio.file.Path configDir) {
    LifecycleConfig config = config(line, callerDir);
    if (line.mode() != null) {
      config = config.withMode(line.mode());
    }
    if (config.incremental().enabled() && line.runDate() == null) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG,
          "--mode incremental needs --run-date (the day after the day whose events --input holds)");
    }
    var pipeline = Steps.standard();
    pipeline.select(line.steps());
    // Fail on a missing pseudonymization key before Spark starts, not halfway through a run.
    config = config.withPrivacyKeyFile(Locations.localFile(config.privacy().keyFile(), configDir, "lifecycle.privacy.key_file"));
    io.lifecycle.privacy.Pseudonymizer.from(config.privacy());
    SparkSession spark = SparkSessions.builder("lifecycle").getOrCreate();
    var hadoop = spark.sessionState().newHadoopConf();
    // Paths typed on the command line are relative to where they were typed (the launcher may cd), those
    // of the config file to the working directory.
    config = Locations.qualifyPaths(config, hadoop, configDir);
    if (line.option("input") != null) {
      config = config.withInputPath(Locations.qualify(line.option("input"), hadoop, callerDir));
    }
    if (line.option("output") != null) {
      config = config.withOutputRoot(Locations.qualify(line.option("output"), hadoop, callerDir));
    }
    LOG.info("lifecycle run: config {} (hash {}), input {}, output {}, steps {}", config.source(), config.hash(),
        config.input().path(), config.output().root(), line.steps().isEmpty() ? "all" : line.steps());
    boolean ingests = pipeline.select(line.steps()).stream().anyMatch(s -> s.name().equals(IngestStep.NAME));
    // Fitted before the run date's resolution: a small input is read interpreted, as its steps will be.
    pipeline.fitSession(spark, config);
    java.time.LocalDate runDate = line.runDate() != null ? line.runDate() : RunDates.resolve(spark, config, ingests);
    if (line.runDate() == null) {
      LOG.info("run date {}: the day after the latest {}", runDate, ingests ? "usable input row" : "row of table events");
    }
    RunContext ctx = new RunContext(spark, config, runDate);
    try (RunLock lock = RunLock.acquire(hadoop, ctx.config().output().root(),
        "attempt " + ctx.attemptId(), java.time.Duration.ofHours(12))) {
      pipeline.run(ctx, line.steps());
    }
  }

  /**
   * The folder the user typed the command in: {@code bin/lifecycle} passes it as {@value #CALLER_DIR}
   * before it changes to the repository root for the default run; otherwise the working directory.
   */
  static java.nio.file.Path callerDirectory() {
    String dir = System.getProperty(CALLER_DIR);
    return dir == null || dir.isBlank() ? Locations.workingDirectory() : java.nio.file.Path.of(dir);
  }
}
