package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.*;

import org.apache.spark.sql.types.DataTypes;

/** {@code events}: every clean, deduplicated interaction event in the canonical shape, in UTC. */
public final class EventsTable {
  private EventsTable() {}

  public static final TableDef DEF =
      TableDef.builder("events", "Clean, deduplicated customer interaction events in the canonical schema (times in UTC).")
          .required(CUSTOMER_ID, DataTypes.StringType, "Customer identifier as given by the source (kept as a string); with identity stitching on, the resolved customer (see identity_map).")
          .required(EVENT_TIME, DataTypes.TimestampType, "When the event happened, UTC.")
          .required(EVENT_TYPE, DataTypes.StringType, "Canonical event type (lower snake case, after aliases).")
          .optional(STAGE, DataTypes.StringType, "Lifecycle stage assigned by the stage model's rules; null for an event type no rule names.")
          .optional(AMOUNT, DataTypes.DoubleType, "Revenue of a purchase in the source currency; null for non-purchase events.")
          .optional(CHANNEL, DataTypes.StringType, "Marketing channel of the event, when the source gives one.")
          .optional(EVENT_ID, DataTypes.StringType, "The source's event identifier, when it gives one.")
          .required(SOURCE_FILE, DataTypes.StringType, "Input file the event was read from.")
          .required(INGEST_RUN_ID, DataTypes.StringType, "Run that ingested the event.")
          .required(EVENT_DATE, DataTypes.DateType, "UTC date of event_time (files are written in its order).")
          .nullWhenAbsent(IDENTITY_IDS, DataTypes.createArrayType(DataTypes.StringType), "Identity stitching: every id the row carried as '<id_type>:<id>' (customer_id, anonymous_id, extra id columns), sorted; null when stitching is off.")
          .nullWhenAbsent(STITCH_RUN_ID, DataTypes.StringType, "Identity stitching: the run whose stitch step last moved the event to another customer (a new link); null when never moved.")
          .nullWhenAbsent(STITCHED_FROM, DataTypes.StringType, "Identity stitching: the customer the event belonged to before that move.")
          .clusteredBy(EVENT_DATE)
          .mergedIncrementallyBy(CUSTOMER_ID)
          .build();
}
