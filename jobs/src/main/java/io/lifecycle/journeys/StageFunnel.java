package io.lifecycle.journeys;

import static io.lifecycle.tables.Columns.*;
import static io.lifecycle.tables.StageFunnelTable.*;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.StageModel;
import io.lifecycle.sessions.Sessionizer;
import io.lifecycle.sessions.StageOrder;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.CustomerStageHistoryTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Journeys and episodes to {@code stage_funnel}: for each acquisition cohort (month of the first staged
 * session, acquisition channel, and all channels as {@value io.lifecycle.tables.StageFunnelTable#ALL_CHANNELS})
 * and each stage of the model, how many customers entered it, how many of those later entered each more
 * advanced stage, how many never got further (drop-off), how many churned straight from it, how long
 * finished episodes in it lasted (median, {@code percentile_approx} accuracy 10000), and what share of
 * them took a non-linear path. "Later" means a more advanced stage entered after the customer first
 * entered this one, whatever happened in between. Every (cohort, stage) has a row, zeros included.
 */
public final class StageFunnel {
  private static final String LATER_STAGE = "_later_stage";
  private static final String LATER_RANK = "_later_rank";
  private static final String FIRST_ENTERED = "_first_entered";
  private static final String LAST_ENTERED = "_last_entered";
  private static final String HAS_LATER = "_has_later";
  private static final String CHURNED_FROM = "_churned_from";
  private static final String NON_LINEAR = "_non_linear";
  private static final String REACHED = "_reached";
  private static final String RATE = "_rate";

  private final StageModel model;
  private final StageOrder order;
  private final LocalDate runDate;

  public StageFunnel(StageModel model, LocalDate runDate) {
    this.model = model;
    this.order = new StageOrder(model);
    this.runDate = runDate;
  }

  /**
   * @param journeys rows shaped as {@code customer_journeys}
   * @param episodes rows shaped as {@code customer_stage_history}
   */
  public Dataset<Row> funnel(Dataset<Row> journeys, Dataset<Row> episodes) {
    Sessionizer.requireColumns(journeys, CUSTOMER_ID, CustomerJourneysTable.ACQUISITION_MONTH,
        CustomerJourneysTable.ACQUISITION_CHANNEL, CustomerJourneysTable.IS_NON_LINEAR);
    Sessionizer.requireColumns(episodes, CUSTOMER_ID, STAGE, CustomerStageHistoryTable.PREVIOUS_STAGE,
        CustomerStageHistoryTable.ENTERED_AT, CustomerStageHistoryTable.LEFT_AT, CustomerStageHistoryTable.DAYS_IN_STAGE);
    SparkSession spark = journeys.sparkSession();

    // Each customer once per channel row: their own channel and the all-channels row.
    Dataset<Row> oneChannel = journeys.select(
        col(CUSTOMER_ID),
        col(CustomerJourneysTable.ACQUISITION_MONTH).as(PERIOD_START),
        coalesce(col(CustomerJourneysTable.ACQUISITION_CHANNEL), lit(UNKNOWN_CHANNEL)).as(ACQUISITION_CHANNEL),
        col(CustomerJourneysTable.IS_NON_LINEAR).as(NON_LINEAR));
    Dataset<Row> customers = oneChannel.unionByName(oneChannel.withColumn(ACQUISITION_CHANNEL, lit(ALL_CHANNELS)));
    Dataset<Row> cohorts = customers.groupBy(col(PERIOD_START), col(ACQUISITION_CHANNEL))
        .agg(count(lit(1)).as(COHORT_CUSTOMERS));

    // Per customer and stage of the model: first and last entry.
    Column isModelStage = col(STAGE).notEqual(StageModel.CHURNED);
    Dataset<Row> entered = episodes.where(isModelStage)
        .groupBy(col(CUSTOMER_ID), col(STAGE))
        .agg(min(col(CustomerStageHistoryTable.ENTERED_AT)).as(FIRST_ENTERED),
            max(col(CustomerStageHistoryTable.ENTERED_AT)).as(LAST_ENTERED))
        .select(col(CUSTOMER_ID), col(STAGE), order.rank(col(STAGE)).as(STAGE_RANK), col(FIRST_ENTERED), col(LAST_ENTERED));
    // (customer, stage, later stage) when the later stage was entered after first entering the stage.
    Dataset<Row> later = entered.as("a").join(entered.as("b"),
            col("a." + CUSTOMER_ID).equalTo(col("b." + CUSTOMER_ID))
                .and(col("b." + STAGE_RANK).gt(col("a." + STAGE_RANK)))
                .and(col("b." + LAST_ENTERED).gt(col("a." + FIRST_ENTERED))),
            "inner")
        .select(col("a." + CUSTOMER_ID).as(CUSTOMER_ID), col("a." + STAGE).as(STAGE), col("b." + STAGE).as(LATER_STAGE));
    Dataset<Row> churnedFrom = episodes.where(col(STAGE).equalTo(StageModel.CHURNED))
        .select(col(CUSTOMER_ID), col(CustomerStageHistoryTable.PREVIOUS_STAGE).as(STAGE))
        .distinct()
        .withColumn(CHURNED_FROM, lit(1L));
    Dataset<Row> hasLater = later.select(col(CUSTOMER_ID), col(STAGE)).distinct().withColumn(HAS_LATER, lit(1L));
    Dataset<Row> perCustomerStage = entered
        .join(hasLater, joinKeys(), "left_outer")
        .join(churnedFrom, joinKeys(), "left_outer")
        .select(col(CUSTOMER_ID), col(STAGE), coalesce(col(HAS_LATER), lit(0L)).as(HAS_LATER),
            coalesce(col(CHURNED_FROM), lit(0L)).as(CHURNED_FROM));

    Dataset<Row> stageCounts = customers.join(perCustomerStage, keys(CUSTOMER_ID), "inner")
        .groupBy(col(PERIOD_START), col(ACQUISITION_CHANNEL), col(STAGE))
        .agg(count(lit(1)).as(CUSTOMERS_ENTERED),
            sum(lit(1L).minus(col(HAS_LATER))).as(DROP_OFF_CUSTOMERS),
            sum(col(CHURNED_FROM)).as(CHURNED_FROM_STAGE),
            sum(when(col(NON_LINEAR), 1L).otherwise(0L)).as(NON_LINEAR));
    Dataset<Row> laterCounts = customers.join(later, keys(CUSTOMER_ID), "inner")
        .groupBy(col(PERIOD_START), col(ACQUISITION_CHANNEL), col(STAGE), col(LATER_STAGE))
        .agg(count(lit(1)).as(REACHED));
    Dataset<Row> medians = customers
        .join(episodes.where(isModelStage.and(col(CustomerStageHistoryTable.LEFT_AT).isNotNull())), keys(CUSTOMER_ID), "inner")
        .groupBy(col(PERIOD_START), col(ACQUISITION_CHANNEL), col(STAGE))
        .agg(percentile_approx(col(CustomerStageHistoryTable.DAYS_IN_STAGE), lit(0.5), lit(StageTransitions.ACCURACY)).as(MEDIAN_DAYS_IN_STAGE));

    // The grid: every cohort x stage, and every cohort x stage x later stage. The stage lists come
    // from the config, so they are small by construction.
    Dataset<Row> grid = cohorts.crossJoin(stageList(spark));
    Column enteredCount = coalesce(col(CUSTOMERS_ENTERED), lit(0L));
    Dataset<Row> conversions = grid.join(laterStageList(spark), keys(STAGE), "inner")
        .join(laterCounts, keys(PERIOD_START, ACQUISITION_CHANNEL, STAGE, LATER_STAGE), "left_outer")
        .join(stageCounts.select(PERIOD_START, ACQUISITION_CHANNEL, STAGE, CUSTOMERS_ENTERED),
            keys(PERIOD_START, ACQUISITION_CHANNEL, STAGE), "left_outer")
        .withColumn(RATE, when(enteredCount.gt(0), coalesce(col(REACHED), lit(0L)).divide(enteredCount)))
        .groupBy(col(PERIOD_START), col(ACQUISITION_CHANNEL), col(STAGE))
        .agg(map_from_entries(transform(array_sort(collect_list(struct(col(LATER_RANK), col(LATER_STAGE), col(RATE)))),
                e -> struct(e.getField(LATER_STAGE), e.getField(RATE)))).as(CONVERSION_TO_LATER));

    Column isLast = col(STAGE_RANK).equalTo(model.order().size());
    Column someEntered = enteredCount.gt(0);
    return grid
        .join(stageCounts, keys(PERIOD_START, ACQUISITION_CHANNEL, STAGE), "left_outer")
        .join(conversions, keys(PERIOD_START, ACQUISITION_CHANNEL, STAGE), "left_outer")
        .join(medians, keys(PERIOD_START, ACQUISITION_CHANNEL, STAGE), "left_outer")
        .select(
            col(PERIOD_START),
            col(ACQUISITION_CHANNEL),
            col(STAGE),
            col(STAGE_RANK),
            col(COHORT_CUSTOMERS),
            enteredCount.as(CUSTOMERS_ENTERED),
            enteredCount.divide(col(COHORT_CUSTOMERS)).as(ENTERED_RATE),
            when(not(isLast).and(someEntered), element_at(col(CONVERSION_TO_LATER), order.name(col(STAGE_RANK).plus(1))))
                .as(CONVERSION_TO_NEXT),
            coalesce(col(CONVERSION_TO_LATER), map().cast(DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType)))
                .as(CONVERSION_TO_LATER),
            when(isLast, lit(0L)).otherwise(coalesce(col(DROP_OFF_CUSTOMERS), lit(0L))).as(DROP_OFF_CUSTOMERS),
            when(not(isLast).and(someEntered), col(DROP_OFF_CUSTOMERS).divide(enteredCount)).as(DROP_OFF_RATE),
            coalesce(col(CHURNED_FROM_STAGE), lit(0L)).as(CHURNED_FROM_STAGE),
            col(MEDIAN_DAYS_IN_STAGE),
            when(someEntered, col(NON_LINEAR).divide(enteredCount)).as(NON_LINEAR_SHARE),
            lit(runDate).as(RUN_DATE));
  }

  /** (stage, stage_rank) for every stage of the model. */
  private Dataset<Row> stageList(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (String stage : model.order()) {
      rows.add(RowFactory.create(stage, model.rank(stage)));
    }
    return spark.createDataFrame(rows, new StructType()
        .add(STAGE, DataTypes.StringType, false).add(STAGE_RANK, DataTypes.IntegerType, false));
  }

  /** (stage, later stage, later rank) for every pair of the model's stages in order. */
  private Dataset<Row> laterStageList(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (String stage : model.order()) {
      for (String laterStage : model.order().subList(model.rank(stage), model.order().size())) {
        rows.add(RowFactory.create(stage, laterStage, model.rank(laterStage)));
      }
    }
    return spark.createDataFrame(rows, new StructType()
        .add(STAGE, DataTypes.StringType, false).add(LATER_STAGE, DataTypes.StringType, false)
        .add(LATER_RANK, DataTypes.IntegerType, false));
  }

  private static String[] joinKeys() {
    return keys(CUSTOMER_ID, STAGE);
  }

  private static String[] keys(String... names) {
    return names;
  }
}
