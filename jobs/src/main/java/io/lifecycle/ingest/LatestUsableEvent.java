package io.lifecycle.ingest;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.Columns;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The time of the latest input row that ingest would keep (parsed, valid, not skipped, not later than
 * {@code asOf} plus the future tolerance): what a run without {@code --run-date} takes its date from,
 * before any step runs. One aggregation over the input, judged by the same rules as ingest
 * ({@link EventNormalizer}).
 */
public final class LatestUsableEvent {
  private LatestUsableEvent() {}

  /** Empty when the input holds no usable row. */
  public static Optional<Instant> in(SparkSession spark, LifecycleConfig config, Instant asOf) {
    Row latest = new EventNormalizer(config.input(), config.stages(), config.quality(), asOf)
        .normalize(new RawEventReader(spark, config.input()).read())
        .where(col(EventNormalizer.REASON).isNull().and(not(col(EventNormalizer.SKIPPED))))
        // One aggregate row: bounded.
        .agg(max(col(Columns.EVENT_TIME))).head();
    return latest.isNullAt(0) ? Optional.empty() : Optional.of(latest.<Instant>getAs(0));
  }
}
