package io.lifecycle.journeys;

import static io.lifecycle.tables.Columns.*;
import static io.lifecycle.tables.CustomerStageHistoryTable.*;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.StageModel;
import io.lifecycle.spark.RequiredColumns;
import io.lifecycle.spark.StageOrder;
import io.lifecycle.spark.ExactSums;
import io.lifecycle.tables.SessionsTable;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Sessions to stage episodes, the rows of {@code customer_stage_history}. Pure.
 *
 * <ul>
 *   <li>A session's stage is its {@code stage} column; a session without one (only events no rule
 *       names) keeps the customer in the stage of their previous session. Sessions before the
 *       customer's first staged session are not part of the journey.
 *   <li>Consecutive sessions in the same stage form one episode; a new stage starts a new one.
 *   <li>Churn: when the time from a session's end to the next session's start (or to the as-of instant,
 *       for the last session) is longer than the churn threshold, a CHURNED episode follows, entered at
 *       end + threshold. Exactly the threshold is not churn. The episode after a CHURNED one is a
 *       reactivation, even in the stage the customer churned from (move SAME).
 *   <li>Moves (FORWARD, SKIP, BACK, SAME) compare an episode's stage with the last non-CHURNED episode
 *       before it, by the model's order, so a churn in between does not hide a skip or a move back.
 * </ul>
 */
public final class StageEpisodes {
  static final long DAY_MICROS = 86_400_000_000L;
  private static final String EFFECTIVE_STAGE = "_stage";
  private static final String PREVIOUS_END = "_previous_end";
  private static final String PREVIOUS_EFFECTIVE = "_previous_stage";
  private static final String NEXT_START = "_next_start";
  private static final String NEW_EPISODE = "_new_episode";
  private static final String EPISODE = "_episode";
  private static final String CHURN_AFTER = "_churn_after";
  private static final String PREVIOUS_RANK = "_previous_rank";
  private static final String RANK = "_rank";

  private final StageOrder order;
  private final long churnMicros;
  private final Instant asOf;

  public StageEpisodes(StageModel model, Duration churnThreshold, Instant asOf) {
    this.order = new StageOrder(model);
    this.churnMicros = churnThreshold.toNanos() / 1_000;
    this.asOf = asOf;
  }

  /** Sessions (customer_id, session_start, session_end, event_count, revenue, stage) to episodes. */
  public Dataset<Row> episodes(Dataset<Row> sessions) {
    RequiredColumns.require(sessions, CUSTOMER_ID, SessionsTable.SESSION_START, SessionsTable.SESSION_END,
        SessionsTable.EVENT_COUNT, SessionsTable.REVENUE, STAGE);
    Column start = col(SessionsTable.SESSION_START);
    Column end = col(SessionsTable.SESSION_END);
    WindowSpec byStart = Window.partitionBy(col(CUSTOMER_ID)).orderBy(start);
    WindowSpec upToHere = byStart.rowsBetween(Window.unboundedPreceding(), Window.currentRow());

    Dataset<Row> staged = sessions
        .where(start.lt(lit(asOf)))
        .withColumn(EFFECTIVE_STAGE, last(col(STAGE), true).over(upToHere))
        .where(col(EFFECTIVE_STAGE).isNotNull());
    Column churnBefore = col(PREVIOUS_END).isNotNull()
        .and(unix_micros(start).minus(unix_micros(col(PREVIOUS_END))).gt(churnMicros));
    Column churnAfter = unix_micros(coalesce(col(NEXT_START), lit(asOf))).minus(unix_micros(end)).gt(churnMicros);
    Dataset<Row> perSession = staged
        .withColumn(PREVIOUS_END, lag(end, 1).over(byStart))
        .withColumn(PREVIOUS_EFFECTIVE, lag(col(EFFECTIVE_STAGE), 1).over(byStart))
        .withColumn(NEXT_START, lead(start, 1).over(byStart))
        .withColumn(NEW_EPISODE, col(PREVIOUS_EFFECTIVE).isNull()
            .or(col(PREVIOUS_EFFECTIVE).notEqual(col(EFFECTIVE_STAGE))).or(churnBefore).cast("int"))
        .withColumn(EPISODE, sum(col(NEW_EPISODE)).over(upToHere))
        .withColumn(CHURN_AFTER, churnAfter);

    // Only an episode's last session can be followed by churn (churn starts a new episode).
    Dataset<Row> active = perSession
        .groupBy(col(CUSTOMER_ID), col(EPISODE))
        .agg(
            max(col(EFFECTIVE_STAGE)).as(STAGE),
            min(start).as(ENTERED_AT),
            max(end).as(LAST_ACTIVITY_AT),
            count(lit(1)).as(SESSIONS),
            sum(col(SessionsTable.EVENT_COUNT)).as(EVENTS),
            ExactSums.sum(col(SessionsTable.REVENUE)).as(REVENUE),
            max(col(CHURN_AFTER)).as(CHURN_AFTER))
        .select(col(CUSTOMER_ID), col(STAGE), col(ENTERED_AT), col(LAST_ACTIVITY_AT), col(SESSIONS), col(EVENTS),
            col(REVENUE), col(CHURN_AFTER));
    Dataset<Row> churned = active.where(col(CHURN_AFTER))
        .select(col(CUSTOMER_ID), lit(StageModel.CHURNED).as(STAGE),
            timestamp_micros(unix_micros(col(LAST_ACTIVITY_AT)).plus(churnMicros)).as(ENTERED_AT),
            lit(null).cast("timestamp").as(LAST_ACTIVITY_AT), lit(0L).as(SESSIONS), lit(0L).as(EVENTS),
            lit(0.0).as(REVENUE), lit(false).as(CHURN_AFTER));

    // Entered times are distinct within a customer: a CHURNED episode starts after the previous
    // episode's last activity and before the next episode's first session.
    WindowSpec byEntered = Window.partitionBy(col(CUSTOMER_ID)).orderBy(col(ENTERED_AT));
    Column isChurned = col(STAGE).equalTo(StageModel.CHURNED);
    Column diff = col(RANK).minus(col(PREVIOUS_RANK));
    Column move = when(isChurned, lit(MOVE_CHURN))
        .when(col(PREVIOUS_RANK).isNull(), lit(MOVE_START))
        .when(diff.equalTo(1), lit(MOVE_FORWARD))
        .when(diff.gt(1), lit(MOVE_SKIP))
        .when(diff.lt(0), lit(MOVE_BACK))
        .otherwise(lit(MOVE_SAME));
    Column skipped = when(isChurned, lit(0))
        .when(col(PREVIOUS_RANK).isNull(), col(RANK).minus(1))
        .when(diff.gt(1), diff.minus(1))
        .otherwise(lit(0));
    return active.unionByName(churned)
        .withColumn(RANK, order.rank(col(STAGE)))
        .withColumn(EPISODE_NUMBER, row_number().over(byEntered))
        .withColumn(PREVIOUS_STAGE, lag(col(STAGE), 1).over(byEntered))
        .withColumn(LEFT_AT, lead(col(ENTERED_AT), 1).over(byEntered))
        // The last ranked (non-CHURNED) episode before this one.
        .withColumn(PREVIOUS_RANK, last(col(RANK), true).over(byEntered.rowsBetween(Window.unboundedPreceding(), -1)))
        .select(
            col(CUSTOMER_ID),
            col(EPISODE_NUMBER),
            col(STAGE),
            col(PREVIOUS_STAGE),
            move.as(MOVE),
            skipped.cast("int").as(STAGES_SKIPPED),
            col(ENTERED_AT),
            col(LEFT_AT),
            col(LAST_ACTIVITY_AT),
            daysInStage().as(DAYS_IN_STAGE),
            col(SESSIONS),
            col(EVENTS),
            col(REVENUE),
            coalesce(col(PREVIOUS_STAGE).equalTo(StageModel.CHURNED), lit(false)).as(IS_REACTIVATION),
            col(LEFT_AT).isNull().as(IS_CURRENT),
            lit(asOf.atZone(ZoneOffset.UTC).toLocalDate()).as(RUN_DATE));
  }

  /**
   * Stored episodes (rows of {@code customer_stage_history} as of an earlier date) as of this as-of
   * instant, for customers whose sessions have not changed and who have not churned since: only the
   * current episode's days in stage and the run date move with the date.
   */
  public Dataset<Row> asOf(Dataset<Row> stored) {
    return stored.withColumn(DAYS_IN_STAGE, daysInStage())
        .withColumn(RUN_DATE, lit(asOf.atZone(ZoneOffset.UTC).toLocalDate()));
  }

  /** Days from entering the stage to leaving it, or to the as-of instant for the current episode. */
  private Column daysInStage() {
    Column inStageUntil = coalesce(col(LEFT_AT), lit(asOf));
    return unix_micros(inStageUntil).minus(unix_micros(col(ENTERED_AT))).divide((double) DAY_MICROS);
  }
}
