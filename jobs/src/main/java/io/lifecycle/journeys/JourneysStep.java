package io.lifecycle.journeys;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.CustomerStageHistoryTable;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.RunLogTable;
import io.lifecycle.tables.SessionsTable;
import io.lifecycle.tables.StageFunnelTable;
import io.lifecycle.spark.CustomerBreakdowns;
import io.lifecycle.spark.PartitionedCheckpoint;
import io.lifecycle.tables.StageTransitionsTable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code journeys}: {@code sessions} to {@code customer_stage_history}, {@code customer_journeys},
 * {@code stage_transitions} and {@code stage_funnel}, all snapshots as of the run date. A full run keeps
 * the episodes once on local disk, partitioned by customer as their window left them ({@link
 * PartitionedCheckpoint}): the history is written from them as they lie, and the journeys' aggregation
 * and the transitions' window by customer read them with no shuffle (the 10M step 14% faster than with
 * the table read back, for less heap). The funnel reads the journeys table it needs four columns of.
 *
 * <p>An incremental run recomputes the episodes and journeys only of the customers whose sessions
 * changed since the previous journeys run, or whom time alone has churned ({@link CustomersToRecompute});
 * the other customers' stored rows move to the new as-of date. It gives the rows a full run gives. It
 * falls back to a full computation when there is no earlier journeys run, when the stage or churn
 * settings have changed since (another churn threshold or stage model changes every journey; the run
 * records their hash in run_log's settings_hash, and a row without one is compared by the whole
 * configuration's hash), or when a full-mode
 * ingest or sessionize has run since (it may have removed customers). The two aggregate tables are
 * recomputed from the stored episodes either way.
 */
public final class JourneysStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(JourneysStep.class);
  private static final String NAME = "journeys";
  /** Key of the step's output counts (and run_log's output_rows): customers an incremental run recomputed. */
  public static final String RECOMPUTED_CUSTOMERS = "recomputed_customers";

  @Override
  public String name() {
    return NAME;
  }

  /** The settings every stored journey depends on: the stage model and the churn threshold. */
  @Override
  public String settingsHash(LifecycleConfig config) {
    return journeySettings(config);
  }

  private static String journeySettings(LifecycleConfig config) {
    return config.settingsHash("stages", "churn");
  }

  @Override
  public StepResult run(RunContext ctx) {
    LifecycleConfig config = ctx.config();
    Instant asOf = ctx.asOf();
    Dataset<Row> sessions = ctx.store().read(SessionsTable.DEF);
    Map<String, Long> written = new LinkedHashMap<>();
    StageEpisodes stageEpisodes = new StageEpisodes(config.stages(), config.churnThreshold(), asOf);
    CustomerJourneys customerJourneys = new CustomerJourneys(config.stages(), asOf);

    LocalDate sessionsSeen = config.incremental().enabled() ? sessionsSeenByPreviousRun(ctx) : null;
    Dataset<Row> history;
    if (sessionsSeen != null) {
      ctx.requireNoLaterRun();
      writeIncrementally(ctx, sessions, sessionsSeen, stageEpisodes, customerJourneys, written);
      history = ctx.store().read(CustomerStageHistoryTable.DEF);
    } else {
      // Kept as the window by customer left them, and known to be partitioned so: written as they lie, and
      // the journeys, the transitions and the funnel aggregate and window them by customer with no shuffle.
      history = PartitionedCheckpoint.of(stageEpisodes.episodes(sessions));
      written.put(CustomerStageHistoryTable.DEF.name(), ctx.store().writeKept(CustomerStageHistoryTable.DEF, history, ctx.runDate()));
      written.put(CustomerJourneysTable.DEF.name(),
          ctx.store().write(CustomerJourneysTable.DEF, customerJourneys.journeys(history, sessions), ctx.runDate()));
    }

    Dataset<Row> transitions = new StageTransitions(ctx.runDate()).transitions(history);
    written.put(StageTransitionsTable.DEF.name(), ctx.store().write(StageTransitionsTable.DEF, transitions, ctx.runDate()));

    // cohorts.breakdowns split the funnel too: each customer's values, read from the events (and
    // input.customer_properties) only when some are configured.
    CustomerBreakdowns breakdowns = new CustomerBreakdowns(config);
    Dataset<Row> funnel = new StageFunnel(config.stages(), ctx.runDate(), breakdowns,
            breakdowns.isEmpty() ? null : breakdowns.of(ctx.eventsAsOf()))
        .funnel(ctx.store().read(CustomerJourneysTable.DEF), history);
    written.put(StageFunnelTable.DEF.name(), ctx.store().write(StageFunnelTable.DEF, funnel, ctx.runDate()));

    // Sessions count from Delta's statistics-backed count (the table was just written by sessionize).
    return StepResult.of(sessions.count(), written);
  }

  /**
   * Recomputes the changed customers' episodes and journeys and moves everyone else's stored rows to the
   * run date. Each table is still replaced in one commit, so a failure leaves the previous snapshot.
   */
  private static void writeIncrementally(RunContext ctx, Dataset<Row> sessions, LocalDate sessionsSeen,
      StageEpisodes stageEpisodes, CustomerJourneys customerJourneys, Map<String, Long> written) {
    String id = Columns.CUSTOMER_ID;
    // Pinned: the journeys table is overwritten below, and the customers to recompute come from it.
    Dataset<Row> storedJourneys = ctx.store().readCurrentVersion(CustomerJourneysTable.DEF);
    Dataset<Row> storedHistory = ctx.store().readCurrentVersion(CustomerStageHistoryTable.DEF);
    Dataset<Row> changed = RunContext.changesAfterRunOf(ctx.store().read(EventsTable.DEF), sessionsSeen).select(id);
    Dataset<Row> recompute = CustomersToRecompute.of(changed, storedJourneys, ctx.asOf(), ctx.config().churnThreshold())
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long customers = recompute.count();
      written.put(RECOMPUTED_CUSTOMERS, customers);
      LOG.info("journeys: recomputing {} customers (events after the sessions of {}, or churned since); "
          + "the others' stored rows move to {}", customers, sessionsSeen, ctx.runDate());
      Dataset<Row> theirSessions = sessions.join(recompute, id, "left_semi");
      Dataset<Row> history = stageEpisodes.asOf(storedHistory.join(recompute, id, "left_anti"))
          .unionByName(stageEpisodes.episodes(theirSessions));
      written.put(CustomerStageHistoryTable.DEF.name(), ctx.store().write(CustomerStageHistoryTable.DEF, history, ctx.runDate()));
      Dataset<Row> theirHistory = ctx.store().read(CustomerStageHistoryTable.DEF).join(recompute, id, "left_semi");
      Dataset<Row> journeys = customerJourneys.asOf(storedJourneys.join(recompute, id, "left_anti"))
          .unionByName(customerJourneys.journeys(theirHistory, theirSessions));
      written.put(CustomerJourneysTable.DEF.name(), ctx.store().write(CustomerJourneysTable.DEF, journeys, ctx.runDate()));
    } finally {
      recompute.unpersist();
    }
  }

  /**
   * For an incremental run: the run date of the sessionize run whose sessions the previous journeys run
   * read (events after it are what changed), or null when this run must compute every journey (logged).
   */
  private static LocalDate sessionsSeenByPreviousRun(RunContext ctx) {
    LocalDate previous = ctx.previousSuccess(NAME);
    if (previous == null || !ctx.store().exists(CustomerJourneysTable.DEF)
        || !ctx.store().exists(CustomerStageHistoryTable.DEF)) {
      LOG.info("no earlier successful journeys run: computing every journey");
      return null;
    }
    Dataset<Row> log = ctx.store().read(RunLogTable.DEF).where(col(RunLogTable.STATUS).equalTo(RunLogTable.SUCCEEDED));
    // One row, bounded: the last successful attempt of the previous journeys run.
    Row last = log.where(col(RunLogTable.STEP).equalTo(NAME).and(col(Columns.RUN_DATE).equalTo(lit(java.sql.Date.valueOf(previous)))))
        .agg(max(col(RunLogTable.STARTED_AT)), max_by(col(RunLogTable.CONFIG_HASH), col(RunLogTable.STARTED_AT)),
            max_by(col(RunLogTable.SETTINGS_HASH), col(RunLogTable.STARTED_AT)))
        .head();
    Instant started = last.getAs(0);
    // The stage and churn settings, where that run recorded them; else (an older row) the whole configuration.
    boolean changed = last.isNullAt(2) ? !ctx.config().hash().equals(last.getString(1))
        : !journeySettings(ctx.config()).equals(last.getString(2));
    if (changed) {
      LOG.info("the stage or churn settings changed since the journeys run of {}: computing every journey", previous);
      return null;
    }
    // One row, bounded: the latest sessionize before that attempt, and full-mode rewrites of events or sessions after it.
    Row upstream = log.where(col(RunLogTable.STEP).isin("ingest", "sessionize"))
        .agg(max(when(col(RunLogTable.STEP).equalTo("sessionize").and(col(RunLogTable.STARTED_AT).leq(lit(started))),
                col(Columns.RUN_DATE))),
            count(when(col(RunLogTable.STARTED_AT).gt(lit(started))
                .and(not(coalesce(col(RunLogTable.MODE).equalTo("incremental"), lit(false)))), lit(1))))
        .head();
    if (upstream.isNullAt(0) || upstream.getLong(1) > 0) {
      LOG.info("a full-mode ingest or sessionize ran after the journeys run of {}: computing every journey", previous);
      return null;
    }
    return upstream.<LocalDate>getAs(0);
  }
}
