package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.*;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code sessions}: one row per customer session. A snapshot recomputed from all events before the run
 * date (a late event can change an old session), its files in order of the session's start date.
 */
public final class SessionsTable {
  private SessionsTable() {}

  public static final String SESSION_ID = "session_id";
  public static final String SESSION_START = "session_start";
  public static final String SESSION_END = "session_end";
  public static final String DURATION_SECONDS = "duration_seconds";
  public static final String EVENT_COUNT = "event_count";
  public static final String EVENT_TYPE_COUNTS = "event_type_counts";
  public static final String REVENUE = "revenue";
  public static final String FIRST_CHANNEL = "first_channel";
  public static final String STAGES = "stages";
  public static final String FIRST_PURCHASE_TIME = "first_purchase_time";
  public static final String SESSION_DATE = "session_date";

  public static final TableDef DEF =
      TableDef.builder("sessions", "Customer sessions: events split by the inactivity gap and the maximum session length; times in UTC.")
          .required(CUSTOMER_ID, DataTypes.StringType, "Customer identifier.")
          .required(SESSION_ID, DataTypes.StringType, "Deterministic session id: first 32 hex characters of sha256(customer_id | session start in epoch microseconds).")
          .required(SESSION_START, DataTypes.TimestampType, "Time of the session's first event, UTC.")
          .required(SESSION_END, DataTypes.TimestampType, "Time of the session's last event, UTC.")
          .required(DURATION_SECONDS, DataTypes.DoubleType, "session_end - session_start in seconds (0 for a one-event session).")
          .required(EVENT_COUNT, DataTypes.LongType, "Events in the session.")
          .required(EVENT_TYPE_COUNTS, DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, false), "Events per event type (only the types that occur).")
          .required(REVENUE, DataTypes.DoubleType, "Sum of the events' amounts; 0 when none carries an amount.")
          .optional(FIRST_CHANNEL, DataTypes.StringType, "Channel of the session's earliest event that has one; null when no event has one.")
          .optional(STAGE, DataTypes.StringType, "Most advanced stage reached in the session by the stage model's order; null when no event has a stage.")
          .required(STAGES, DataTypes.createArrayType(DataTypes.StringType, false), "Distinct stages seen in the session, in the stage model's order.")
          .optional(FIRST_PURCHASE_TIME, DataTypes.TimestampType, "Time of the session's first purchase event; null when it has none.")
          .required(SESSION_DATE, DataTypes.DateType, "UTC date of session_start (files are written in its order).")
          .clusteredBy(SESSION_DATE)
          .mergedIncrementallyBy(CUSTOMER_ID, SESSION_ID)
          .build();
}
