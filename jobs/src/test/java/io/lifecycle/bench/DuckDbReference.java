package io.lifecycle.bench;

import io.lifecycle.config.LifecycleConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

/**
 * The same sessionization and cohort retention written as DuckDB SQL over the same Parquet input: the
 * yardstick for Spark's wall time on one machine, and an independent check of the numbers.
 */
final class DuckDbReference {
  private final SparkSession spark;
  private final Path input;
  private final Path output;
  private final LifecycleConfig config;
  private final LocalDate runDate;
  private final Benchmark benchmark;

  DuckDbReference(SparkSession spark, Path input, Path output, LifecycleConfig config, LocalDate runDate, Benchmark benchmark) {
    this.spark = spark;
    this.input = input;
    this.output = output;
    this.config = config;
    this.runDate = runDate;
    this.benchmark = benchmark;
  }

  void run() {
    // Filled in with the sessions and cohorts definitions.
  }
}
