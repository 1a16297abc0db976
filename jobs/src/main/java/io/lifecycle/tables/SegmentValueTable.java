package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code segment_value}: the simple CLV formula by segment (cohort, channel), and value at risk by stage and path. */
public final class SegmentValueTable {
  private SegmentValueTable() {}

  public static final String SEGMENT_TYPE = "segment_type";
  public static final String SEGMENT = "segment";
  public static final String CUSTOMERS = "customers";
  public static final String YEARLY_PROFIT = "yearly_profit_per_customer";
  public static final String YEARS_RETAINED = "years_retained";
  public static final String ACQUISITION_COST = "acquisition_cost";
  public static final String SIMPLE_CLV = "simple_clv";
  public static final String PREDICTED_CLV = "predicted_clv_total";
  public static final String REVENUE_AT_RISK = "revenue_at_risk";
  public static final String PREDICTED_CLV_LOW = "predicted_clv_total_low";
  public static final String PREDICTED_CLV_HIGH = "predicted_clv_total_high";
  public static final String REVENUE_AT_RISK_LOW = "revenue_at_risk_low";
  public static final String REVENUE_AT_RISK_HIGH = "revenue_at_risk_high";

  public static final TableDef DEF =
      TableDef.builder("segment_value", "Simple CLV = yearly profit per customer x years retained - acquisition cost, by cohort and channel; predicted CLV and revenue at risk (CLV x (1 - P(alive))) by current stage and stage path.")
          .required(RUN_DATE, DataTypes.DateType, "Run date.")
          .required(SEGMENT_TYPE, DataTypes.StringType, "all, cohort, channel, current_stage or path.")
          .required(SEGMENT, DataTypes.StringType, "The segment's value (cohort yyyy-MM-dd, channel, stage or path; the paths beyond the clv.path_segments most common are one '(other)' segment).")
          .required(CUSTOMERS, DataTypes.LongType, "Customers who purchased, in the segment.")
          .optional(YEARLY_PROFIT, DataTypes.DoubleType, "Margin per customer per year observed: gross margin x revenue / customer-years since the first purchase.")
          .optional(YEARS_RETAINED, DataTypes.DoubleType, "Restricted mean lifetime in years from cohort_survival (the cohort's, or 'all').")
          .optional(ACQUISITION_COST, DataTypes.DoubleType, "Mean acquisition cost of the segment's customers, from clv.acquisition_cost.")
          .optional(SIMPLE_CLV, DataTypes.DoubleType, "yearly_profit_per_customer x years_retained - acquisition_cost.")
          .optional(PREDICTED_CLV, DataTypes.DoubleType, "Sum of the customers' predicted CLV.")
          .optional(REVENUE_AT_RISK, DataTypes.DoubleType, "Sum of predicted CLV x (1 - P(alive)): value likely to leak.")
          .optional(PREDICTED_CLV_LOW, DataTypes.DoubleType, "5th percentile over the parameter draws (clv.intervals) of the segment's total predicted CLV, each draw's total summed over the segment's customers; null when clv.intervals = none.")
          .optional(PREDICTED_CLV_HIGH, DataTypes.DoubleType, "95th percentile of the same totals: with predicted_clv_total_low a 90% interval (parameter uncertainty only).")
          .optional(REVENUE_AT_RISK_LOW, DataTypes.DoubleType, "5th percentile over the parameter draws of the segment's revenue at risk, summed per draw.")
          .optional(REVENUE_AT_RISK_HIGH, DataTypes.DoubleType, "95th percentile of the same: with revenue_at_risk_low a 90% interval.")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
