package io.lifecycle.ingest;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.Identifiers;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.RunLogTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.QuarantineTable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ingest}: raw input to the {@code events} and {@code events_quarantine} tables. Every row read
 * is accounted for: read = clean + duplicates + quarantined + skipped, checked before anything is
 * published. The quarantine is written first, so when the quarantined share breaches the configured
 * limit the user can see why, while {@code events} keeps its last good version.
 */
public final class IngestStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(IngestStep.class);

  @Override
  public String name() {
    return NAME;
  }

  /** The step's name (run_log.step). */
  public static final String NAME = RunLogTable.INGEST;

  /** Keys of run_log's output_rows for the ingest's duplicate and skipped input rows. */
  public static final String DUPLICATES = RunLogTable.INGEST_DUPLICATES;
  public static final String SKIPPED = RunLogTable.INGEST_SKIPPED;

  /** Row counts of one ingest, which always add up. */
  public record Counts(long read, long clean, long duplicates, long quarantined, long skipped) {
    public Counts {
      if (read != clean + duplicates + quarantined + skipped) {
        throw new IllegalStateException("ingest counts do not add up: read " + read + " != clean " + clean
            + " + duplicates " + duplicates + " + quarantined " + quarantined + " + skipped " + skipped);
      }
    }
  }

  @Override
  public StepResult run(RunContext ctx) {
    LifecycleConfig config = ctx.config();
    RawEventReader reader = new RawEventReader(ctx.spark(), config.input());
    Dataset<Row> raw = reader.read();
    Instant asOf = ctx.asOf();
    boolean incremental = config.incremental().enabled();
    if (incremental) {
      ctx.requireNoLaterRun();
    }
    // Run date D ingests the events that arrived on day D-1: those of D-1, or up to max_lateness older.
    Instant tooLateBefore = incremental
        ? asOf.minus(java.time.Duration.ofDays(1)).minus(config.incremental().maxLateness())
        : null;
    // Normalized rows feed three outputs (counts, quarantine, events): read the input once.
    Dataset<Row> normalized = new EventNormalizer(config.input(), config.stages(), config.quality(), asOf, tooLateBefore)
        .normalize(raw)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // The counts are one row, bounded by design.
      Row counts0 = normalized.agg(
              count(lit(1)).as("read"),
              sum(when(col(EventNormalizer.SKIPPED), 1).otherwise(0)).as("skipped"),
              sum(when(col(EventNormalizer.REASON).isNotNull(), 1).otherwise(0)).as("quarantined"),
              max(when(col(EventNormalizer.REASON).isNull().and(not(col(EventNormalizer.SKIPPED))), col(Columns.EVENT_TIME))).as("latest"))
          .head();
      // Bounded by the number of input files.
      List<String> unreadable = reader.skipsCorruptFiles()
          ? reader.unreadableFiles(raw, new java.util.HashSet<>(normalized.select(Columns.SOURCE_FILE).distinct()
              .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()))
          : List.of();
      long read = counts0.getLong(0) + unreadable.size();
      if (read == 0) {
        throw new LifecycleException(ExitCode.INPUT_UNAVAILABLE, "Input " + config.input().path() + " holds no rows");
      }
      long skipped = asLong(counts0.get(1));
      long quarantined = asLong(counts0.get(2)) + unreadable.size();
      Instant latest = counts0.getAs(3);
      Dataset<Row> quarantineRows = quarantine(normalized, ctx);
      if (!unreadable.isEmpty()) {
        List<Row> files = unreadable.stream().map(f -> RowFactory.create(ctx.runDate(), ctx.runId(),
            QuarantineReason.UNREADABLE_FILE.code(), "the whole file could not be read", null, f)).toList();
        quarantineRows = quarantineRows.unionByName(ctx.spark().createDataFrame(files, quarantineRows.schema()));
      }
      long quarantineWritten = ctx.store().write(QuarantineTable.DEF, quarantineRows, ctx.runDate());
      if (quarantineWritten != quarantined) {
        throw new IllegalStateException("quarantine wrote " + quarantineWritten + " rows, expected " + quarantined);
      }
      double share = (double) quarantined / read;
      if (share > config.quality().maxQuarantineShare()) {
        throw new LifecycleException(ExitCode.DATA_QUALITY, String.format(
            "%d of %d rows (%.1f%%) were quarantined, above quality.max_quarantine_share = %.1f%%; reasons are in table %s for run date %s",
            quarantined, read, 100 * share, 100 * config.quality().maxQuarantineShare(), QuarantineTable.DEF.name(), ctx.runDate()));
      }
      Dataset<Row> clean = normalized.where(col(EventNormalizer.REASON).isNull().and(not(col(EventNormalizer.SKIPPED))));
      long written = incremental ? mergeNew(ctx, clean)
          : ctx.store().write(EventsTable.DEF, CanonicalEvents.of(clean, config, ctx.runId()), ctx.runDate());
      long cleanRows = read - skipped - quarantined;
      Counts counts = new Counts(read, written, cleanRows - written, quarantined, skipped);
      LOG.info("ingest ({}): read {}, clean {}, duplicates {}, quarantined {}, skipped {}",
          incremental ? "incremental" : "full",
          counts.read(), counts.clean(), counts.duplicates(), counts.quarantined(), counts.skipped());
      // Beside the rows per table, the two counts no table holds, so run_log (and the report) has all four.
      return new StepResult(read, Map.of(EventsTable.DEF.name(), written, QuarantineTable.DEF.name(), quarantined,
          DUPLICATES, counts.duplicates(), SKIPPED, counts.skipped()), quarantined, latest);
    } finally {
      normalized.unpersist();
    }
  }

  /**
   * Incremental ingest: merges the run's new events into {@code events} in one commit and returns how
   * many were new. A rerun of the run date first drops what its earlier attempt inserted, so it is
   * idempotent in every dedup mode and picks up a corrected input.
   */
  private static long mergeNew(RunContext ctx, Dataset<Row> clean) {
    LifecycleConfig config = ctx.config();
    String runId = ctx.runId();
    Dataset<Row> fresh = CanonicalEvents.deduplicated(clean, config);
    Dataset<Row> stored = ctx.store().exists(EventsTable.DEF) ? ctx.store().read(EventsTable.DEF)
        : ctx.spark().createDataFrame(List.of(), EventsTable.DEF.schema());
    Column ownRows = col(Columns.INGEST_RUN_ID).equalTo(lit(runId));
    // Most files hold one run's rows, so Delta's file statistics skip nearly all of them here.
    boolean rerun = !stored.where(ownRows).limit(1).isEmpty();
    // Only the stored history of the day's customers is needed; persisted as three frames read it.
    Dataset<Row> history = stored.where(not(ownRows))
        .join(fresh.select(col(Columns.CUSTOMER_ID)).distinct(), Columns.CUSTOMER_ID, "left_semi")
        .persist(StorageLevel.MEMORY_AND_DISK());
    // Materialized before use: the change reads it three times, and concurrent stages of one query
    // would each scan the stored events again to fill a cache that is not built yet (8 scans at 10M).
    history.count();
    IncrementalEvents change = new IncrementalEvents(history, fresh, config, runId);
    Dataset<Row> added = EventsTable.DEF.conform(change.added()).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> restagedCustomers = change.restagedCustomers().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = added.count();
      // Usually none (in-order data): then the commit is the day's rows alone, and neither the MERGE nor
      // its source recomputes the first purchases over the history again.
      boolean restages = restagedCustomers.count() > 0;
      Dataset<Row> inserts = restages ? added.unionByName(EventsTable.DEF.conform(change.restaged())) : added;
      String earlierAttempt = rerun ? Identifiers.quote(Columns.INGEST_RUN_ID) + " = '" + runId + "'" : null;
      ctx.store().merge(EventsTable.DEF, inserts, restagedCustomers, earlierAttempt, null);
      return count;
    } finally {
      restagedCustomers.unpersist();
      added.unpersist();
      history.unpersist();
    }
  }

  /** The quarantined rows of a normalized frame in the table's shape, for the run of {@code ctx} (pure). */
  public static Dataset<Row> quarantine(Dataset<Row> normalized, RunContext ctx) {
    return normalized.where(col(EventNormalizer.REASON).isNotNull())
        .select(
            lit(java.sql.Date.valueOf(ctx.runDate())).as(Columns.RUN_DATE),
            lit(ctx.runId()).as(Columns.RUN_ID),
            col(EventNormalizer.REASON).as(QuarantineTable.REASON),
            col(EventNormalizer.DETAIL).as(QuarantineTable.DETAIL),
            // A raw row holds the raw customer id: not kept when ids are pseudonymized.
            (ctx.config().privacy().pseudonymize() ? lit(null).cast("string") : col(EventNormalizer.RAW_RECORD))
                .as(QuarantineTable.RAW_RECORD),
            col(Columns.SOURCE_FILE));
  }

  private static long asLong(Object value) {
    return value == null ? 0L : ((Number) value).longValue();
  }

  static LocalDate dateOf(Instant instant) {
    return instant.atZone(ZoneOffset.UTC).toLocalDate();
  }
}
