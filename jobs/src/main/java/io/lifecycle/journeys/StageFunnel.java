package io.lifecycle.journeys;

import static io.lifecycle.tables.Columns.*;
import static io.lifecycle.tables.StageFunnelTable.*;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.StageModel;
import io.lifecycle.spark.CustomerBreakdowns;
import io.lifecycle.spark.RequiredColumns;
import io.lifecycle.spark.StageOrder;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.CustomerStageHistoryTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Journeys and episodes to {@code stage_funnel}: for each acquisition cohort (month of the first staged
 * session, acquisition channel, and all channels as {@value io.lifecycle.tables.StageFunnelTable#ALL_CHANNELS};
 * and over all channels, each value of each cohorts.breakdowns property)
 * and each stage of the model, how many customers entered it, how many of those later entered each more
 * advanced stage, how many never got further (drop-off), how many churned straight from it, how long
 * finished episodes in it lasted (exact median by nearest rank, {@link NearestRank}), and what share of
 * them took a non-linear path. "Later" means a more advanced stage entered after the customer first
 * entered this one, whatever happened in between. Every (cohort, stage) has a row, zeros included.
 */
public final class StageFunnel {
  private static final String FIRST_ENTERED = "_first_entered_";
  private static final String LAST_ENTERED = "_last_entered_";
  private static final String CHURNED_FROM = "_churned_from_";
  private static final String REACHED = "_reached_";
  private static final String HAS_LATER = "_has_later";
  private static final String ENTERED = "_entered";
  private static final String NON_LINEAR = "_non_linear";

  private static final String SEGMENT = "_segment";

  private final StageModel model;
  private final StageOrder order;
  private final LocalDate runDate;
  private final CustomerBreakdowns breakdowns;
  private final Dataset<Row> customerBreakdowns;

  /** The funnel per acquisition channel and over all channels, no breakdowns. */
  public StageFunnel(StageModel model, LocalDate runDate) {
    this(model, runDate, null, null);
  }

  /**
   * With cohorts.breakdowns: {@code customerBreakdowns} holds each customer's values ({@link
   * CustomerBreakdowns#of}); null with none configured.
   */
  public StageFunnel(StageModel model, LocalDate runDate, CustomerBreakdowns breakdowns, Dataset<Row> customerBreakdowns) {
    this.model = model;
    this.order = new StageOrder(model);
    this.runDate = runDate;
    this.breakdowns = breakdowns == null || breakdowns.isEmpty() ? null : breakdowns;
    this.customerBreakdowns = customerBreakdowns;
  }

  /**
   * The segments a customer's row counts in, for {@code explode}: its channel, all channels, and each
   * breakdown's value (over all channels).
   */
  private Column segments() {
    Column noBreakdown = lit(ALL_BREAKDOWNS).as(BREAKDOWN);
    Column allValues = lit(ALL_CHANNELS).as(BREAKDOWN_VALUE);
    List<Column> out = new ArrayList<>(List.of(
        struct(col(ACQUISITION_CHANNEL).as(ACQUISITION_CHANNEL), noBreakdown, allValues),
        struct(lit(ALL_CHANNELS).as(ACQUISITION_CHANNEL), noBreakdown, allValues)));
    if (breakdowns != null) {
      out.addAll(breakdowns.segments(lit(ALL_CHANNELS).as(ACQUISITION_CHANNEL)));
    }
    return explode(array(out.toArray(Column[]::new)));
  }

  /** Every column, and the exploded segment's three fields as columns of their own. */
  private static Column[] withSegmentFields() {
    return new Column[] {col("*"), col(SEGMENT + "." + ACQUISITION_CHANNEL).as(ACQUISITION_CHANNEL),
        col(SEGMENT + "." + BREAKDOWN).as(BREAKDOWN), col(SEGMENT + "." + BREAKDOWN_VALUE).as(BREAKDOWN_VALUE)};
  }

  private List<Column> breakdownColumns() {
    return breakdowns == null ? List.of() : breakdowns.columns();
  }

  /**
   * @param journeys rows shaped as {@code customer_journeys}
   * @param episodes rows shaped as {@code customer_stage_history}
   */
  public Dataset<Row> funnel(Dataset<Row> journeys, Dataset<Row> episodes) {
    RequiredColumns.require(journeys, CUSTOMER_ID, CustomerJourneysTable.ACQUISITION_MONTH,
        CustomerJourneysTable.ACQUISITION_CHANNEL, CustomerJourneysTable.IS_NON_LINEAR);
    RequiredColumns.require(episodes, CUSTOMER_ID, STAGE, CustomerStageHistoryTable.PREVIOUS_STAGE,
        CustomerStageHistoryTable.ENTERED_AT, CustomerStageHistoryTable.LEFT_AT, CustomerStageHistoryTable.DAYS_IN_STAGE);
    SparkSession spark = journeys.sparkSession();
    List<String> stages = model.order();
    int n = stages.size();

    Dataset<Row> oneChannel = journeys.select(
        col(CUSTOMER_ID),
        col(CustomerJourneysTable.ACQUISITION_MONTH).as(PERIOD_START),
        coalesce(col(CustomerJourneysTable.ACQUISITION_CHANNEL), lit(UNKNOWN_CHANNEL)).as(ACQUISITION_CHANNEL),
        col(CustomerJourneysTable.IS_NON_LINEAR).as(NON_LINEAR));
    if (breakdowns != null) {
      oneChannel = breakdowns.attach(oneChannel, customerBreakdowns);
    }
    List<Column> customerKeys = new ArrayList<>(List.of(col(PERIOD_START), col(ACQUISITION_CHANNEL), col(NON_LINEAR)));
    customerKeys.addAll(breakdownColumns());
    // Each customer counts in their own channel's row, in the all-channels row, and in their value's row
    // of each breakdown.
    Dataset<Row> cohorts = oneChannel.select(col(PERIOD_START), segments().as(SEGMENT))
        .groupBy(col(PERIOD_START), col(SEGMENT + "." + ACQUISITION_CHANNEL).as(ACQUISITION_CHANNEL),
            col(SEGMENT + "." + BREAKDOWN).as(BREAKDOWN), col(SEGMENT + "." + BREAKDOWN_VALUE).as(BREAKDOWN_VALUE))
        .agg(count(lit(1)).as(COHORT_CUSTOMERS));

    // One pass over the episodes, one row per customer: per stage of the model, the first and last
    // entry and whether they churned straight from it. The stage list is the config's, so it is small;
    // no list of the customer's episodes, so Spark aggregates by hashing, not by sorting the episodes.
    Column entered = col(CustomerStageHistoryTable.ENTERED_AT);
    List<Column> perStage = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Column inStage = col(STAGE).equalTo(stages.get(i));
      perStage.add(min(when(inStage, entered)).as(FIRST_ENTERED + i));
      perStage.add(max(when(inStage, entered)).as(LAST_ENTERED + i));
      perStage.add(max(when(col(STAGE).equalTo(StageModel.CHURNED)
          .and(col(CustomerStageHistoryTable.PREVIOUS_STAGE).equalTo(stages.get(i))), 1L).otherwise(0L)).as(CHURNED_FROM + i));
    }
    Dataset<Row> perCustomer = episodes.groupBy(col(CUSTOMER_ID))
        .agg(perStage.get(0), perStage.subList(1, perStage.size()).toArray(Column[]::new))
        .join(oneChannel, CUSTOMER_ID);

    // Per customer and stage entered: a later stage counts when entered after first entering this one,
    // whatever happened in between.
    List<Column> stageRows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Column> fields = new ArrayList<>(List.of(lit(stages.get(i)).as(STAGE),
          col(FIRST_ENTERED + i).isNotNull().as(ENTERED), col(CHURNED_FROM + i).as(CHURNED_FROM)));
      Column hasLater = lit(false);
      for (int j = 0; j < n; j++) {
        Column reached = j > i ? coalesce(col(LAST_ENTERED + j).gt(col(FIRST_ENTERED + i)), lit(false)) : lit(false);
        fields.add(reached.cast("long").as(REACHED + j));
        hasLater = hasLater.or(reached);
      }
      fields.add(hasLater.cast("long").as(HAS_LATER));
      stageRows.add(struct(fields.toArray(Column[]::new)));
    }
    // One generator per select: the stages first, then the segments.
    List<Column> withStages = new ArrayList<>(customerKeys);
    withStages.add(explode(array(stageRows.toArray(Column[]::new))).as("_s"));
    Dataset<Row> customerStages = perCustomer
        .select(withStages.toArray(Column[]::new))
        .where(col("_s." + ENTERED))
        .select(col(PERIOD_START), segments().as(SEGMENT), col(NON_LINEAR), col("_s.*"))
        .select(withSegmentFields()).drop(SEGMENT);
    List<Column> sums = new ArrayList<>(List.of(
        sum(lit(1L).minus(col(HAS_LATER))).as(DROP_OFF_CUSTOMERS),
        sum(col(CHURNED_FROM)).as(CHURNED_FROM_STAGE),
        sum(when(col(NON_LINEAR), 1L).otherwise(0L)).as(NON_LINEAR)));
    for (int j = 0; j < n; j++) {
      sums.add(sum(col(REACHED + j)).as(REACHED + j));
    }
    Dataset<Row> stageCounts = customerStages
        .groupBy(col(PERIOD_START), col(ACQUISITION_CHANNEL), col(BREAKDOWN), col(BREAKDOWN_VALUE), col(STAGE))
        .agg(count(lit(1)).as(CUSTOMERS_ENTERED), sums.toArray(Column[]::new));
    Column days = col(CustomerStageHistoryTable.DAYS_IN_STAGE);
    // The finished episodes of the model's stages with their customer's segment columns, read twice by the
    // median's passes ({@link NearestRank}): computed once, before each counts in several segments.
    List<Column> withFinished = new ArrayList<>(customerKeys);
    withFinished.add(col(STAGE));
    withFinished.add(days);
    Dataset<Row> finished = episodes
        .where(col(STAGE).notEqual(StageModel.CHURNED).and(col(CustomerStageHistoryTable.LEFT_AT).isNotNull()))
        .select(col(CUSTOMER_ID), col(STAGE), days)
        .join(oneChannel, CUSTOMER_ID)
        .select(withFinished.toArray(Column[]::new))
        .localCheckpoint()
        .select(col(PERIOD_START), segments().as(SEGMENT), col(STAGE), days)
        .select(withSegmentFields()).drop(SEGMENT);
    Dataset<Row> withMedians = NearestRank.withPercentiles(stageCounts, finished, days, Map.of(MEDIAN_DAYS_IN_STAGE, 0.5),
        PERIOD_START, ACQUISITION_CHANNEL, BREAKDOWN, BREAKDOWN_VALUE, STAGE);

    // The grid: every cohort x stage, zeros included.
    Dataset<Row> grid = cohorts.crossJoin(stageList(spark));
    Column enteredCount = coalesce(col(CUSTOMERS_ENTERED), lit(0L));
    Column someEntered = enteredCount.gt(0);
    // For each later stage, in order: the share of those who entered this stage that reached it.
    Column conversions = map().cast(DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType));
    for (int i = n - 2; i >= 0; i--) {
      List<Column> entries = new ArrayList<>();
      for (int j = i + 1; j < n; j++) {
        entries.add(lit(stages.get(j)));
        entries.add(when(someEntered, coalesce(col(REACHED + j), lit(0L)).divide(enteredCount)));
      }
      conversions = when(col(STAGE_RANK).equalTo(i + 1), map(entries.toArray(Column[]::new))).otherwise(conversions);
    }
    Column isLast = col(STAGE_RANK).equalTo(n);
    return grid
        .join(withMedians, keys(PERIOD_START, ACQUISITION_CHANNEL, BREAKDOWN, BREAKDOWN_VALUE, STAGE), "left_outer")
        .withColumn(CONVERSION_TO_LATER, conversions)
        .select(
            col(PERIOD_START),
            col(ACQUISITION_CHANNEL),
            col(BREAKDOWN),
            col(BREAKDOWN_VALUE),
            col(STAGE),
            col(STAGE_RANK),
            col(COHORT_CUSTOMERS),
            enteredCount.as(CUSTOMERS_ENTERED),
            enteredCount.divide(col(COHORT_CUSTOMERS)).as(ENTERED_RATE),
            when(not(isLast).and(someEntered), element_at(col(CONVERSION_TO_LATER), order.name(col(STAGE_RANK).plus(1))))
                .as(CONVERSION_TO_NEXT),
            col(CONVERSION_TO_LATER),
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

  private static String[] keys(String... names) {
    return names;
  }
}
