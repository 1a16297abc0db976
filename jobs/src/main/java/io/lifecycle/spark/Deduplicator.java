package io.lifecycle.spark;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.Columns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Drops duplicate events: the same event id, or, when the source gives no id, the same customer, time,
 * type and amount. Which copy survives is deterministic (by source file, event id and channel, then
 * time, type and amount), so reruns and another input order give the same table. Duplicates are per
 * customer, so the window shares its shuffle with the stage assignment that follows.
 */
public final class Deduplicator {
  private Deduplicator() {}

  public static Dataset<Row> dropDuplicates(Dataset<Row> events, LifecycleConfig.Dedup mode) {
    if (mode == LifecycleConfig.Dedup.NONE) {
      return events;
    }
    // Copies with the same id, file and channel can still differ (an event sent twice in one file, the
    // second corrected): the content ends the order, so the copy kept never depends on the row order.
    Column rank = row_number().over(Window.partitionBy(col(Columns.CUSTOMER_ID), key(mode))
        .orderBy(col(Columns.SOURCE_FILE), col(Columns.EVENT_ID).asc_nulls_last(), col(Columns.CHANNEL).asc_nulls_last(),
            col(Columns.EVENT_TIME), col(Columns.EVENT_TYPE), col(Columns.AMOUNT).asc_nulls_last()));
    return events.withColumn("_dup_rank", rank).where(col("_dup_rank").equalTo(1)).drop("_dup_rank");
  }

  /**
   * What makes two events of one customer duplicates under {@code mode} (not NONE): the event id, or the
   * content when there is no id. Incremental runs compare new events with stored ones by it.
   */
  public static Column key(LifecycleConfig.Dedup mode) {
    Column content = mode == LifecycleConfig.Dedup.AUTO
        ? concat_ws("|", lit("k"), col(Columns.EVENT_TIME).cast("string"), col(Columns.EVENT_TYPE),
            coalesce(col(Columns.AMOUNT).cast("string"), lit("")))
        // event_id mode: rows without an id are duplicates only when every field is equal.
        : concat_ws("|", lit("row"), col(Columns.EVENT_TIME).cast("string"), col(Columns.EVENT_TYPE),
            coalesce(col(Columns.AMOUNT).cast("string"), lit("")), coalesce(col(Columns.CHANNEL), lit("")),
            col(Columns.SOURCE_FILE));
    return when(col(Columns.EVENT_ID).isNotNull(), concat(lit("id|"), col(Columns.EVENT_ID))).otherwise(content);
  }
}
