package io.lifecycle.ingest;

import java.util.Locale;

/** Why an input row could not be used; stored as lower snake case in {@code events_quarantine.reason}. */
public enum QuarantineReason {
  /** A whole input file could not be read (skipped because input.options.ignoreCorruptFiles = true). */
  UNREADABLE_FILE,
  MALFORMED,
  /** A text field holds bytes that are not valid in the input's encoding (decoded as U+FFFD). */
  INVALID_ENCODING,
  MISSING_CUSTOMER_ID,
  /** Identity stitching on: the row has neither the customer id nor any other id (input.columns.anonymous_id, ...). */
  MISSING_IDENTITY,
  MISSING_TIME,
  UNPARSEABLE_TIME,
  BEFORE_START,
  FUTURE_TIME,
  /** Incremental runs: the event arrived more than incremental.max_lateness after its own day. */
  TOO_LATE,
  MISSING_EVENT_TYPE,
  UNKNOWN_EVENT_TYPE,
  NON_NUMERIC_AMOUNT,
  NEGATIVE_AMOUNT;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
