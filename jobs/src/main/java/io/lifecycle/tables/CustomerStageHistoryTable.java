package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.*;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code customer_stage_history}: each customer's stage episodes (consecutive sessions in one stage
 * collapsed), including CHURNED episodes, as of the run date. A snapshot replaced whole by each run.
 */
public final class CustomerStageHistoryTable {
  private CustomerStageHistoryTable() {}

  public static final String EPISODE_NUMBER = "episode_number";
  public static final String ENTERED_AT = "entered_at";
  public static final String LEFT_AT = "left_at";
  public static final String LAST_ACTIVITY_AT = "last_activity_at";
  public static final String DAYS_IN_STAGE = "days_in_stage";
  public static final String SESSIONS = "sessions";
  public static final String EVENTS = "events";
  public static final String REVENUE = "revenue";
  public static final String PREVIOUS_STAGE = "previous_stage";
  public static final String MOVE = "move";
  public static final String STAGES_SKIPPED = "stages_skipped";
  public static final String IS_REACTIVATION = "is_reactivation";
  public static final String IS_CURRENT = "is_current";

  /** {@link #MOVE} values: how an episode's stage relates to the previous non-CHURNED episode's. */
  public static final String MOVE_START = "START";
  public static final String MOVE_FORWARD = "FORWARD";
  public static final String MOVE_SKIP = "SKIP";
  public static final String MOVE_BACK = "BACK";
  public static final String MOVE_SAME = "SAME";
  public static final String MOVE_CHURN = "CHURN";

  public static final TableDef DEF =
      TableDef.builder("customer_stage_history", "Stage episodes per customer (consecutive sessions in one stage collapsed), with CHURNED episodes, as of the run date.")
          .required(CUSTOMER_ID, DataTypes.StringType, "Customer identifier.")
          .required(EPISODE_NUMBER, DataTypes.IntegerType, "1-based position of the episode in the customer's journey.")
          .required(STAGE, DataTypes.StringType, "Stage of the episode: a stage of the model, or CHURNED.")
          .optional(PREVIOUS_STAGE, DataTypes.StringType, "Stage of the previous episode (may be CHURNED); null for the first episode.")
          .required(MOVE, DataTypes.StringType, "START (first episode), FORWARD (next stage), SKIP (forward over at least one stage), BACK (to an earlier stage), SAME (same stage again after churning), CHURN (this is a CHURNED episode); compared with the last non-CHURNED episode before it.")
          .required(STAGES_SKIPPED, DataTypes.IntegerType, "Stages of the model jumped over by this move: rank - 1 for the first episode, rank difference - 1 for SKIP, else 0.")
          .required(ENTERED_AT, DataTypes.TimestampType, "When the episode began: its first session's start; for CHURNED, last activity + churn threshold.")
          .optional(LEFT_AT, DataTypes.TimestampType, "When the next episode began; null for the current episode.")
          .optional(LAST_ACTIVITY_AT, DataTypes.TimestampType, "End of the episode's last session; null for CHURNED.")
          .optional(DAYS_IN_STAGE, DataTypes.DoubleType, "(left_at - entered_at) in days; for the current episode, up to the run date's start.")
          .required(SESSIONS, DataTypes.LongType, "Sessions in the episode (0 for CHURNED).")
          .required(EVENTS, DataTypes.LongType, "Events in the episode (0 for CHURNED).")
          .required(REVENUE, DataTypes.DoubleType, "Revenue in the episode (0 for CHURNED).")
          .required(IS_REACTIVATION, DataTypes.BooleanType, "True for the first episode after a CHURNED episode (the customer came back).")
          .required(IS_CURRENT, DataTypes.BooleanType, "True for the customer's last episode.")
          .required(RUN_DATE, DataTypes.DateType, "Run date the snapshot is as of (its start, UTC, is the as-of instant).")
          .build();
}
