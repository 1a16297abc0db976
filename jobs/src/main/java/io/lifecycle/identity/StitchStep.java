package io.lifecycle.identity;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.LifecycleConfig.Identity;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.spark.Deduplicator;
import io.lifecycle.spark.StageAssigner;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.IdentityMapTable;
import io.lifecycle.tables.RunLogTable;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code stitch}: links the ids the events carry (known customer ids, anonymous and extra ids) into
 * customers ({@link IdentityGraph}), writes {@code identity_map}, and moves each event to its resolved
 * customer, so sessions, journeys, cohorts, CLV and the models all see one person where the input had
 * a cookie before the login and a customer id after it.
 *
 * <p>Moved events are marked with the run in {@code stitch_run_id} and the customer they left in
 * {@code stitched_from} (so incremental steps recompute both), deduplicated (a copy re-sent under the
 * other id is a duplicate now) and restaged (an anonymous purchase may now be the customer's first), in
 * one Delta commit: an incremental run rewrites only the customers a link changes (a MERGE), a full run
 * the whole table, most of whose anonymous events move. A rerun moves nothing: the tables stay the same. Runs by default only when the input has ids to stitch.
 */
public final class StitchStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(StitchStep.class);

  /** The step's name (run_log.step). */
  public static final String NAME = RunLogTable.STITCH;

  private static final String WAS = "_was_customer";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(LifecycleConfig config) {
    return config.input().stitchesIdentities();
  }

  @Override
  public StepResult run(RunContext ctx) {
    LifecycleConfig config = ctx.config();
    if (!config.input().stitchesIdentities()) {
      return StepResult.skipped("identity stitching is off: input.columns.anonymous_id, input.identity.alias_column "
          + "and input.identity.extra_id_columns are unset");
    }
    if (!ctx.store().exists(EventsTable.DEF)) {
      throw new LifecycleException(ExitCode.INPUT_UNAVAILABLE, "table " + EventsTable.DEF.name()
          + " does not exist yet: run the ingest step first");
    }
    Identity identity = config.input().identity();
    IdentityGraph graph = new IdentityGraph(new IdentityGraph.Limits(identity.maxKnownIdsPerId(), identity.maxIdsPerId(),
        identity.maxIdsPerCustomer(), identity.maxRounds()));
    // Pinned: the events are rewritten below from what this version holds.
    Dataset<Row> events = EventsTable.DEF.conform(ctx.store().readCurrentVersion(EventsTable.DEF));
    // Materialized once: the moves and the table both read it.
    Dataset<Row> map = graph.resolve(events.where(col(Columns.IDENTITY_IDS).isNotNull()))
        .localCheckpoint(true, StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> affected = null;
    try {
      Dataset<Row> resolved = IdentityGraph.customerOfRows(events.withColumn(WAS, col(Columns.CUSTOMER_ID)), map);
      Column moves = not(col(WAS).eqNullSafe(col(Columns.CUSTOMER_ID)));
      Dataset<Row> table = map;
      long rewritten = 0;
      String changed;
      if (!config.incremental().enabled()) {
        // A full ingest has just written every event under its own id: most anonymous events move, and
        // rewriting the table costs less than merging the moves into it (10M events, 6.4M moved: the
        // MERGE took 3.5 minutes), or than finding first whether any moves (a rerun's table is the same).
        long before = events.count();
        rewritten = ctx.store().write(EventsTable.DEF, restaged(marked(resolved, moves, ctx), config), ctx.runDate());
        if (rewritten != before) {
          table = withCounts(map, ctx.store().read(EventsTable.DEF));
        }
        changed = "every event rewritten (" + rewritten + " of " + before + ")";
      } else {
        // Both ends of every move: the customer an event left (it may have no events left) and the one it joined.
        Dataset<Row> moved = resolved.where(moves);
        affected = moved.select(col(WAS).as(Columns.CUSTOMER_ID)).union(moved.select(col(Columns.CUSTOMER_ID)))
            .distinct().persist(StorageLevel.MEMORY_AND_DISK());
        long customers = affected.count();
        if (customers > 0) {
          Dataset<Row> rows = marked(resolved.join(affected, Columns.CUSTOMER_ID, "left_semi"), moves, ctx);
          rewritten = ctx.store().merge(EventsTable.DEF, restaged(rows, config), affected, null, null);
          // The ids' events as the table now holds them, without the duplicates just dropped.
          table = withCounts(map, ctx.store().read(EventsTable.DEF));
        }
        changed = customers + " customers changed by new links, their " + rewritten + " events rewritten";
      }
      long ids = ctx.store().write(IdentityMapTable.DEF,
          table.withColumn(Columns.RUN_DATE, lit(java.sql.Date.valueOf(ctx.runDate()))), ctx.runDate());
      LOG.info("stitch: {} ids resolved; {}", ids, changed);
      return StepResult.of(ids, Map.of(IdentityMapTable.DEF.name(), ids, EventsTable.DEF.name(), rewritten));
    } finally {
      if (affected != null) {
        affected.unpersist();
      }
    }
  }

  /** The moved events marked with the run and the customer they left; the stage dropped for {@link #restaged}. */
  private static Dataset<Row> marked(Dataset<Row> resolved, Column moves, RunContext ctx) {
    return resolved
        .withColumn(Columns.STITCH_RUN_ID, when(moves, lit(ctx.runId())).otherwise(col(Columns.STITCH_RUN_ID)))
        .withColumn(Columns.STITCHED_FROM, when(moves, col(WAS)).otherwise(col(Columns.STITCHED_FROM)))
        .drop(WAS, Columns.STAGE);
  }

  /**
   * Deduplicated, then staged, per resolved customer: copies of one event under two ids (re-sent before
   * and after the link) are duplicates now, as ingest finds them within one id, and a guest purchase
   * may now be the customer's first.
   */
  private static Dataset<Row> restaged(Dataset<Row> rows, LifecycleConfig config) {
    Dataset<Row> kept = Deduplicator.dropDuplicates(rows.repartition(col(Columns.CUSTOMER_ID)), config.input().dedup());
    return new StageAssigner(config.stages()).assign(kept);
  }

  /**
   * The map with first_seen, last_seen and events counted over {@code events} (pure); an id no event
   * carries any more (only a dropped duplicate did) keeps the graph's counts.
   */
  static Dataset<Row> withCounts(Dataset<Row> map, Dataset<Row> events) {
    Column id = col("_id");
    Column type = substring_index(id, ":", 1);
    Dataset<Row> counts = events.select(explode(col(Columns.IDENTITY_IDS)).as("_id"), col(Columns.EVENT_TIME))
        .groupBy(type.as(IdentityMapTable.ID_TYPE), expr("substring(_id, length(substring_index(_id, ':', 1)) + 2)").as(IdentityMapTable.ID))
        .agg(min(col(Columns.EVENT_TIME)).as("_first"), max(col(Columns.EVENT_TIME)).as("_last"), count(lit(1)).as("_events"));
    return map.join(counts, new String[] {IdentityMapTable.ID_TYPE, IdentityMapTable.ID}, "left_outer")
        .withColumn(IdentityMapTable.FIRST_SEEN, coalesce(col("_first"), col(IdentityMapTable.FIRST_SEEN)))
        .withColumn(IdentityMapTable.LAST_SEEN, coalesce(col("_last"), col(IdentityMapTable.LAST_SEEN)))
        .withColumn(IdentityMapTable.EVENTS, coalesce(col("_events"), col(IdentityMapTable.EVENTS)))
        .drop("_first", "_last", "_events");
  }
}
