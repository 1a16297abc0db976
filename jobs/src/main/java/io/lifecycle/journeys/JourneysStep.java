package io.lifecycle.journeys;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.CustomerStageHistoryTable;
import io.lifecycle.tables.SessionsTable;
import io.lifecycle.tables.StageFunnelTable;
import io.lifecycle.tables.StageTransitionsTable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code journeys}: {@code sessions} to {@code customer_stage_history}, {@code customer_journeys},
 * {@code stage_transitions} and {@code stage_funnel}, all snapshots as of the run date. Each later table
 * is computed from the Delta table written before it rather than from a cached frame, so nothing is
 * recomputed and nothing needs to fit in memory.
 */
public final class JourneysStep implements Step {

  @Override
  public String name() {
    return "journeys";
  }

  @Override
  public StepResult run(RunContext ctx) {
    LifecycleConfig config = ctx.config();
    Instant asOf = ctx.asOf();
    Dataset<Row> sessions = ctx.store().read(SessionsTable.DEF);
    Map<String, Long> written = new LinkedHashMap<>();

    Dataset<Row> episodes = new StageEpisodes(config.stages(), config.churnThreshold(), asOf).episodes(sessions);
    written.put(CustomerStageHistoryTable.DEF.name(), ctx.store().write(CustomerStageHistoryTable.DEF, episodes, ctx.runDate()));
    Dataset<Row> history = ctx.store().read(CustomerStageHistoryTable.DEF);

    Dataset<Row> journeys = new CustomerJourneys(config.stages(), asOf).journeys(history, sessions);
    written.put(CustomerJourneysTable.DEF.name(), ctx.store().write(CustomerJourneysTable.DEF, journeys, ctx.runDate()));

    Dataset<Row> transitions = new StageTransitions(ctx.runDate()).transitions(history);
    written.put(StageTransitionsTable.DEF.name(), ctx.store().write(StageTransitionsTable.DEF, transitions, ctx.runDate()));

    Dataset<Row> funnel = new StageFunnel(config.stages(), ctx.runDate())
        .funnel(ctx.store().read(CustomerJourneysTable.DEF), history);
    written.put(StageFunnelTable.DEF.name(), ctx.store().write(StageFunnelTable.DEF, funnel, ctx.runDate()));

    // Sessions count from Delta's statistics-backed count (the table was just written by sessionize).
    return StepResult.of(sessions.count(), written);
  }
}
