package io.lifecycle.ingest;

/**
 * Columns of the raw frame the reader hands to the normalizer: every source format is first mapped
 * to these, so normalization is one code path whatever the input format.
 */
final class RawColumns {
  private RawColumns() {}

  static final String CUSTOMER_ID = "_raw_customer_id";
  /** The event time as text (null when the source column is already a timestamp). */
  static final String EVENT_TIME = "_raw_event_time";
  /** The event time when the source column is typed as a timestamp or date. */
  static final String EVENT_TS = "_raw_event_ts";
  static final String EVENT_TYPE = "_raw_event_type";
  static final String AMOUNT = "_raw_amount";
  static final String CHANNEL = "_raw_channel";
  static final String EVENT_ID = "_raw_event_id";
  /** The row as read, for quarantine. */
  static final String RECORD = "_raw_record";
  /** Why the reader could not split the row into fields (null when it could). */
  static final String MALFORMED = "_raw_malformed";
  /** The row is a header or blank line the config says to skip. */
  static final String SKIPPED = "_raw_skipped";
  static final String SOURCE_FILE = "_raw_source_file";

  /** The i-th of {@code Input#otherIdColumns()}: the anonymous id, the alias id, the extra ids. */
  static String otherId(int i) {
    return "_raw_other_id_" + i;
  }
}
