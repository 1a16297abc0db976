package io.lifecycle.sessions;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.SessionsTable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sessionize}: {@code events} to {@code sessions}. A full run recomputes the table from every
 * event before the run's as-of instant, so a late event that lands in an old session updates it, and a
 * rerun of the same date gives the same rows and ids.
 *
 * <p>An incremental run re-sessionizes only the affected customers: those with events ingested since
 * the previous successful sessionize run, or timed after its as-of instant. Each is re-sessionized from
 * their reopen point ({@link #reopenPoints}), the start of the stored gap session that the earliest
 * changed event can reach, which gives exactly the sessions a full run gives (an event within the gap
 * of an open session continues it; a late event merges into the right one) while reading only recent
 * partitions of {@code events} and {@code sessions}. Only the sessions that differ from the stored ones
 * are deleted or inserted, in one MERGE.
 */
public final class SessionizeStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(SessionizeStep.class);
  private static final String CONTENT = "_content";
  static final String CHANGED_FROM = "_changed_from";
  static final String REOPEN_AT = "_reopen_at";
  private static final String PREVIOUS_END = "_previous_end";
  private static final String GAP_SESSION_START = "_gap_session_start";

  @Override
  public String name() {
    return "sessionize";
  }

  @Override
  public StepResult run(RunContext ctx) {
    LifecycleConfig config = ctx.config();
    Sessionizer sessionizer = new Sessionizer(
        config.sessions().inactivityGap(), config.sessions().maxDuration(), config.stages());
    Dataset<Row> events = ctx.eventsAsOf();
    LocalDate previous = config.incremental().enabled() ? ctx.previousSuccess(name()) : null;
    long written;
    if (previous != null && ctx.store().exists(SessionsTable.DEF)) {
      ctx.requireNoLaterRun();
      written = mergeAffected(ctx, sessionizer, events, previous, config.sessions());
    } else {
      if (config.incremental().enabled()) {
        LOG.info("no earlier successful sessionize run: sessionizing every event");
      }
      written = ctx.store().write(SessionsTable.DEF, sessionizer.sessionize(events), ctx.runDate());
    }
    // The sessions' event counts add up to the events read: no extra scan of the events table.
    Row sum = ctx.store().read(SessionsTable.DEF).agg(sum(col(SessionsTable.EVENT_COUNT))).head();
    long input = sum.isNullAt(0) ? 0 : sum.getLong(0);
    return new StepResult(input, Map.of(SessionsTable.DEF.name(), written), 0, ctx.asOf());
  }

  private static long mergeAffected(RunContext ctx, Sessionizer sessionizer, Dataset<Row> events, LocalDate previous,
      LifecycleConfig.Sessions settings) {
    Duration gap = settings.inactivityGap();
    // A late first purchase restages only events after it, so the earliest changed event bounds what
    // can change.
    Dataset<Row> changedFrom = RunContext.changesAfterRunOf(events, previous)
        .groupBy(col(Columns.CUSTOMER_ID)).agg(min(col(Columns.EVENT_TIME)).as(CHANGED_FROM))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> reopen = null;
    try {
      // One row: the earliest changed event bounds the stored sessions the reopen points need.
      Row firstChange = changedFrom.agg(min(col(CHANGED_FROM))).head();
      if (firstChange.isNullAt(0)) {
        LOG.info("no events since the previous sessionize run: sessions unchanged");
        return 0;
      }
      Dataset<Row> storedAll = ctx.store().read(SessionsTable.DEF);
      reopen = reopenPointsFromRecent(storedAll, changedFrom, firstChange.getAs(0), settings)
          .persist(StorageLevel.MEMORY_AND_DISK());
      // One row: the earliest reopen point prunes both tables' date partitions.
      Row bound = reopen.agg(min(col(REOPEN_AT))).head();
      Column fromDate = lit(java.sql.Date.valueOf(bound.<Instant>getAs(0).atZone(ZoneOffset.UTC).toLocalDate()));
      Dataset<Row> reopenedEvents = events.where(col(Columns.EVENT_DATE).geq(fromDate))
          .join(reopen, Columns.CUSTOMER_ID)
          .where(col(Columns.EVENT_TIME).geq(col(REOPEN_AT)))
          .drop(REOPEN_AT);
      // The affected customers' sessions from their reopen points, recomputed and as stored.
      Dataset<Row> fresh = withContent(SessionsTable.DEF.conform(sessionizer.sessionize(reopenedEvents)))
          .localCheckpoint(true, StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> stored = withContent(storedAll.where(col(SessionsTable.SESSION_DATE).geq(fromDate))
          .join(reopen, Columns.CUSTOMER_ID)
          .where(col(SessionsTable.SESSION_START).geq(col(REOPEN_AT)))
          .drop(REOPEN_AT))
          .localCheckpoint(true, StorageLevel.MEMORY_AND_DISK());
      // Both sides are read twice (stale and added, the MERGE's source), so each is computed once here,
      // and checkpointed rather than cached: a cache was used neither by the MERGE nor, for the new
      // sessions, by the join of the two (its sides share an ancestry, which the analyzer rewrites), so
      // the sessionizing and the reopen points ran again in each (90 Spark jobs for a day's 11 sessions
      // in IncrementalRunTest; 40 checkpointed). The checkpoints' blocks go with the frames (Spark's
      // context cleaner), as the boundary customers' checkpoint in reopenPointsFromRecent does.
      Dataset<Row> stale = stored.join(fresh.select(CONTENT), CONTENT, "left_anti")
          .select(col(Columns.CUSTOMER_ID), col(SessionsTable.SESSION_ID), col(SessionsTable.SESSION_DATE))
          .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        Dataset<Row> added = fresh.join(stored.select(CONTENT), CONTENT, "left_anti");
        // One row; the stale sessions' earliest date bounds the partitions the MERGE rewrites.
        Row earliest = stale.agg(min(col(SessionsTable.SESSION_DATE))).head();
        String prune = earliest.isNullAt(0) ? "false"
            : "t." + SessionsTable.SESSION_DATE + " >= DATE'" + earliest.<LocalDate>getAs(0) + "'";
        return ctx.store().merge(SessionsTable.DEF, added.drop(CONTENT), stale, null, prune);
      } finally {
        stale.unpersist();
      }
    } finally {
      if (reopen != null) {
        reopen.unpersist();
      }
      changedFrom.unpersist();
    }
  }

  /**
   * {@link #reopenPoints} reading only the recent stored sessions, so a day's work does not grow with
   * the history. Every session a reopen point can start from ends within the gap of a changed event, so
   * it starts after {@code earliest - gap - max_duration}; a day before that, on date {@code d0}, the
   * recent sessions begin. The gap sessions found among them are those of all history, unless a session
   * before {@code d0} chains into them: that needs a recent session starting within {@code gap +
   * max_duration} of {@code d0}'s start (an older session ends at most max_duration after it starts). The
   * customers with such a session, few and a day away from any change, get their points from all their
   * sessions (counted first, so a day without them reads no old session).
   */
  static Dataset<Row> reopenPointsFromRecent(Dataset<Row> stored, Dataset<Row> changedFrom, Instant earliest,
      LifecycleConfig.Sessions settings) {
    Duration gap = settings.inactivityGap();
    Duration reach = gap.plus(settings.maxDuration());
    LocalDate d0 = earliest.minus(reach).minus(Duration.ofDays(1)).atZone(ZoneOffset.UTC).toLocalDate();
    Dataset<Row> recent = stored.where(col(SessionsTable.SESSION_DATE).geq(lit(java.sql.Date.valueOf(d0))));
    Dataset<Row> atBoundary = recent
        .where(col(SessionsTable.SESSION_START).lt(lit(d0.atStartOfDay(ZoneOffset.UTC).toInstant().plus(reach))))
        .select(col(Columns.CUSTOMER_ID)).distinct()
        .join(changedFrom.select(col(Columns.CUSTOMER_ID)), Columns.CUSTOMER_ID, "left_semi")
        .localCheckpoint();
    Dataset<Row> points = reopenPoints(recent, changedFrom.join(atBoundary, Columns.CUSTOMER_ID, "left_anti"), gap);
    if (atBoundary.isEmpty()) {
      return points;
    }
    return points.unionByName(reopenPoints(stored.join(atBoundary, Columns.CUSTOMER_ID, "left_semi"),
        changedFrom.join(atBoundary, Columns.CUSTOMER_ID, "left_semi"), gap));
  }

  /**
   * Where each affected customer's sessions must be recomputed from (pure): the start of the stored gap
   * session (a run of sessions, max-length pieces included, with no gap above the inactivity gap) that
   * holds the first stored session ending within the gap of the customer's earliest changed event, or
   * that event itself when it comes first. Events before that point cannot change: the event before it
   * is more than the gap earlier (so no new event joins its session), and max-length pieces stay aligned
   * to the gap session's start, which is unchanged.
   *
   * @param stored rows shaped as {@code sessions} (customer_id, session_start, session_end)
   * @param changedFrom (customer_id, {@value #CHANGED_FROM}): each affected customer's earliest changed event
   * @return (customer_id, {@value #REOPEN_AT}), one row per affected customer
   */
  static Dataset<Row> reopenPoints(Dataset<Row> stored, Dataset<Row> changedFrom, Duration gap) {
    long gapMicros = gap.toNanos() / 1_000;
    Column start = col(SessionsTable.SESSION_START);
    Column end = col(SessionsTable.SESSION_END);
    WindowSpec byStart = Window.partitionBy(col(Columns.CUSTOMER_ID)).orderBy(start);
    Column startsGapSession = col(PREVIOUS_END).isNull()
        .or(unix_micros(start).minus(unix_micros(col(PREVIOUS_END))).gt(gapMicros));
    Dataset<Row> reached = stored.select(col(Columns.CUSTOMER_ID), start, end)
        .join(changedFrom, Columns.CUSTOMER_ID)
        .withColumn(PREVIOUS_END, lag(end, 1).over(byStart))
        .withColumn(GAP_SESSION_START, last(when(startsGapSession, start), true)
            .over(byStart.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
        .where(unix_micros(end).geq(unix_micros(col(CHANGED_FROM)).minus(gapMicros)))
        .groupBy(col(Columns.CUSTOMER_ID)).agg(min(col(GAP_SESSION_START)).as(GAP_SESSION_START));
    // least() skips the null of a customer with no such stored session.
    return changedFrom.join(reached, Columns.CUSTOMER_ID, "left_outer")
        .select(col(Columns.CUSTOMER_ID), least(col(CHANGED_FROM), col(GAP_SESSION_START)).as(REOPEN_AT));
  }

  /**
   * Adds a hash of every column (the map with its entries sorted), so unchanged sessions are recognised
   * and left alone. The content includes the id, which includes the customer. Both sides must have the
   * table's types (a long and a double of equal value render differently).
   */
  private static Dataset<Row> withContent(Dataset<Row> sessions) {
    Column[] parts = SessionsTable.DEF.columnNames().stream()
        .map(c -> c.equals(SessionsTable.EVENT_TYPE_COUNTS) ? array_sort(map_entries(col(c))).as(c) : col(c))
        .toArray(Column[]::new);
    return sessions.withColumn(CONTENT, sha2(to_json(struct(parts)), 256));
  }
}
