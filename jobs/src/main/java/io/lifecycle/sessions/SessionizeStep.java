package io.lifecycle.sessions;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.SessionsTable;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code sessionize}: {@code events} to {@code sessions}. The table is recomputed from every event before
 * the run's as-of instant, so a late event that lands in an old session updates it, and a rerun of the
 * same date gives the same rows and ids.
 */
public final class SessionizeStep implements Step {

  @Override
  public String name() {
    return "sessionize";
  }

  @Override
  public StepResult run(RunContext ctx) {
    LifecycleConfig config = ctx.config();
    Dataset<Row> events = ctx.store().read(EventsTable.DEF)
        .where(col(Columns.EVENT_TIME).lt(lit(ctx.asOf())));
    Dataset<Row> sessions = new Sessionizer(
            config.sessions().inactivityGap(), config.sessions().maxDuration(), config.stages())
        .sessionize(events);
    long written = ctx.store().write(SessionsTable.DEF, sessions, ctx.runDate());
    // The sessions' event counts add up to the events read: no extra scan of the events table.
    long input = written == 0 ? 0 : ctx.store().read(SessionsTable.DEF)
        .agg(sum(col(SessionsTable.EVENT_COUNT))).head().getLong(0);
    return StepResult.of(input, Map.of(SessionsTable.DEF.name(), written));
  }
}
