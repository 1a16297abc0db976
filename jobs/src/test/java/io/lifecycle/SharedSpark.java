package io.lifecycle;

import io.lifecycle.spark.ShufflePartitions;
import io.lifecycle.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark of the test JVM (starting Spark costs seconds, not millis), with two sessions on it.
 *
 * <p>{@link #get()}, the unit tests' session: expressions are evaluated by Spark's interpreter rather than
 * compiled ({@code spark.sql.codegen.factoryMode = NO_CODEGEN}, no whole-stage code generation), as Spark's
 * own suites run one of their modes: on inputs of a few rows, generating and JIT-compiling code for each
 * of the suite's thousands of queries costs more than running them (the journeys tests: 122 s compiled,
 * 63 s interpreted). The same reasoning, measured on three of the heaviest classes together
 * ({@code IncrementalRunTest}, {@code JourneysStepTest}, {@code ModelsTest}; one run each), sets the rest:
 * one shuffle partition and no adaptive execution (a shuffle's second task and the re-planning after each
 * stage cost more than the work: 273 s and 453 CPU-seconds before, 249 s and 402 after); no Delta data
 * skipping (the skipping predicates Delta builds over the file statistics before each scan of a table of
 * one or two files; the file list itself stays a Spark query over the log's state: 234 s and 392); a Delta checkpoint every 100 commits instead of 10 (a checkpoint is a Spark job of its own,
 * and a test's tables take tens of commits: 211 s and 351); the UI's plan description in Spark's simple
 * form instead of the formatted one (197 s and 333). The results are the same by Spark's and Delta's
 * contracts; {@link #withDeltaDefaults()} keeps Delta's skipping and checkpoints for the tests of those,
 * and {@link #launcher()} keeps the job's own settings.
 *
 * <p>{@link #launcher()}, the integration tests' session: configured as {@code bin/lifecycle} configures
 * its own on this machine ({@link SparkSessions#localDefaults}, and nothing the job chooses for itself fixed
 * here: shuffle partitions, expression evaluation), so a command those tests run through the job's entry
 * point in this JVM ({@code InJvmCommand}) computes what the same command computes in its own process.
 * A session's SQL settings are its own: the two run side by side on one SparkContext.
 */
public final class SharedSpark {
  private static SparkSession unit;
  private static SparkSession launcher;
  private static SparkSession deltaDefaults;

  private SharedSpark() {}

  /** The unit tests' session, active in the calling thread. */
  public static synchronized SparkSession get() {
    if (unit == null) {
      // Master local[2]: the launcher's local[*] on this 2-core machine, and the same everywhere else.
      unit = SparkSessions.builder("lifecycle-tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/lifecycle-test-warehouse")
          .config("spark.ui.showConsoleProgress", "false")
          .config("spark.default.parallelism", "2")
          .getOrCreate();
      // Set on this session, not in the builder (the SparkContext's settings): the launcher's session, a new
      // session of the same context, then starts from Spark's defaults instead of inheriting these.
      forTinyInputs(unit, true);
    }
    // Active in the calling thread too, as in a process's main thread, whichever thread built it: with the
    // session built by a background thread, the test thread's reads and the commands run there got dates
    // as java.sql.Date, not the java.time values the session asks for.
    SparkSession.setActiveSession(unit);
    return unit;
  }

  /**
   * The unit tests' session but with Delta's own data skipping and checkpoints, active in the calling
   * thread: for the tests of what those do (a read that skips the files of other dates, the log's layout).
   */
  public static synchronized SparkSession withDeltaDefaults() {
    if (deltaDefaults == null) {
      deltaDefaults = get().newSession();
      forTinyInputs(deltaDefaults, false);
    }
    SparkSession.setActiveSession(deltaDefaults);
    return deltaDefaults;
  }

  /** The settings described above; {@code skipDeltaWork} false keeps Delta's data skipping and checkpoints. */
  private static void forTinyInputs(SparkSession session, boolean skipDeltaWork) {
    session.conf().set("spark.sql.shuffle.partitions", "1");
    session.conf().set("spark.databricks.delta.snapshotPartitions", "1");
    session.conf().set("spark.sql.codegen.wholeStage", "false");
    session.conf().set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
    session.conf().set("spark.sql.adaptive.enabled", "false");
    session.conf().set("spark.sql.ui.explainMode", "simple");
    if (skipDeltaWork) {
      session.conf().set("spark.databricks.delta.stats.skipping", "false");
      session.conf().set("spark.databricks.delta.properties.defaults.checkpointInterval", "100");
    }
  }

  /**
   * The session {@code bin/lifecycle} builds, active in the calling thread: a command run through the job's
   * entry point here ({@code SparkSessions.builder(..).getOrCreate()}) finds and uses it.
   */
  public static synchronized SparkSession launcher() {
    if (launcher == null) {
      SparkSession base = get();
      launcher = base.newSession();
      // What SparkSessions.builder adds on a local master (bin/lifecycle's spark.master), for this machine.
      java.util.Map<String, String> local = SparkSessions.localDefaults(Runtime.getRuntime().availableProcessors());
      local.forEach(launcher.conf()::set);
      launcher.conf().set(ShufflePartitions.LOCAL_BASE, local.get("spark.sql.shuffle.partitions"));
      // The tests' own reads are of the sample's small tables: interpreted, as the job chooses for a small
      // input (a command run in this JVM chooses again for its events, as in its own process).
      io.lifecycle.spark.ExpressionEvaluation.fitTo(launcher, 0L);
    }
    SparkSession.setActiveSession(launcher);
    return launcher;
  }
}
