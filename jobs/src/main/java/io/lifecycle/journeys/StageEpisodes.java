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
  private static final String EPISODE = "_episode";
  private static final String CHURN_AFTER = "_churn_after";
  private static final String NEXT_STAGE = "_next_session_stage";
  private static final String LAST_OF_EPISODE = "_last_of_episode";
  private static final String CHURN_BEFORE = "_churn_before";
  private static final String CHURNS = "_churns";
  private static final String SEEN = "_seen";
  private static final String RUNNING_EVENTS = "_running_events";
  private static final String RUNNING_REVENUE = "_running_revenue";
  private static final String JOURNEY_START = "_journey_start";
  private static final String SEEN_BEFORE = "_seen_before";
  private static final String EVENTS_BEFORE = "_events_before";
  private static final String REVENUE_BEFORE = "_revenue_before";
  private static final String PREVIOUS_NEXT_START = "_previous_next_start";
  private static final String CHURNED_AT = "_churned_at";
  private static final String CHURNED_ROW = "_churned_row";

  private final StageOrder order;
  private final long churnMicros;
  private final Instant asOf;

  public StageEpisodes(StageModel model, Duration churnThreshold, Instant asOf) {
    this.order = new StageOrder(model);
    this.churnMicros = churnThreshold.toNanos() / 1_000;
    this.asOf = asOf;
  }

  /**
   * Sessions (customer_id, session_start, session_end, event_count, revenue, stage) to episodes, in one
   * pass over each customer's sessions in time order. A first window gives each session its effective
   * stage and its neighbours'; a second keeps running totals (episodes, churns, sessions, events,
   * revenue, latest end) up to each session; an episode's row is made at its last session, its totals
   * the difference from the previous episode's last session (a lag over those rows), and a CHURNED
   * episode follows it when churn came after. One sort and no aggregation: grouping the sessions by
   * episode and then ordering the episodes by time sorted the rows twice more.
   */
  public Dataset<Row> episodes(Dataset<Row> sessions) {
    RequiredColumns.require(sessions, CUSTOMER_ID, SessionsTable.SESSION_START, SessionsTable.SESSION_END,
        SessionsTable.EVENT_COUNT, SessionsTable.REVENUE, STAGE);
    Column start = col(SessionsTable.SESSION_START);
    Column end = col(SessionsTable.SESSION_END);
    WindowSpec byStart = Window.partitionBy(col(CUSTOMER_ID)).orderBy(start);
    WindowSpec upToHere = byStart.rowsBetween(Window.unboundedPreceding(), Window.currentRow());

    // A session's effective stage is its own or the last one before it; sessions before the customer's
    // first staged one have none and are not part of the journey (they are counted in no total).
    Dataset<Row> neighbours = sessions
        .where(start.lt(lit(asOf)))
        .select(col(CUSTOMER_ID), start, end, col(SessionsTable.EVENT_COUNT), col(SessionsTable.REVENUE),
            last(col(STAGE), true).over(upToHere).as(EFFECTIVE_STAGE),
            last(col(STAGE), true).over(byStart.rowsBetween(Window.unboundedPreceding(), -1)).as(PREVIOUS_EFFECTIVE),
            lag(end, 1).over(byStart).as(PREVIOUS_END),
            lead(start, 1).over(byStart).as(NEXT_START),
            lead(col(STAGE), 1).over(byStart).as(NEXT_STAGE));
    Column inJourney = col(EFFECTIVE_STAGE).isNotNull();
    Column churnBefore = col(PREVIOUS_EFFECTIVE).isNotNull()
        .and(unix_micros(start).minus(unix_micros(col(PREVIOUS_END))).gt(churnMicros));
    Column newEpisode = inJourney.and(col(PREVIOUS_EFFECTIVE).isNull()
        .or(col(PREVIOUS_EFFECTIVE).notEqual(col(EFFECTIVE_STAGE))).or(churnBefore));
    // For any session but the last, the same test as the next session's churnBefore.
    Column churnAfter = unix_micros(coalesce(col(NEXT_START), lit(asOf))).minus(unix_micros(end)).gt(churnMicros);
    Column nextEffective = coalesce(col(NEXT_STAGE), col(EFFECTIVE_STAGE));
    Column lastOfEpisode = inJourney.and(col(NEXT_START).isNull().or(nextEffective.notEqual(col(EFFECTIVE_STAGE)))
        .or(churnAfter));
    Dataset<Row> episodeEnds = neighbours
        .select(col(CUSTOMER_ID), start, col(EFFECTIVE_STAGE), col(NEXT_START),
            churnAfter.as(CHURN_AFTER),
            lastOfEpisode.as(LAST_OF_EPISODE),
            sum(newEpisode.cast("int")).over(upToHere).as(EPISODE),
            sum(churnBefore.cast("int")).over(upToHere).as(CHURNS),
            count(when(inJourney, lit(1))).over(upToHere).as(SEEN),
            sum(when(inJourney, col(SessionsTable.EVENT_COUNT))).over(upToHere).as(RUNNING_EVENTS),
            // Summed exactly (ExactSums), so the episode's revenue does not depend on the order rows are read in.
            ExactSums.partial(when(inJourney, col(SessionsTable.REVENUE))).over(upToHere).as(RUNNING_REVENUE),
            // Sessions do not overlap, so the latest end so far is the episode's last activity.
            max(end).over(upToHere).as(LAST_ACTIVITY_AT),
            min(when(inJourney, start)).over(upToHere).as(JOURNEY_START))
        .where(col(LAST_OF_EPISODE));
    // The previous episode's last session: where this episode's totals start from, and what came before it.
    Dataset<Row> lastSessions = episodeEnds
        .select(col("*"),
            lag(col(SEEN), 1, 0L).over(byStart).as(SEEN_BEFORE),
            lag(col(RUNNING_EVENTS), 1, 0L).over(byStart).as(EVENTS_BEFORE),
            lag(col(RUNNING_REVENUE), 1).over(byStart).as(REVENUE_BEFORE),
            lag(col(NEXT_START), 1).over(byStart).as(PREVIOUS_NEXT_START),
            lag(col(EFFECTIVE_STAGE), 1).over(byStart).as(PREVIOUS_EFFECTIVE),
            lag(col(CHURN_AFTER), 1, false).over(byStart).as(CHURN_BEFORE));

    Column rank = order.rank(col(EFFECTIVE_STAGE));
    // The last ranked (non-CHURNED) episode before this one is the previous episode of the sessions.
    Column previousRank = order.rank(col(PREVIOUS_EFFECTIVE));
    Column diff = rank.minus(previousRank);
    Column move = when(previousRank.isNull(), lit(MOVE_START))
        .when(diff.equalTo(1), lit(MOVE_FORWARD))
        .when(diff.gt(1), lit(MOVE_SKIP))
        .when(diff.lt(0), lit(MOVE_BACK))
        .otherwise(lit(MOVE_SAME));
    Column skipped = when(previousRank.isNull(), rank.minus(1))
        .when(diff.gt(1), diff.minus(1))
        .otherwise(lit(0));
    // Episodes so far, CHURNED ones included (each churn before a session started one).
    Column number = col(EPISODE).plus(col(CHURNS)).cast("int");
    Column churnedAt = timestamp_micros(unix_micros(col(LAST_ACTIVITY_AT)).plus(churnMicros));
    Column revenue = ExactSums.difference(col(RUNNING_REVENUE), coalesce(col(REVENUE_BEFORE), lit(0))).cast("double");
    // The episode's row, then a second one for the CHURNED episode when churn came after it (the
    // generator only repeats rows; their values are computed before and after it, not inside it).
    Dataset<Row> active = lastSessions.select(
        col(CUSTOMER_ID),
        number.as(EPISODE_NUMBER),
        col(EFFECTIVE_STAGE).as(STAGE),
        when(col(CHURN_BEFORE), lit(StageModel.CHURNED)).otherwise(col(PREVIOUS_EFFECTIVE)).as(PREVIOUS_STAGE),
        move.as(MOVE),
        skipped.cast("int").as(STAGES_SKIPPED),
        coalesce(col(PREVIOUS_NEXT_START), col(JOURNEY_START)).as(ENTERED_AT),
        col(NEXT_START),
        col(CHURN_AFTER),
        churnedAt.as(CHURNED_AT),
        col(LAST_ACTIVITY_AT),
        col(SEEN).minus(col(SEEN_BEFORE)).as(SESSIONS),
        col(RUNNING_EVENTS).minus(col(EVENTS_BEFORE)).as(EVENTS),
        revenue.as(REVENUE));
    Column isChurned = col(CHURNED_ROW).equalTo(1);
    Dataset<Row> all = active
        .withColumn(CHURNED_ROW, explode(when(col(CHURN_AFTER), array(lit(0), lit(1))).otherwise(array(lit(0)))))
        .select(
            col(CUSTOMER_ID),
            col(EPISODE_NUMBER).plus(col(CHURNED_ROW)).as(EPISODE_NUMBER),
            when(isChurned, lit(StageModel.CHURNED)).otherwise(col(STAGE)).as(STAGE),
            when(isChurned, col(STAGE)).otherwise(col(PREVIOUS_STAGE)).as(PREVIOUS_STAGE),
            when(isChurned, lit(MOVE_CHURN)).otherwise(col(MOVE)).as(MOVE),
            when(isChurned, lit(0)).otherwise(col(STAGES_SKIPPED)).as(STAGES_SKIPPED),
            when(isChurned, col(CHURNED_AT)).otherwise(col(ENTERED_AT)).as(ENTERED_AT),
            when(isChurned.or(not(col(CHURN_AFTER))), col(NEXT_START)).otherwise(col(CHURNED_AT)).as(LEFT_AT),
            when(isChurned, lit(null).cast("timestamp")).otherwise(col(LAST_ACTIVITY_AT)).as(LAST_ACTIVITY_AT),
            when(isChurned, lit(0L)).otherwise(col(SESSIONS)).as(SESSIONS),
            when(isChurned, lit(0L)).otherwise(col(EVENTS)).as(EVENTS),
            when(isChurned, lit(0.0)).otherwise(col(REVENUE)).as(REVENUE));
    return all.select(
        col(CUSTOMER_ID),
        col(EPISODE_NUMBER),
        col(STAGE),
        col(PREVIOUS_STAGE),
        col(MOVE),
        col(STAGES_SKIPPED),
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
