package io.lifecycle.ingest;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.LifecycleConfig.IdColumn;
import io.lifecycle.privacy.Pseudonymizer;
import io.lifecycle.privacy.Pseudonyms;
import io.lifecycle.spark.Deduplicator;
import io.lifecycle.spark.StageAssigner;
import io.lifecycle.tables.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
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
    Pseudonyms pseudonyms = Pseudonymizer.from(config.privacy());
    Dataset<Row> ids = pseudonyms.replace(clean, Columns.CUSTOMER_ID);
    if (config.input().stitchesIdentities()) {
      ids = identityIds(ids, config.input().otherIdColumns(), pseudonyms);
    }
    // One shuffle by customer serves both the duplicate window and the first-purchase window.
    Dataset<Row> byCustomer = ids.repartition(col(Columns.CUSTOMER_ID));
    return Deduplicator.dropDuplicates(byCustomer, config.input().dedup());
  }

  /**
   * Identity stitching: every id of the row, pseudonymized, as sorted '&lt;id_type&gt;:&lt;id&gt;' in
   * {@code identity_ids}, and a customer for the row until the stitch step resolves it: its known id,
   * else its first other id in that order (as the stitch step names an unlinked id's customer).
   */
  static Dataset<Row> identityIds(Dataset<Row> rows, List<IdColumn> otherIds, Pseudonyms pseudonyms) {
    Dataset<Row> out = rows;
    List<Column> typed = new ArrayList<>();
    typed.add(concat(lit(Columns.CUSTOMER_ID + ":"), col(Columns.CUSTOMER_ID)));
    for (int i = 0; i < otherIds.size(); i++) {
      String name = "_other_id_" + i;
      out = pseudonyms.replace(out.withColumn(name, col(EventNormalizer.OTHER_IDS + "." + EventNormalizer.otherIdField(i))), name);
      typed.add(concat(lit(otherIds.get(i).idType() + ":"), col(name)));
    }
    Column all = array_sort(array_distinct(array_compact(array(typed.toArray(Column[]::new)))));
    out = out.withColumn(Columns.IDENTITY_IDS, all)
        .withColumn(Columns.CUSTOMER_ID, coalesce(col(Columns.CUSTOMER_ID), element_at(col(Columns.IDENTITY_IDS), 1)))
        .drop(EventNormalizer.OTHER_IDS);
    for (int i = 0; i < otherIds.size(); i++) {
      out = out.drop("_other_id_" + i);
    }
    return out;
  }

  /** Adds the run's lineage and the event's UTC date (the column the table's files are ordered by). */
  static Dataset<Row> lineage(Dataset<Row> staged, String runId) {
    return staged
        .withColumn(Columns.INGEST_RUN_ID, lit(runId))
        .withColumn(Columns.EVENT_DATE, to_date(col(Columns.EVENT_TIME)));
  }
}
