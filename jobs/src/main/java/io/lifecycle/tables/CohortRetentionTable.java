package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code cohort_retention}: the cohort matrix, observed cells and sBG-projected ones, flagged. */
public final class CohortRetentionTable {
  private CohortRetentionTable() {}

  public static final String RETENTION_MODE = "retention_mode";
  public static final String BRACKET = "bracket";
  public static final String COHORT = "cohort_period";
  public static final String CHANNEL = "channel";
  public static final String OFFSET = "period_offset";
  public static final String COHORT_SIZE = "cohort_size";
  public static final String ACTIVE = "active_customers";
  public static final String RETENTION = "retention_rate";
  public static final String REVENUE = "revenue";
  public static final String REVENUE_PER_CUSTOMER = "revenue_per_customer";
  public static final String CUMULATIVE_REVENUE_PER_CUSTOMER = "cumulative_revenue_per_customer";
  public static final String PERIOD_COMPLETE = "period_complete";
  public static final String PROJECTED = "is_projected";
  /** retention_mode of the bracket rows (cohorts.brackets); the period modes' values are their config names. */
  public static final String BRACKET_MODE = "bracket";
  /** Channel value of the whole cohort. */
  public static final String ALL_CHANNELS = "all";

  public static final TableDef DEF =
      TableDef.builder("cohort_retention", "Cohort retention matrix: per retention mode, cohort and period offset, active customers, retention and revenue; cells a cohort has not reached are sBG projections flagged is_projected.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date of the run.")
          .required(RETENTION_MODE, DataTypes.StringType, "Which customers a cell counts (cohorts.retention_modes): 'on', active in the period; 'on_or_after', active in the period or any later one (unbounded retention: never rises with the offset). 'bracket', active on some day of the bracket's range of days since the customer's first day. Projected cells are 'on'.")
          .optional(BRACKET, DataTypes.StringType, "For retention_mode 'bracket' (cohorts.brackets): the days since each customer's first day the cell covers, e.g. '2-7' (period_offset is then the bracket's index, period_complete whether every customer of the cohort has lived through it); null in the other modes.")
          .required(COHORT, DataTypes.DateType, "First day of the cohort's period (month, week or day per cohorts.period; first purchase or first activity, per cohorts.basis).")
          .required(CHANNEL, DataTypes.StringType, "Acquisition channel, or 'all' for the whole cohort.")
          .required(Columns.BREAKDOWN, DataTypes.StringType, "The cohorts.breakdowns property the row splits the cohort by (e.g. 'country'); 'all' for rows over every customer of the cohort (or of its channel). Filter on breakdown = 'all' for the plain matrix.")
          .required(Columns.BREAKDOWN_VALUE, DataTypes.StringType, "The cohort's customers with this value of the property: one of its cohorts.breakdown_values most common values, '(other)' for the rest, '(unknown)' when missing; 'all' on rows with breakdown 'all'.")
          .required(OFFSET, DataTypes.IntegerType, "Periods since the cohort's period (0 = the cohort's own period).")
          .required(COHORT_SIZE, DataTypes.LongType, "Customers in the cohort.")
          .optional(ACTIVE, DataTypes.LongType, "Cohort customers active in the period ('on'), or in it or a later one ('on_or_after'); activity per cohorts.activity or cohorts.activity_events; null when projected.")
          .required(RETENTION, DataTypes.DoubleType, "active_customers / cohort_size; for projected cells the sBG projection.")
          .optional(REVENUE, DataTypes.DoubleType, "Revenue of the cohort's customers in the period (the same in every mode); null when projected.")
          .optional(REVENUE_PER_CUSTOMER, DataTypes.DoubleType, "revenue / cohort_size (per original customer).")
          .optional(CUMULATIVE_REVENUE_PER_CUSTOMER, DataTypes.DoubleType, "Revenue per original customer from offset 0 to this one: the cohort value curve.")
          .required(PERIOD_COMPLETE, DataTypes.BooleanType, "Whether the period had ended by the run date (the latest observed period may be partial).")
          .required(PROJECTED, DataTypes.BooleanType, "True for cells the cohort has not reached: retention projected with the cohort's shifted-beta-geometric fit (per cohorts.projection: by default under a prior from all the cohorts of the same channel and breakdown value, so a young cohort borrows the older ones' shape).")
          .build();
}
