package io.lifecycle.journeys;

import static io.lifecycle.tables.Columns.*;
import static io.lifecycle.tables.CustomerJourneysTable.*;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.StageModel;
import io.lifecycle.spark.RequiredColumns;
import io.lifecycle.spark.StageOrder;
import io.lifecycle.spark.ExactSums;
import io.lifecycle.tables.CustomerStageHistoryTable;
import io.lifecycle.tables.SessionsTable;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Episodes (and sessions, for the first purchase and the acquisition channel) to one row per customer:
 * the rows of {@code customer_journeys}. Pure. The path keeps every episode, CHURNED included, so
 * skips, moves back and returns stay visible rather than being flattened into a funnel.
 */
public final class CustomerJourneys {
  private static final String FIRST_SESSION = "_first_session";

  private final StageOrder order;
  private final Instant asOf;

  public CustomerJourneys(StageModel model, Instant asOf) {
    this.order = new StageOrder(model);
    this.asOf = asOf;
  }

  /**
   * @param episodes rows shaped as {@code customer_stage_history}
   * @param sessions rows shaped as {@code sessions} (customer_id, session_start, stage, first_channel, first_purchase_time)
   */
  public Dataset<Row> journeys(Dataset<Row> episodes, Dataset<Row> sessions) {
    RequiredColumns.require(episodes, CUSTOMER_ID, CustomerStageHistoryTable.EPISODE_NUMBER, STAGE,
        CustomerStageHistoryTable.MOVE, CustomerStageHistoryTable.STAGES_SKIPPED, CustomerStageHistoryTable.ENTERED_AT,
        CustomerStageHistoryTable.LAST_ACTIVITY_AT, CustomerStageHistoryTable.SESSIONS, CustomerStageHistoryTable.EVENTS,
        CustomerStageHistoryTable.REVENUE, CustomerStageHistoryTable.IS_REACTIVATION);
    RequiredColumns.require(sessions, CUSTOMER_ID, SessionsTable.SESSION_START, STAGE, SessionsTable.FIRST_CHANNEL,
        SessionsTable.FIRST_PURCHASE_TIME);
    Column number = col(CustomerStageHistoryTable.EPISODE_NUMBER);
    Dataset<Row> perCustomer = episodes.groupBy(col(CUSTOMER_ID)).agg(
        // Bounded by the customer's number of episodes, not events.
        concat_ws(PATH_SEPARATOR, transform(array_sort(collect_list(struct(number, col(STAGE)))), e -> e.getField(STAGE))).as(PATH),
        count(lit(1)).cast("int").as(EPISODES),
        max_by(col(STAGE), number).as(CURRENT_STAGE),
        max(col(CustomerStageHistoryTable.ENTERED_AT)).as(CURRENT_STAGE_SINCE),
        order.name(max(order.rank(col(STAGE)))).as(HIGHEST_STAGE),
        sum(col(CustomerStageHistoryTable.STAGES_SKIPPED)).cast("int").as(STAGES_SKIPPED),
        sum(when(col(CustomerStageHistoryTable.MOVE).equalTo(CustomerStageHistoryTable.MOVE_BACK), 1).otherwise(0)).cast("int").as(MOVES_BACK),
        sum(when(col(CustomerStageHistoryTable.IS_REACTIVATION), 1).otherwise(0)).cast("int").as(REACTIVATIONS),
        min(col(CustomerStageHistoryTable.ENTERED_AT)).as(FIRST_SEEN_AT),
        max(col(CustomerStageHistoryTable.LAST_ACTIVITY_AT)).as(LAST_ACTIVITY_AT),
        sum(col(CustomerStageHistoryTable.SESSIONS)).as(SESSIONS),
        sum(col(CustomerStageHistoryTable.EVENTS)).as(EVENTS),
        ExactSums.sum(col(CustomerStageHistoryTable.REVENUE)).as(REVENUE));
    // The journey starts at the first session with a stage: its channel is the acquisition channel.
    Dataset<Row> fromSessions = sessions
        .where(col(SessionsTable.SESSION_START).lt(lit(asOf)))
        .groupBy(col(CUSTOMER_ID)).agg(
            min(when(col(STAGE).isNotNull(), struct(col(SessionsTable.SESSION_START), col(SessionsTable.FIRST_CHANNEL)))).as(FIRST_SESSION),
            min(col(SessionsTable.FIRST_PURCHASE_TIME)).as(FIRST_PURCHASE_AT))
        .select(col(CUSTOMER_ID), col(FIRST_SESSION).getField(SessionsTable.FIRST_CHANNEL).as(ACQUISITION_CHANNEL),
            col(FIRST_PURCHASE_AT));
    return perCustomer.join(fromSessions, perCustomer.col(CUSTOMER_ID).equalTo(fromSessions.col(CUSTOMER_ID)), "left_outer")
        .select(
            perCustomer.col(CUSTOMER_ID),
            col(PATH),
            col(EPISODES),
            col(CURRENT_STAGE),
            col(CURRENT_STAGE_SINCE),
            daysInCurrentStage().as(DAYS_IN_CURRENT_STAGE),
            col(HIGHEST_STAGE),
            col(STAGES_SKIPPED),
            col(MOVES_BACK),
            col(STAGES_SKIPPED).gt(0).or(col(MOVES_BACK).gt(0)).as(IS_NON_LINEAR),
            col(CURRENT_STAGE).equalTo(StageModel.CHURNED).as(IS_CHURNED),
            col(REACTIVATIONS),
            col(REACTIVATIONS).gt(0).as(IS_REACTIVATED),
            col(FIRST_SEEN_AT),
            col(LAST_ACTIVITY_AT),
            col(FIRST_PURCHASE_AT),
            trunc(to_date(col(FIRST_SEEN_AT)), "month").as(ACQUISITION_MONTH),
            col(ACQUISITION_CHANNEL),
            col(SESSIONS),
            col(EVENTS),
            col(REVENUE),
            lit(asOf.atZone(ZoneOffset.UTC).toLocalDate()).as(RUN_DATE));
  }

  /**
   * Stored journeys (rows of {@code customer_journeys} as of an earlier date) as of this as-of instant,
   * for customers whose episodes have not changed: only the days in the current stage and the run date
   * move with the date.
   */
  public Dataset<Row> asOf(Dataset<Row> stored) {
    return stored.withColumn(DAYS_IN_CURRENT_STAGE, daysInCurrentStage())
        .withColumn(RUN_DATE, lit(asOf.atZone(ZoneOffset.UTC).toLocalDate()));
  }

  private Column daysInCurrentStage() {
    return floor(lit(asOf.getEpochSecond() * 1_000_000L).minus(unix_micros(col(CURRENT_STAGE_SINCE)))
        .divide((double) StageEpisodes.DAY_MICROS)).cast("int");
  }
}
