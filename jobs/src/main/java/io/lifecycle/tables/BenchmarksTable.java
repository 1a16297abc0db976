package io.lifecycle.tables;

import org.apache.spark.sql.types.DataTypes;

/** {@code benchmarks}: one row per measured step of a benchmark run (written by bin/benchmark only). */
public final class BenchmarksTable {
  private BenchmarksTable() {}

  public static final String BENCHMARK_ID = "benchmark_id";
  public static final String EVENTS = "events";
  public static final String ENGINE = "engine";
  public static final String STEP = "step";
  public static final String WALL_SECONDS = "wall_seconds";
  public static final String EVENTS_PER_SECOND = "events_per_second";
  public static final String PEAK_DRIVER_HEAP_BYTES = "peak_driver_heap_bytes";
  public static final String SPILL_BYTES = "spill_bytes";
  public static final String SHUFFLE_BYTES = "shuffle_bytes";
  public static final String ENVIRONMENT = "environment";
  public static final String MEASURED_AT = "measured_at";

  public static final TableDef DEF =
      TableDef.builder("benchmarks", "Benchmark measurements per step and engine (bin/benchmark), append-only.")
          .required(BENCHMARK_ID, DataTypes.StringType, "Identifier of the benchmark run.")
          .required(EVENTS, DataTypes.LongType, "Generated input events.")
          .required(ENGINE, DataTypes.StringType, "spark, or duckdb for the reference implementation.")
          .required(STEP, DataTypes.StringType, "Pipeline step (or reference query) measured.")
          .required(WALL_SECONDS, DataTypes.DoubleType, "Wall-clock seconds of the step.")
          .optional(EVENTS_PER_SECOND, DataTypes.DoubleType, "Input events divided by wall seconds.")
          .optional(PEAK_DRIVER_HEAP_BYTES, DataTypes.LongType, "Peak used heap of the driver JVM during the step.")
          .optional(SPILL_BYTES, DataTypes.LongType, "Bytes spilled to memory and disk by the step's tasks.")
          .optional(SHUFFLE_BYTES, DataTypes.LongType, "Shuffle bytes written by the step's tasks.")
          .required(ENVIRONMENT, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), "Cores, memory and versions of the machine that measured.")
          .required(MEASURED_AT, DataTypes.TimestampType, "When the step was measured, UTC.")
          .writeMode(WriteMode.APPEND)
          .build();
}
