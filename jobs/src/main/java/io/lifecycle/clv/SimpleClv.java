package io.lifecycle.clv;

import io.lifecycle.spark.ExactSums;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.CohortSurvivalTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.CustomerValueTable;
import io.lifecycle.tables.SegmentValueTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The formula businesses use, by segment: simple CLV = yearly profit per customer x years a customer
 * stays - acquisition cost. Yearly profit = gross margin x revenue / customer-years observed (each
 * customer counts at least a month); years retained = the restricted mean lifetime from
 * {@code cohort_survival} (the cohort's own, or 'all' for channels); acquisition cost = the mean of the
 * configured cost of the segment's customers' channels. Beside it, per current stage and stage path,
 * the predicted CLV and the revenue at risk (CLV x (1 - P(alive))): where value sits and where it leaks.
 */
public final class SimpleClv {
  private final LifecycleConfig config;

  public SimpleClv(LifecycleConfig config) {
    this.config = config;
  }

  public Dataset<Row> segments(Dataset<Row> values, Dataset<Row> survival, Dataset<Row> journeys, LocalDate runDate) {
    double daysPerUnit = config.clv().timeUnit() == LifecycleConfig.Clv.TimeUnit.WEEKS ? 7 : 1;
    Column years = greatest(col(CustomerValueTable.AGE).multiply(daysPerUnit), lit(365.25 / 12)).divide(365.25);
    Column cost = acquisitionCost(col(CustomerValueTable.CHANNEL));
    Dataset<Row> base = values.withColumn("_years", years).withColumn("_cost", cost)
        .withColumn("_at_risk", col(CustomerValueTable.PREDICTED_CLV).multiply(lit(1).minus(col(CustomerValueTable.P_ALIVE))));
    Dataset<Row> lifetimes = survival == null ? null : survival.groupBy(CohortSurvivalTable.COHORT)
        .agg(first(col(CohortSurvivalTable.RMST_YEARS)).as("_rmst"));
    // One pass over the customers: exact partial sums per cohort and channel, which the overall, cohort
    // and channel segments add up (a few hundred rows; each grouping read the customers before).
    Dataset<Row> cells = base.groupBy(date_format(col(CustomerValueTable.COHORT), "yyyy-MM-dd").as("_cohort"),
        col(CustomerValueTable.CHANNEL).as("_channel")).agg(
        count(lit(1)).as(SegmentValueTable.CUSTOMERS),
        ExactSums.partial(col(CustomerValueTable.TOTAL_REVENUE)).as("_revenue"),
        ExactSums.partial(col("_years")).as("_years"),
        ExactSums.partial(col("_cost")).as("_cost"),
        count(col("_cost")).as("_costed"),
        ExactSums.partial(col(CustomerValueTable.PREDICTED_CLV)).as("_clv"),
        ExactSums.partial(col("_at_risk")).as("_at_risk"));
    Dataset<Row> all = simple(cells.withColumn("_segment", lit("all")), "all", lifetimes, true);
    Dataset<Row> cohorts = simple(cells.withColumn("_segment", col("_cohort")), "cohort", lifetimes, false);
    Dataset<Row> channels = simple(cells.withColumn("_segment", col("_channel")), "channel", lifetimes, true);
    Dataset<Row> out = all.unionByName(cohorts).unionByName(channels);
    if (journeys != null) {
      Dataset<Row> stages = base.join(journeys.select(Columns.CUSTOMER_ID, CustomerJourneysTable.CURRENT_STAGE, CustomerJourneysTable.PATH),
              Columns.CUSTOMER_ID, "left")
          .groupBy(CustomerJourneysTable.CURRENT_STAGE, CustomerJourneysTable.PATH).agg(
              count(lit(1)).as(SegmentValueTable.CUSTOMERS),
              ExactSums.partial(col(CustomerValueTable.PREDICTED_CLV)).as("_clv"),
              ExactSums.partial(col("_at_risk")).as("_at_risk"));
      out = out.unionByName(atRisk(stages, CustomerJourneysTable.CURRENT_STAGE, "current_stage"))
          .unionByName(atRisk(stages, CustomerJourneysTable.PATH, "path"));
    }
    return out.withColumn(Columns.RUN_DATE, lit(Date.valueOf(runDate)));
  }

  /** A segment type's rows from the cells' partial sums. */
  private Dataset<Row> simple(Dataset<Row> cells, String type, Dataset<Row> lifetimes, boolean overallLifetime) {
    Dataset<Row> agg = cells.groupBy("_segment").agg(
        sum(col(SegmentValueTable.CUSTOMERS)).as(SegmentValueTable.CUSTOMERS),
        ExactSums.total(col("_revenue")).multiply(config.clv().grossMargin()).divide(ExactSums.total(col("_years"))).as(SegmentValueTable.YEARLY_PROFIT),
        ExactSums.total(col("_cost")).divide(sum(col("_costed"))).as(SegmentValueTable.ACQUISITION_COST),
        ExactSums.total(col("_clv")).as(SegmentValueTable.PREDICTED_CLV),
        ExactSums.total(col("_at_risk")).as(SegmentValueTable.REVENUE_AT_RISK));
    Column rmst;
    if (lifetimes == null) {
      rmst = lit(null).cast("double");
    } else if (overallLifetime) {
      agg = agg.crossJoin(lifetimes.where(col(CohortSurvivalTable.COHORT).equalTo("all")).select(col("_rmst")));
      rmst = col("_rmst");
    } else {
      agg = agg.join(lifetimes, agg.col("_segment").equalTo(lifetimes.col(CohortSurvivalTable.COHORT)), "left");
      rmst = col("_rmst");
    }
    return agg.select(
        lit(type).as(SegmentValueTable.SEGMENT_TYPE),
        coalesce(col("_segment"), lit("unknown")).as(SegmentValueTable.SEGMENT),
        col(SegmentValueTable.CUSTOMERS),
        col(SegmentValueTable.YEARLY_PROFIT),
        rmst.as(SegmentValueTable.YEARS_RETAINED),
        col(SegmentValueTable.ACQUISITION_COST),
        col(SegmentValueTable.YEARLY_PROFIT).multiply(rmst).minus(col(SegmentValueTable.ACQUISITION_COST)).as(SegmentValueTable.SIMPLE_CLV),
        col(SegmentValueTable.PREDICTED_CLV),
        col(SegmentValueTable.REVENUE_AT_RISK));
  }

  /** A current-stage or path segment type's rows from the (stage, path) cells' partial sums. */
  private static Dataset<Row> atRisk(Dataset<Row> cells, String column, String type) {
    return cells.groupBy(coalesce(col(column), lit("unknown")).as(SegmentValueTable.SEGMENT)).agg(
            sum(col(SegmentValueTable.CUSTOMERS)).as(SegmentValueTable.CUSTOMERS),
            ExactSums.total(col("_clv")).as(SegmentValueTable.PREDICTED_CLV),
            ExactSums.total(col("_at_risk")).as(SegmentValueTable.REVENUE_AT_RISK))
        .select(lit(type).as(SegmentValueTable.SEGMENT_TYPE), col(SegmentValueTable.SEGMENT), col(SegmentValueTable.CUSTOMERS),
            lit(null).cast("double").as(SegmentValueTable.YEARLY_PROFIT), lit(null).cast("double").as(SegmentValueTable.YEARS_RETAINED),
            lit(null).cast("double").as(SegmentValueTable.ACQUISITION_COST), lit(null).cast("double").as(SegmentValueTable.SIMPLE_CLV),
            col(SegmentValueTable.PREDICTED_CLV), col(SegmentValueTable.REVENUE_AT_RISK));
  }

  /** The configured acquisition cost of a channel, as an expression ('default' for unlisted channels). */
  Column acquisitionCost(Column channel) {
    Column cost = lit(config.clv().acquisitionCostOf(null));
    for (Map.Entry<String, Double> e : config.clv().acquisitionCost().entrySet()) {
      cost = when(channel.equalTo(e.getKey()), lit(e.getValue())).otherwise(cost);
    }
    return cost;
  }
}
