package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.*;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code events_quarantine}: input rows the job could not use, with the reason, so nothing is lost
 * silently. Replaced per run date, so a rerun does not duplicate them.
 */
public final class QuarantineTable {
  private QuarantineTable() {}

  public static final String RAW_RECORD = "raw_record";
  public static final String REASON = "reason";
  public static final String DETAIL = "detail";

  public static final TableDef DEF =
      TableDef.builder("events_quarantine", "Input rows that could not be used, with the reason code; one slice per run date.")
          .required(RUN_DATE, DataTypes.DateType, "Run date of the run that read the row.")
          .required(RUN_ID, DataTypes.StringType, "Run that read the row.")
          .required(REASON, DataTypes.StringType, "Reason code: unreadable_file, malformed, invalid_encoding, missing_customer_id, missing_identity, missing_time, unparseable_time, future_time, too_late, before_start, missing_event_type, unknown_event_type, negative_amount, non_numeric_amount.")
          .optional(DETAIL, DataTypes.StringType, "The offending value, when there is one.")
          .optional(RAW_RECORD, DataTypes.StringType, "The raw row as read (a line, or the row as JSON).")
          .optional(SOURCE_FILE, DataTypes.StringType, "Input file the row came from.")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
