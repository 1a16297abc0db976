package io.lifecycle.ingest;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.privacy.Pseudonymizer;
import io.lifecycle.tables.Columns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Clean input rows to the rows of {@code events} (pure): ids pseudonymized, duplicates dropped, stages
 * assigned, the run's lineage added. A full ingest applies all of it at once; an incremental one
 * ({@link IncrementalEvents}) deduplicates against the stored events and stages with their history
 * first, then adds the same lineage.
 */
public final class CanonicalEvents {
  private CanonicalEvents() {}

  /** Deduplicated, staged events in the table's shape. */
  public static Dataset<Row> of(Dataset<Row> clean, LifecycleConfig config, String runId) {
    return lineage(new StageAssigner(config.stages()).assign(deduplicated(clean, config)), runId);
  }

  /** Clean rows with pseudonymized ids, deduplicated, partitioned by customer. */
  static Dataset<Row> deduplicated(Dataset<Row> clean, LifecycleConfig config) {
    // Ids are pseudonymized before anything is written, so no output table holds a raw id.
    Dataset<Row> ids = Pseudonymizer.from(config.privacy()).replace(clean, Columns.CUSTOMER_ID);
    // One shuffle by customer serves both the duplicate window and the first-purchase window.
    Dataset<Row> byCustomer = ids.repartition(col(Columns.CUSTOMER_ID));
    return Deduplicator.dropDuplicates(byCustomer, config.input().dedup());
  }

  /** Adds the run's lineage and the event's UTC date (the column the table's files are ordered by). */
  static Dataset<Row> lineage(Dataset<Row> staged, String runId) {
    return staged
        .withColumn(Columns.INGEST_RUN_ID, lit(runId))
        .withColumn(Columns.EVENT_DATE, to_date(col(Columns.EVENT_TIME)));
  }
}
