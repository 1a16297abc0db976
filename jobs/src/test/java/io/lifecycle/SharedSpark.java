package io.lifecycle;

import io.lifecycle.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession every test of a JVM shares (starting Spark costs seconds, not millis).
 *
 * <p>Unit tests: expressions are evaluated by Spark's interpreter rather than compiled
 * ({@code spark.sql.codegen.factoryMode = NO_CODEGEN}, no whole-stage code generation), as Spark's own
 * suites run one of their modes: on inputs of a few rows, generating and JIT-compiling code for each
 * of the suite's thousands of queries costs more than running them (the journeys tests: 122 s compiled,
 * 63 s interpreted). The results are the same by Spark's contract. Two shuffle partitions: tiny inputs.
 *
 * <p>Integration tests ({@value #AS_LAUNCHER} set, with {@code spark.master}, by the failsafe plugin): the
 * session {@code bin/lifecycle} builds, with nothing the job chooses for itself fixed here (shuffle
 * partitions, expression evaluation), so a command those tests run through the job's entry point in this
 * JVM ({@code InJvmCommand}) computes exactly what the same command computes in its own process.
 */
public final class SharedSpark {
  private static SparkSession spark;

  private SharedSpark() {}

  /** System property: build the session as the launcher does. */
  public static final String AS_LAUNCHER = "lifecycle.tests.launcherSession";

  public static synchronized SparkSession get() {
    if (spark == null) {
      boolean asLauncher = Boolean.getBoolean(AS_LAUNCHER);
      SparkSession.Builder builder = SparkSessions.builder(asLauncher ? "lifecycle" : "lifecycle-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/lifecycle-test-warehouse")
          .config("spark.ui.showConsoleProgress", "false");
      if (!asLauncher) {
        builder.master("local[2]")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            .config("spark.databricks.delta.snapshotPartitions", "2")
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.sql.codegen.factoryMode", "NO_CODEGEN");
      }
      spark = builder.getOrCreate();
      if (asLauncher) {
        // The tests' own reads are of the sample's small tables: interpreted, as the job chooses for a
        // small input (a command run in this JVM chooses again for its events, as in its own process).
        io.lifecycle.spark.ExpressionEvaluation.fitTo(spark, 0L);
      }
    }
    // Active in the calling thread too, as in a process's main thread, whichever thread built it: with the
    // session built by a background command (ReadmeCommandsIT's CDNOW run), the test thread's reads and
    // the commands run there got dates as java.sql.Date, not the java.time values the session asks for.
    SparkSession.setActiveSession(spark);
    return spark;
  }
}
