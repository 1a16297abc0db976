package io.lifecycle.sessions;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.SessionsTable;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sessionize}: {@code events} to {@code sessions}. A full run recomputes the table from every
 * event before the run's as-of instant, so a late event that lands in an old session updates it, and a
 * rerun of the same date gives the same rows and ids.
 *
 * <p>An incremental run re-sessionizes only the affected customers: those with events ingested since
 * the previous successful sessionize run, or timed after its as-of instant. Each is re-sessionized
 * over their whole history, which gives exactly the sessions a full run gives (an event within the gap
 * of an open session continues it; a late event merges into the right one), and only the sessions that
 * differ from the stored ones are deleted or inserted, in one MERGE.
 */
public final class SessionizeStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(SessionizeStep.class);
  private static final String CONTENT = "_content";

  @Override
  public String name() {
    return "sessionize";
  }

  @Override
  public StepResult run(RunContext ctx) {
    LifecycleConfig config = ctx.config();
    Sessionizer sessionizer = new Sessionizer(
        config.sessions().inactivityGap(), config.sessions().maxDuration(), config.stages());
    Dataset<Row> events = ctx.store().read(EventsTable.DEF)
        .where(col(Columns.EVENT_TIME).lt(lit(ctx.asOf())));
    LocalDate previous = config.incremental().enabled() ? ctx.previousSuccess(name()) : null;
    long written;
    if (previous != null && ctx.store().exists(SessionsTable.DEF)) {
      ctx.requireNoLaterRun();
      written = mergeAffected(ctx, sessionizer, events, previous);
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

  private static long mergeAffected(RunContext ctx, Sessionizer sessionizer, Dataset<Row> events, LocalDate previous) {
    Instant previousAsOf = previous.atStartOfDay(ZoneOffset.UTC).toInstant();
    // Run ids sort as their dates: every run after the previous one. Times after its as-of catch events
    // stored earlier but not yet sessionized (the future tolerance).
    Dataset<Row> affected = events
        .where(col(Columns.INGEST_RUN_ID).gt(lit(RunContext.runIdOf(previous)))
            .or(col(Columns.EVENT_TIME).geq(lit(previousAsOf))))
        .select(col(Columns.CUSTOMER_ID)).distinct()
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // The affected customers' sessions, recomputed from their whole history, and as stored.
      Dataset<Row> fresh = withContent(SessionsTable.DEF.conform(
              sessionizer.sessionize(events.join(affected, Columns.CUSTOMER_ID, "left_semi"))))
          .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> stored = withContent(ctx.store().read(SessionsTable.DEF).join(affected, Columns.CUSTOMER_ID, "left_semi"));
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
        fresh.unpersist();
      }
    } finally {
      affected.unpersist();
    }
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
