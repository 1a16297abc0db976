package io.lifecycle.cli;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.ingest.LatestUsableEvent;
import io.lifecycle.io.DeltaStore;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.QuarantineTable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The run date, resolved once before any step, by one rule: {@code --run-date} when given; otherwise the
 * day (UTC) after the latest event the run will see, which is the latest usable input row when the run
 * ingests and the latest row of {@code events} when it does not. Every step then reads the same date
 * from the immutable {@link io.lifecycle.pipeline.RunContext}.
 */
public final class RunDates {
  private RunDates() {}

  /** The run date of a run whose date was not given, ingesting its input first or not. */
  public static LocalDate resolve(SparkSession spark, LifecycleConfig config, boolean ingests) {
    if (ingests) {
      Instant latest = LatestUsableEvent.in(spark, config, Instant.now()).orElseThrow(() -> new LifecycleException(
          ExitCode.DATA_QUALITY, "Input " + config.input().path() + " holds no usable event to take the run date from;"
              + " give --run-date to ingest it and see the reasons in " + QuarantineTable.DEF.name()));
      return latest.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1);
    }
    DeltaStore store = new DeltaStore(spark, config.output());
    // One row back, bounded. Not max(event_date) itself: Delta answers a bare max of a date column from its file
    // statistics and then fails on java.time dates (delta-io/delta#4201), so the day is added first.
    Row row = store.read(EventsTable.DEF).agg(max(date_add(col(Columns.EVENT_DATE), 1))).head();
    if (row.isNullAt(0)) {
      throw new LifecycleException(ExitCode.INPUT_UNAVAILABLE, "Table events is empty: nothing to compute a run date from");
    }
    return row.getAs(0);
  }
}
