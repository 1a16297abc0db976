package io.lifecycle.pipeline;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.RunLogTable;
import org.apache.spark.sql.Row;
import io.lifecycle.io.DeltaStore;
import io.lifecycle.io.Locations;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * Everything a step needs about the current run, fixed before the first step runs. The run date is the
 * run's identity: results a step writes for a date replace what an earlier run of the same date wrote.
 * It is never null: a run without {@code --run-date} resolves it first, by one rule
 * ({@code cli.RunDates}). Beside that, a step may leave a small result for a later step of the same
 * run ({@link #remember}, {@link #recall}).
 */
public final class RunContext {
  private final SparkSession spark;
  private final LifecycleConfig config;
  private final DeltaStore store;
  private final String attemptId;
  private final List<String> stepsAskedFor;
  private final LocalDate runDate;
  private final Map<String, Object> remembered;

  /**
   * A run of {@code config}. Its paths are qualified here ({@link Locations#qualifyPaths}), relative ones
   * from the process's working directory, so every step, table, model and the report see one root.
   */
  public RunContext(SparkSession spark, LifecycleConfig config, LocalDate runDate) {
    this(spark, Locations.qualifyPaths(config, spark.sessionState().newHadoopConf(), Locations.workingDirectory()),
        Objects.requireNonNull(runDate, "run date"), UUID.randomUUID().toString(), List.of(),
        new java.util.concurrent.ConcurrentHashMap<>());
  }

  private RunContext(SparkSession spark, LifecycleConfig config, LocalDate runDate, String attemptId,
      List<String> stepsAskedFor, Map<String, Object> remembered) {
    this.spark = spark;
    this.config = config;
    this.store = new DeltaStore(spark, config.output());
    this.runDate = runDate;
    this.attemptId = attemptId;
    this.stepsAskedFor = List.copyOf(stepsAskedFor);
    this.remembered = remembered;
  }

  /**
   * Keeps a small result of this run (a fitted model's parameters) for a later step of the same run to
   * reuse instead of recomputing it from the same tables: in memory, for this run only, so it is never
   * stale (a later run, or a step run on its own, computes it again).
   */
  public void remember(String key, Object value) {
    remembered.put(key, Objects.requireNonNull(value, key));
  }

  /** What an earlier step of this run {@link #remember remembered} under {@code key}, if it did. */
  public <T> java.util.Optional<T> recall(String key, Class<T> type) {
    return java.util.Optional.ofNullable(remembered.get(key)).map(type::cast);
  }

  public SparkSession spark() {
    return spark;
  }

  public LifecycleConfig config() {
    return config;
  }

  public DeltaStore store() {
    return store;
  }

  public String attemptId() {
    return attemptId;
  }

  public LocalDate runDate() {
    return runDate;
  }

  /** Start of the run date, UTC: the run sees events strictly before it. */
  public Instant asOf() {
    return runDate().atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /**
   * The events the run sees: those before the start of the run date (later ones wait for a later run),
   * without the identity stitching's link-only events (input.identity.link_event_types), which are
   * not interactions.
   */
  public org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> eventsAsOf() {
    org.apache.spark.sql.Column seen = org.apache.spark.sql.functions.col(io.lifecycle.tables.Columns.EVENT_TIME)
        .lt(org.apache.spark.sql.functions.lit(java.sql.Timestamp.from(asOf())));
    List<String> links = config.input().stitchesIdentities() ? config.input().identity().linkEventTypes() : List.of();
    if (!links.isEmpty()) {
      seen = seen.and(org.apache.spark.sql.functions.not(
          org.apache.spark.sql.functions.col(io.lifecycle.tables.Columns.EVENT_TYPE).isin(links.toArray())));
    }
    return store.read(io.lifecycle.tables.EventsTable.DEF).where(seen);
  }

  /** The same run (date, attempt) with the steps the user named ({@code --steps}); empty for the default. */
  RunContext askingFor(List<String> steps) {
    return new RunContext(spark, config, runDate, attemptId, steps, remembered);
  }

  /** Whether the user named this step ({@code --steps train}), rather than running the default steps. */
  public boolean askedFor(String step) {
    return stepsAskedFor.contains(step);
  }

  /**
   * The latest run date before this run's on which {@code step} succeeded, from {@code run_log}; null
   * when there is none. Incremental steps start from it.
   */
  public LocalDate previousSuccess(String step) {
    if (!store.exists(RunLogTable.DEF)) {
      return null;
    }
    // One aggregate row: bounded.
    Row row = store.read(RunLogTable.DEF)
        .where(col(RunLogTable.STEP).equalTo(step).and(col(RunLogTable.STATUS).equalTo(RunLogTable.SUCCEEDED))
            .and(col(Columns.RUN_DATE).lt(lit(java.sql.Date.valueOf(runDate())))))
        .agg(max(col(Columns.RUN_DATE))).head();
    return row.isNullAt(0) ? null : row.<LocalDate>getAs(0);
  }

  /**
   * Incremental runs move forward: the tables hold the state as of the latest run, so an incremental run
   * for an earlier date would mix two as-of dates. A rerun of the latest date is fine.
   */
  public void requireNoLaterRun() {
    if (!store.exists(RunLogTable.DEF)) {
      return;
    }
    Row row = store.read(RunLogTable.DEF).where(col(RunLogTable.STATUS).equalTo(RunLogTable.SUCCEEDED))
        .agg(max(col(Columns.RUN_DATE))).head();
    LocalDate latest = row.isNullAt(0) ? null : row.<LocalDate>getAs(0);
    if (latest != null && latest.isAfter(runDate())) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "an incremental run for " + runDate()
          + " cannot follow the run of " + latest + "; rerun " + latest + ", or run --mode full to backfill");
    }
  }

  /**
   * Rows of {@code events} that the run of {@code date} could not have seen: ingested by a later run (run
   * ids sort as their dates), or timed at or after its as-of instant (stored earlier, within the future
   * tolerance, but not yet visible then). Incremental steps recompute the customers these belong to.
   */
  public static org.apache.spark.sql.Column eventsAfterRunOf(LocalDate date) {
    return col(Columns.INGEST_RUN_ID).gt(lit(runIdOf(date)))
        .or(col(Columns.EVENT_TIME).geq(lit(date.atStartOfDay(ZoneOffset.UTC).toInstant())));
  }

  /**
   * (customer_id, event_time) of every change since the run of {@code date} (pure): the events {@link
   * #eventsAfterRunOf} finds, and those a later stitch moved to another customer (a new identity link),
   * under both the customer they joined and the one they left ({@code stitched_from}), whose stored
   * results must lose them.
   */
  public static org.apache.spark.sql.Dataset<Row> changesAfterRunOf(org.apache.spark.sql.Dataset<Row> events, LocalDate date) {
    if (!java.util.Arrays.asList(events.columns()).contains(Columns.STITCH_RUN_ID)) {
      return events.where(eventsAfterRunOf(date)).select(col(Columns.CUSTOMER_ID), col(Columns.EVENT_TIME));
    }
    org.apache.spark.sql.Column moved = coalesce(col(Columns.STITCH_RUN_ID).gt(lit(runIdOf(date))), lit(false));
    org.apache.spark.sql.Dataset<Row> after = events.where(eventsAfterRunOf(date).or(moved));
    return after.select(col(Columns.CUSTOMER_ID), col(Columns.EVENT_TIME))
        .union(after.where(moved).select(col(Columns.STITCHED_FROM).as(Columns.CUSTOMER_ID), col(Columns.EVENT_TIME)));
  }

  public String runId() {
    return runIdOf(runDate());
  }

  /** The id of the run of a date; ids sort as their dates do. */
  public static String runIdOf(LocalDate date) {
    return "run_" + date.format(DateTimeFormatter.BASIC_ISO_DATE);
  }
}
