package io.lifecycle.journeys;

import static io.lifecycle.tables.Columns.*;
import static io.lifecycle.tables.StageTransitionsTable.*;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.spark.RequiredColumns;
import io.lifecycle.tables.CustomerStageHistoryTable;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Episodes to {@code stage_transitions}: every pair of consecutive episodes of a customer is one move
 * (CHURNED in and out included). Probabilities are shares of the moves out of a stage in the period,
 * so the rows of each (period, from-stage) sum to 1; customers still in a stage do not count. Time
 * between is from entering the from-stage to entering the to-stage. Percentiles are exact, by nearest
 * rank ({@link NearestRank}: the lower middle value for an even count), so a full and an incremental
 * run give the same values; the exact {@code percentile} aggregate would keep every distinct value in
 * memory, and {@code percentile_approx} depends on the input's order. Customers are counted with a
 * first-move flag (no earlier move of the customer's is of the same kind, in the same month for the
 * monthly rows), set in the window that makes the moves, not with {@code countDistinct}: a distinct
 * aggregate makes Spark aggregate per (group, customer) first.
 */
public final class StageTransitions {
  private static final String DAYS = "_days";
  private static final String MONTH = "_month";
  private static final String FIRST_OF_CUSTOMER = "_first_of_customer";
  private static final String FIRST_IN_MONTH = "_first_in_month";
  private static final String FIRST = "_first";
  private static final String PERIOD = "_period";

  private final LocalDate runDate;

  public StageTransitions(LocalDate runDate) {
    this.runDate = runDate;
  }

  public Dataset<Row> transitions(Dataset<Row> episodes) {
    RequiredColumns.require(episodes, CUSTOMER_ID, CustomerStageHistoryTable.EPISODE_NUMBER, STAGE,
        CustomerStageHistoryTable.ENTERED_AT, CustomerStageHistoryTable.LEFT_AT);
    // One sort by customer and episode serves every window below: each episode after the first is the move
    // into it from the one before, and the customer's earlier moves say whether it is their first of its kind.
    var byEpisode = Window.partitionBy(col(CUSTOMER_ID)).orderBy(col(CustomerStageHistoryTable.EPISODE_NUMBER));
    Column enteredBefore = lag(col(CustomerStageHistoryTable.ENTERED_AT), 1).over(byEpisode);
    // left_at of the episode before is this episode's entered_at.
    Column leftBefore = lag(col(CustomerStageHistoryTable.LEFT_AT), 1).over(byEpisode);
    Column pair = struct(col(FROM_STAGE), col(TO_STAGE));
    Column pairInMonth = struct(col(FROM_STAGE), col(TO_STAGE), col(MONTH));
    var earlier = byEpisode.rowsBetween(Window.unboundedPreceding(), -1);
    Dataset<Row> moves = episodes
        .select(
            col(CUSTOMER_ID),
            col(CustomerStageHistoryTable.EPISODE_NUMBER),
            lag(col(STAGE), 1).over(byEpisode).as(FROM_STAGE),
            col(STAGE).as(TO_STAGE),
            unix_micros(leftBefore).minus(unix_micros(enteredBefore)).divide((double) StageEpisodes.DAY_MICROS).as(DAYS),
            trunc(to_date(leftBefore), "month").as(MONTH))
        .where(col(FROM_STAGE).isNotNull())
        .select(col(FROM_STAGE), col(TO_STAGE), col(DAYS), col(MONTH),
            not(coalesce(array_contains(collect_list(pair).over(earlier), pair), lit(false))).as(FIRST_OF_CUSTOMER),
            not(coalesce(array_contains(collect_list(pairInMonth).over(earlier), pairInMonth), lit(false))).as(FIRST_IN_MONTH))
        // Read twice by the percentiles ({@link NearestRank}), without the customers' sort again.
        .localCheckpoint();
    // Each move counts in the all-time rows and in its month's: one pass over the moves gives both.
    Column periods = explode(array(
        struct(lit(PERIOD_ALL).as(PERIOD_TYPE), lit(null).cast("date").as(PERIOD_START), col(FIRST_OF_CUSTOMER).as(FIRST)),
        struct(lit(PERIOD_MONTH).as(PERIOD_TYPE), col(MONTH).as(PERIOD_START), col(FIRST_IN_MONTH).as(FIRST))));
    Dataset<Row> inPeriods = moves
        .select(col(FROM_STAGE), col(TO_STAGE), col(DAYS), periods.as(PERIOD))
        .select(col(FROM_STAGE), col(TO_STAGE), col(DAYS), col(PERIOD + ".*"));
    Column[] group = {col(PERIOD_TYPE), col(PERIOD_START), col(FROM_STAGE), col(TO_STAGE)};
    Map<String, Double> percentiles = new LinkedHashMap<>();
    percentiles.put(MEDIAN_DAYS_BETWEEN, 0.5);
    percentiles.put(P90_DAYS_BETWEEN, 0.9);
    Dataset<Row> counted = NearestRank.withPercentiles(
        inPeriods.groupBy(group).agg(count(when(col(FIRST), lit(1))).as(CUSTOMERS), count(lit(1)).as(TRANSITIONS)),
        inPeriods, col(DAYS), percentiles, PERIOD_TYPE, PERIOD_START, FROM_STAGE, TO_STAGE);
    // The window holds one period's rows of a from-stage: at most (stages + 1) rows.
    var outOfStage = Window.partitionBy(col(PERIOD_TYPE), col(PERIOD_START), col(FROM_STAGE));
    return counted.select(
        col(PERIOD_TYPE),
        col(PERIOD_START),
        col(FROM_STAGE),
        col(TO_STAGE),
        col(CUSTOMERS),
        col(TRANSITIONS),
        col(TRANSITIONS).divide(sum(col(TRANSITIONS)).over(outOfStage)).as(PROBABILITY),
        col(MEDIAN_DAYS_BETWEEN),
        col(P90_DAYS_BETWEEN),
        lit(runDate).as(RUN_DATE));
  }
}
