package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.*;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code stage_funnel}: per-stage KPIs for each acquisition cohort (month of first activity) and
 * acquisition channel, plus all channels together. A snapshot replaced whole by each run.
 */
public final class StageFunnelTable {
  private StageFunnelTable() {}

  public static final String PERIOD_START = "period_start";
  public static final String ACQUISITION_CHANNEL = "acquisition_channel";
  public static final String STAGE_RANK = "stage_rank";
  public static final String COHORT_CUSTOMERS = "cohort_customers";
  public static final String CUSTOMERS_ENTERED = "customers_entered";
  public static final String ENTERED_RATE = "entered_rate";
  public static final String CONVERSION_TO_NEXT = "conversion_to_next";
  public static final String CONVERSION_TO_LATER = "conversion_to_later";
  public static final String DROP_OFF_CUSTOMERS = "drop_off_customers";
  public static final String DROP_OFF_RATE = "drop_off_rate";
  public static final String CHURNED_FROM_STAGE = "churned_from_stage";
  public static final String MEDIAN_DAYS_IN_STAGE = "median_days_in_stage";
  public static final String NON_LINEAR_SHARE = "non_linear_share";

  /** {@link #ACQUISITION_CHANNEL} of the rows over all channels. */
  public static final String ALL_CHANNELS = "(all)";
  /** {@link #ACQUISITION_CHANNEL} of customers whose first session has no channel. */
  public static final String UNKNOWN_CHANNEL = "(unknown)";

  public static final TableDef DEF =
      TableDef.builder("stage_funnel", "Per-stage funnel KPIs per acquisition month and acquisition channel (and '(all)' channels), as of the run date.")
          .required(PERIOD_START, DataTypes.DateType, "Acquisition month (first day, UTC) of the cohort: the month of the customers' first staged session.")
          .required(ACQUISITION_CHANNEL, DataTypes.StringType, "First non-null channel of the customers' first session; '(unknown)' when none; '(all)' for all channels together.")
          .required(Columns.BREAKDOWN, DataTypes.StringType, "The cohorts.breakdowns property the row splits the cohort by (e.g. 'country'), its acquisition_channel then '(all)'; 'all' for rows over every customer of the cohort (or of its channel). Filter on breakdown = 'all' for the plain funnel.")
          .required(Columns.BREAKDOWN_VALUE, DataTypes.StringType, "The cohort's customers with this value of the property: one of its cohorts.breakdown_values most common values, '(other)' for the rest, '(unknown)' when missing; '(all)' on rows with breakdown 'all'.")
          .required(STAGE, DataTypes.StringType, "Stage of the model.")
          .required(STAGE_RANK, DataTypes.IntegerType, "1-based position of the stage in the model's order.")
          .required(COHORT_CUSTOMERS, DataTypes.LongType, "Customers in the cohort (month, channel).")
          .required(CUSTOMERS_ENTERED, DataTypes.LongType, "Cohort customers who entered the stage at least once.")
          .required(ENTERED_RATE, DataTypes.DoubleType, "customers_entered / cohort_customers.")
          .optional(CONVERSION_TO_NEXT, DataTypes.DoubleType, "Share of customers_entered who later entered the next stage of the model; null for the last stage or when nobody entered.")
          .required(CONVERSION_TO_LATER, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true), "For each later stage of the model, in order: share of customers_entered who entered it after first entering this stage (empty for the last stage; values null when nobody entered).")
          .required(DROP_OFF_CUSTOMERS, DataTypes.LongType, "Customers who entered the stage and never reached a more advanced stage afterwards (0 for the last stage).")
          .optional(DROP_OFF_RATE, DataTypes.DoubleType, "drop_off_customers / customers_entered; null for the last stage or when nobody entered.")
          .required(CHURNED_FROM_STAGE, DataTypes.LongType, "Customers who churned directly from this stage at least once.")
          .optional(MEDIAN_DAYS_IN_STAGE, DataTypes.DoubleType, "Median days of the cohort's finished episodes in the stage (exact, nearest rank: the lower middle value for an even count); null when none finished.")
          .optional(NON_LINEAR_SHARE, DataTypes.DoubleType, "Share of customers_entered whose journey is non-linear (skips or moves back); null when nobody entered.")
          .required(RUN_DATE, DataTypes.DateType, "Run date the snapshot is as of.")
          .build();
}
