package io.lifecycle.bench;

import io.lifecycle.config.LifecycleConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * What both engines of a {@link StepReference} read: the generated raw events (Parquet, the columns a
 * user's file has, as strings), the same events typed and staged (Parquet: customer_id, event_time,
 * event_type, amount, channel, stage; only events before the run date are the run's), and the sessions
 * Spark computed from them (Parquet files in one folder, laid out as the sessions table: ordered by
 * session date; checked equal to DuckDB's).
 */
record ReferenceInputs(SparkSession spark, LifecycleConfig config, LocalDate runDate, Path rawEvents,
    List<String> typedEventFiles, Path sessions) {

  /** The run's as-of instant in epoch microseconds (the start of the run date, UTC). */
  long asOfMicros() {
    return runDate.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
  }

  /** Files as a DuckDB list literal: {@code ['a', 'b']}. */
  static String duckdbList(List<String> files) {
    return files.stream().map(f -> "'" + f.replaceFirst("^file:", "").replace("'", "''") + "'")
        .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
  }
}
