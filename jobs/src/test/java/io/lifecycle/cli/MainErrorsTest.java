package io.lifecycle.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.RawEventWriter;
import io.lifecycle.generate.SyntheticEventGenerator;
import io.lifecycle.ingest.IngestStep;
import io.lifecycle.io.RunLock;
import io.lifecycle.pipeline.Pipeline;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.tables.RunLogTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a scheduler sees it: user errors end as one line and their documented exit
 * code, never a stack trace; a run killed between steps resumes with {@code --steps}; generate takes its
 * anonymous share. Runs in the test JVM ({@link Main#execute}), on the shared session.
 */
class MainErrorsTest {
  private static final String GOOD = "customer_id,event_time,event_type\nc1,2024-03-01T10:00:00Z,page_view\n"
      + "c2,2024-03-02T10:00:00Z,purchase\n";
  private final SparkSession spark = SharedSpark.get();

  private record Result(int code, String stderr) {}

  private static Result main(String... args) {
    return io.lifecycle.LogCapture.exclusively(() -> {
      PrintStream saved = System.err;
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        return new Result(Main.execute(args), err.toString(StandardCharsets.UTF_8));
      } finally {
        System.setErr(saved);
      }
    });
  }

  private static String[] run(Path input, Path output, String... more) {
    String[] base = {"run", "--input", input.toString(), "--output", output.toString(), "--run-date", "2024-04-01"};
    String[] args = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return args;
  }

  private static void assertOneLineError(Result r, ExitCode expected, String contains) {
    assertEquals(expected.code(), r.code(), r.stderr());
    List<String> lines = r.stderr().lines().toList();
    assertEquals(1, lines.size(), "one line: " + r.stderr());
    assertTrue(lines.get(0).startsWith("lifecycle: error: ") && lines.get(0).contains(contains), r.stderr());
    assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
  }

  private static Path csv(Path dir, String name, String body) throws Exception {
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve(name), body).getParent();
  }

  @Test
  void userErrorsEndAsOneLineWithTheirExitCode(@TempDir Path dir) throws Exception {
    Path good = csv(dir.resolve("good"), "a.csv", GOOD);
    Files.createDirectories(dir.resolve("empty"));
    assertOneLineError(main(run(dir.resolve("empty"), dir.resolve("o1"), "--steps", "ingest")),
        ExitCode.INPUT_UNAVAILABLE, "holds no rows");
    assertOneLineError(main(run(dir.resolve("missing"), dir.resolve("o2"), "--steps", "ingest")),
        ExitCode.INPUT_UNAVAILABLE, "Input path does not exist");
    assertOneLineError(main(run(csv(dir.resolve("nocol"), "a.csv", "id,event_time,event_type\nc1,2024-03-01T10:00:00Z,x\n"),
        dir.resolve("o3"), "--steps", "ingest")), ExitCode.USAGE_OR_CONFIG, "Required column 'customer_id'");
    Path gz = Files.createDirectories(dir.resolve("gz"));
    Files.write(gz.resolve("a.csv.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3});
    assertOneLineError(main(run(gz, dir.resolve("o4"), "--steps", "ingest")), ExitCode.DATA_QUALITY, "a.csv.gz");

    // An output root that cannot be created (its parent is a file).
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertOneLineError(main(run(good, file.resolve("out"), "--steps", "ingest")),
        ExitCode.USAGE_OR_CONFIG, "Cannot write to the output root");
    // A table location that holds someone else's files is never written over.
    Path occupied = Files.createDirectories(dir.resolve("o5/events"));
    Files.writeString(occupied.resolve("part-00000.parquet"), "not ours");
    assertOneLineError(main(run(good, dir.resolve("o5"), "--steps", "ingest")),
        ExitCode.USAGE_OR_CONFIG, "exists but is not a Delta table");
    assertEquals("not ours", Files.readString(occupied.resolve("part-00000.parquet")));
    // A second run on an output root another run is writing to.
    try (RunLock held = RunLock.acquire(spark.sessionState().newHadoopConf(), dir.resolve("o6").toString(), "attempt A",
        Duration.ofHours(12))) {
      assertOneLineError(main(run(good, dir.resolve("o6"), "--steps", "ingest")), ExitCode.WRITE_CONFLICT,
          "Another run is writing to");
    }
    assertFalse(Files.exists(dir.resolve("o6/events")), "the refused run wrote nothing");
  }

  /**
   * generate's {@code --anonymous-share}: outside [0, 1] or not a number a usage error; else the events gain
   * their anonymous ids and the identity truth is written beside them.
   */
  @Test
  void generateTakesAnAnonymousShare(@TempDir Path dir) {
    String out = dir.resolve("events").toString();
    assertOneLineError(main("generate", "--output", out, "--anonymous-share", "1.5"), ExitCode.USAGE_OR_CONFIG,
        "anonymousShare must be in [0, 1]");
    assertOneLineError(main("generate", "--output", out, "--anonymous-share", "half"), ExitCode.USAGE_OR_CONFIG,
        "--anonymous-share 'half' is not a number");
    Result r = main("generate", "--output", out, "--customers", "30", "--seed", "3", "--anonymous-share", "0.5");
    assertEquals(0, r.code(), r.stderr());
    Dataset<Row> events = spark.read().option("header", "true").csv(out);
    assertEquals(List.of(SyntheticEventGenerator.RAW_SCHEMA_WITH_ANONYMOUS_ID.fieldNames()), List.of(events.columns()));
    GeneratorSettings settings = GeneratorSettings.defaults(30, 3).withAnonymousShare(0.5);
    assertEquals(TestSupport.rows(SyntheticEventGenerator.identityTruth(spark, settings)),
        TestSupport.rows(spark.read().option("header", "true").csv(out + "/" + RawEventWriter.IDENTITY_TRUTH)));
  }

  @Test
  void unwritableOutputLocationIsAConfigurationError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    var config = TestSupport.config("lifecycle.input.path = \"" + csv(dir.resolve("in"), "a.csv", GOOD) + "\"",
        "lifecycle.output.root = \"" + file.resolve("out") + "\"");
    LifecycleException e = assertThrows(LifecycleException.class, () -> new Pipeline(List.of(new IngestStep()))
        .run(new RunContext(spark, config, LocalDate.of(2024, 4, 1)), List.of()));
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    assertTrue(e.getMessage().startsWith("Cannot create table events_quarantine at file:" + file.resolve("out")), e.getMessage());
  }

  @Test
  void stepsWithoutIngestOrRunDateRunAsOfTheDayAfterTheLatestEvent(@TempDir Path dir) throws Exception {
    Path input = csv(dir.resolve("in"), "a.csv", GOOD);
    Path out = dir.resolve("out");
    assertEquals(0, main(run(input, out, "--steps", "ingest")).code());
    // No --run-date: the run date comes from the events table (the latest event is on 2024-03-02).
    Result r = main("run", "--input", input.toString(), "--output", out.toString(), "--steps", "sessionize");
    assertEquals(0, r.code(), r.stderr());
    assertEquals(List.of("ingest|2024-04-01", "sessionize|2024-03-03"), TestSupport.rows(spark.read().format("delta")
        .load(out.resolve("run_log").toString()).select(functions.col(RunLogTable.STEP), functions.col(io.lifecycle.tables.Columns.RUN_DATE).cast("string"))));
  }

  @Test
  void aRunKilledBetweenStepsResumesWithSteps(@TempDir Path dir) throws Exception {
    Path input = csv(dir.resolve("in"), "a.csv", GOOD);
    Path out = dir.resolve("out");
    assertEquals(0, main(run(input, out, "--steps", "ingest")).code());
    // Killed after ingest: the lock stays behind, naming a process of this host that has ended.
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    Files.writeString(out.resolve("_lifecycle_run.lock"), "attempt killed (pid " + dead.pid() + "@"
        + InetAddress.getLocalHost().getHostName() + ") since 2024-04-01T02:00:00Z\n");

    Result resumed = main(run(input, out, "--steps", "sessionize,journeys"));
    assertEquals(0, resumed.code(), resumed.stderr());
    assertEquals(List.of("ingest|SUCCEEDED", "journeys|SUCCEEDED", "sessionize|SUCCEEDED"), TestSupport.rows(
        spark.read().format("delta").load(out.resolve("run_log").toString()).select(RunLogTable.STEP, RunLogTable.STATUS)));
    assertEquals(2, spark.read().format("delta").load(out.resolve("customer_journeys").toString()).count());
    assertFalse(Files.exists(out.resolve("_lifecycle_run.lock")));
  }
}
