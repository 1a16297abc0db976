package io.lifecycle.tables;

/** Column names shared by several tables, spelled once. Table-specific names live in the table's class. */
public final class Columns {
  private Columns() {}

  public static final String CUSTOMER_ID = "customer_id";
  public static final String EVENT_TIME = "event_time";
  public static final String EVENT_DATE = "event_date";
  public static final String EVENT_TYPE = "event_type";
  public static final String STAGE = "stage";
  public static final String AMOUNT = "amount";
  public static final String CHANNEL = "channel";
  public static final String EVENT_ID = "event_id";
  public static final String SOURCE_FILE = "source_file";
  public static final String RUN_ID = "run_id";
  public static final String RUN_DATE = "run_date";
  public static final String INGEST_RUN_ID = "ingest_run_id";
  /**
   * events: every id the row carried, as '&lt;id_type&gt;:&lt;id&gt;' (id_type: customer_id, anonymous_id or an
   * extra id column), sorted; null when identity stitching is off. The stitch step links ids through it.
   */
  public static final String IDENTITY_IDS = "identity_ids";
  /** events: the run whose stitch step last moved the event to another customer (null: never moved). */
  public static final String STITCH_RUN_ID = "stitch_run_id";
  /** events: the customer the event belonged to before that move. */
  public static final String STITCHED_FROM = "stitched_from";
  /** The cohorts.breakdowns property a row is split by; {@link #ALL_BREAKDOWNS} for rows over every customer. */
  public static final String BREAKDOWN = "breakdown";
  /** The property's value ('(other)' beyond its most common ones, '(unknown)' when missing). */
  public static final String BREAKDOWN_VALUE = "breakdown_value";
  public static final String ALL_BREAKDOWNS = "all";
}
