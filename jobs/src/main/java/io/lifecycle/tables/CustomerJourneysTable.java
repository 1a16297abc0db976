package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.*;

import org.apache.spark.sql.types.DataTypes;

/** {@code customer_journeys}: one row per customer summarizing the stage journey as of the run date (a snapshot). */
public final class CustomerJourneysTable {
  private CustomerJourneysTable() {}

  public static final String PATH = "path";
  public static final String EPISODES = "episodes";
  public static final String CURRENT_STAGE = "current_stage";
  public static final String CURRENT_STAGE_SINCE = "current_stage_since";
  public static final String DAYS_IN_CURRENT_STAGE = "days_in_current_stage";
  public static final String HIGHEST_STAGE = "highest_stage";
  public static final String STAGES_SKIPPED = "stages_skipped";
  public static final String MOVES_BACK = "moves_back";
  public static final String IS_NON_LINEAR = "is_non_linear";
  public static final String IS_CHURNED = "is_churned";
  public static final String REACTIVATIONS = "reactivations";
  public static final String IS_REACTIVATED = "is_reactivated";
  public static final String FIRST_SEEN_AT = "first_seen_at";
  public static final String LAST_ACTIVITY_AT = "last_activity_at";
  public static final String FIRST_PURCHASE_AT = "first_purchase_at";
  public static final String ACQUISITION_MONTH = "acquisition_month";
  public static final String ACQUISITION_CHANNEL = "acquisition_channel";
  public static final String SESSIONS = "sessions";
  public static final String EVENTS = "events";
  public static final String REVENUE = "revenue";

  /** The separator of {@link #PATH}. */
  public static final String PATH_SEPARATOR = ">";

  public static final TableDef DEF =
      TableDef.builder("customer_journeys", "One row per customer: stage path, current stage, skips, moves back, churn and reactivation, as of the run date.")
          .required(CUSTOMER_ID, DataTypes.StringType, "Customer identifier.")
          .required(PATH, DataTypes.StringType, "Stages of the customer's episodes in order, joined by '>', CHURNED included, e.g. AWARENESS>CONVERSION>CHURNED>RETENTION.")
          .required(EPISODES, DataTypes.IntegerType, "Number of episodes (stages in the path).")
          .required(CURRENT_STAGE, DataTypes.StringType, "Stage of the last episode (CHURNED when churned as of the run date).")
          .required(CURRENT_STAGE_SINCE, DataTypes.TimestampType, "When the customer entered the current stage.")
          .required(DAYS_IN_CURRENT_STAGE, DataTypes.IntegerType, "Whole days from current_stage_since to the run date's start.")
          .required(HIGHEST_STAGE, DataTypes.StringType, "Most advanced stage ever reached, by the stage model's order.")
          .required(STAGES_SKIPPED, DataTypes.IntegerType, "Stages jumped over on forward moves, by the model's order, the first episode counted from before the first stage; CHURNED episodes are looked through.")
          .required(MOVES_BACK, DataTypes.IntegerType, "Moves to an earlier stage than the previous non-CHURNED episode's.")
          .required(IS_NON_LINEAR, DataTypes.BooleanType, "True when stages_skipped > 0 or moves_back > 0.")
          .required(IS_CHURNED, DataTypes.BooleanType, "True when the current stage is CHURNED.")
          .required(REACTIVATIONS, DataTypes.IntegerType, "How many times the customer came back after a CHURNED episode.")
          .required(IS_REACTIVATED, DataTypes.BooleanType, "True when reactivations > 0.")
          .required(FIRST_SEEN_AT, DataTypes.TimestampType, "Start of the customer's first session with a stage.")
          .required(LAST_ACTIVITY_AT, DataTypes.TimestampType, "End of the customer's last session.")
          .optional(FIRST_PURCHASE_AT, DataTypes.TimestampType, "Time of the customer's first purchase event; null when none.")
          .required(ACQUISITION_MONTH, DataTypes.DateType, "First day of the UTC month of first_seen_at.")
          .optional(ACQUISITION_CHANNEL, DataTypes.StringType, "First non-null channel of the customer's first session; null when it has none.")
          .required(SESSIONS, DataTypes.LongType, "Sessions in the journey.")
          .required(EVENTS, DataTypes.LongType, "Events in the journey.")
          .required(REVENUE, DataTypes.DoubleType, "Revenue in the journey.")
          .required(RUN_DATE, DataTypes.DateType, "Run date the snapshot is as of.")
          .build();
}
