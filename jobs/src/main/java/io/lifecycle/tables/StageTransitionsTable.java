package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.*;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code stage_transitions}: moves from one episode's stage to the next customer episode's stage, all
 * time (period_type ALL) and per month of the move (MONTH). A snapshot replaced whole by each run.
 */
public final class StageTransitionsTable {
  private StageTransitionsTable() {}

  public static final String PERIOD_TYPE = "period_type";
  public static final String PERIOD_START = "period_start";
  public static final String FROM_STAGE = "from_stage";
  public static final String TO_STAGE = "to_stage";
  public static final String CUSTOMERS = "customers";
  public static final String TRANSITIONS = "transitions";
  public static final String PROBABILITY = "probability";
  public static final String MEDIAN_DAYS_BETWEEN = "median_days_between";
  public static final String P90_DAYS_BETWEEN = "p90_days_between";

  public static final String PERIOD_ALL = "ALL";
  public static final String PERIOD_MONTH = "MONTH";

  public static final TableDef DEF =
      TableDef.builder("stage_transitions", "Stage-to-stage moves (CHURNED included) with probabilities and times between, all time and per month.")
          .required(PERIOD_TYPE, DataTypes.StringType, "ALL (every transition up to the run date) or MONTH (transitions made in the month).")
          .optional(PERIOD_START, DataTypes.DateType, "First day of the UTC month the move was made in (the to-stage's entered_at); null for ALL.")
          .required(FROM_STAGE, DataTypes.StringType, "Stage left (a model stage or CHURNED).")
          .required(TO_STAGE, DataTypes.StringType, "Stage entered (a model stage or CHURNED).")
          .required(CUSTOMERS, DataTypes.LongType, "Distinct customers who made the move.")
          .required(TRANSITIONS, DataTypes.LongType, "Number of moves (a customer may move more than once).")
          .required(PROBABILITY, DataTypes.DoubleType, "transitions / all moves out of from_stage in the same period: the rows of a from-stage sum to 1.")
          .required(MEDIAN_DAYS_BETWEEN, DataTypes.DoubleType, "Median days from entering from_stage to entering to_stage (exact, nearest rank: the lower middle value for an even count).")
          .required(P90_DAYS_BETWEEN, DataTypes.DoubleType, "90th percentile of the same (exact, nearest rank: the value at rank ceil(0.9 n)).")
          .required(RUN_DATE, DataTypes.DateType, "Run date the snapshot is as of.")
          .build();
}
