package io.lifecycle.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.TableDef;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What both engines of a {@link StepReference} read: the generated raw events (Parquet, the columns a
 * user's file has, as strings), the same events typed and staged (Parquet: customer_id, event_time,
 * event_type, amount, channel, stage; only events before the run date are the run's), and the sessions
 * Spark computed from them (Parquet files in one folder, laid out as the sessions table: ordered by
 * session date; checked equal to DuckDB's). Also the few helpers every reference needs, so each states
 * them once: the as-of instant, the run's typed events, a table written as the Delta writer shapes it,
 * and SQL literals.
 */
record ReferenceInputs(SparkSession spark, LifecycleConfig config, LocalDate runDate, Path rawEvents,
    List<String> typedEventFiles, Path sessions) {

  /** The run's as-of instant: the start of the run date, UTC (as {@code RunContext.asOf}). */
  Instant asOf() {
    return runDate.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
  }

  /** The as-of instant in epoch microseconds: DuckDB compares times as numbers, whatever zone it reads. */
  long asOfMicros() {
    return asOf().getEpochSecond() * 1_000_000L;
  }

  /** The typed events before the as-of instant, with the columns the analysis steps read. */
  Dataset<Row> runEvents() {
    return spark.read().parquet(typedEventFiles.toArray(String[]::new))
        .where(col(Columns.EVENT_TIME).lt(lit(java.sql.Timestamp.from(asOf()))))
        .select(Columns.CUSTOMER_ID, Columns.EVENT_TIME, Columns.EVENT_TYPE, Columns.AMOUNT, Columns.CHANNEL);
  }

  /** The configured purchase event types as a SQL list body: {@code 'purchase', 'repeat'}. */
  String purchaseTypesSql() {
    return quotedList(config.stages().purchaseEventTypes());
  }

  /** A table's rows as the Delta writer shapes them (its columns, in order, of its types), as Parquet in {@code dir/<table>}. */
  static void writeTable(Dataset<Row> rows, TableDef table, Path dir) {
    table.conform(rows).write().mode("overwrite").parquet(dir.resolve(table.name()).toString());
  }

  /** A SQL string literal. */
  static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /** Values as a sorted, comma-separated list of SQL string literals. */
  static String quotedList(Collection<String> values) {
    return values.stream().sorted().map(ReferenceInputs::quote).collect(Collectors.joining(", "));
  }

  /** Files as a DuckDB list literal: {@code ['a', 'b']}. */
  static String duckdbList(List<String> files) {
    return files.stream().map(f -> quote(f.replaceFirst("^file:", ""))).collect(Collectors.joining(", ", "[", "]"));
  }
}
