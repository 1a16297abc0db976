package io.lifecycle;

import io.lifecycle.spark.SparkSessions;
import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession every test shares (starting Spark costs seconds, not millis).
 *
 * <p>Expressions are evaluated by Spark's interpreter rather than compiled
 * ({@code spark.sql.codegen.factoryMode = NO_CODEGEN}, no whole-stage code generation), as Spark's own
 * suites run one of their modes: on inputs of a few rows, generating and JIT-compiling code for each
 * of the suite's thousands of queries costs more than running them (the journeys tests: 122 s compiled,
 * 63 s interpreted). The results are the same by Spark's contract; the packaged job, run by the
 * integration tests ({@code *IT}) on the sample as users run it, keeps code generation on.
 */
public final class SharedSpark {
  private static SparkSession spark;

  private SharedSpark() {}

  public static synchronized SparkSession get() {
    if (spark == null) {
      spark =
          SparkSessions.builder("lifecycle-tests")
              .master("local[2]")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/lifecycle-test-warehouse")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              .config("spark.ui.showConsoleProgress", "false")
              .config("spark.sql.codegen.wholeStage", "false")
              .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
              .getOrCreate();
    }
    return spark;
  }
}
