package io.lifecycle.ingest;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.spark.Deduplicator;
import io.lifecycle.spark.StageAssigner;
import io.lifecycle.tables.Columns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The change an incremental ingest makes to {@code events}, computed so that the table ends up as a full
 * ingest of all days would leave it (pure).
 *
 * <ul>
 *   <li>New events are deduplicated among themselves and against the stored events of their customers
 *       (by {@link Deduplicator#key}); the stored copy of a duplicate wins.
 *   <li>An event's stage depends on the customer's first purchase over all their events. A new event is
 *       staged with the first purchase over stored and new events. When a late purchase moves a
 *       customer's first purchase earlier, stored events can change stage: those customers' stored events
 *       are restaged and replaced ({@link #restagedCustomers}); for in-order data there are none.
 * </ul>
 *
 * Only the stored events of customers with new events are read (a semi-join with the day's customers).
 */
public final class IncrementalEvents {
  private static final String KEY = "_dedup_key";
  private static final String STORED_FIRST = "_stored_first_purchase";
  private static final String FIRST = "_first_purchase";
  private static final String NEW_STAGE = "_new_stage";

  private final Dataset<Row> added;
  private final Dataset<Row> restaged;
  private final Dataset<Row> restagedCustomers;

  /**
   * @param history stored events of the customers in {@code fresh}, without the rows an earlier attempt
   *     of this run wrote (a rerun replaces those)
   * @param fresh the run's clean events, pseudonymized and deduplicated among themselves
   */
  public IncrementalEvents(Dataset<Row> history, Dataset<Row> fresh, LifecycleConfig config, String runId) {
    LifecycleConfig.Dedup dedup = config.input().dedup();
    Dataset<Row> unseen = dedup == LifecycleConfig.Dedup.NONE ? fresh
        : fresh.withColumn(KEY, Deduplicator.key(dedup))
            .join(history.select(col(Columns.CUSTOMER_ID), Deduplicator.key(dedup).as(KEY)),
                scala.jdk.javaapi.CollectionConverters.asScala(java.util.List.of(Columns.CUSTOMER_ID, KEY)).toSeq(),
                "left_anti")
            .drop(KEY);
    Column isPurchase = col(Columns.EVENT_TYPE).isin(config.stages().purchaseEventTypes().toArray());
    Column firstPurchase = min(when(isPurchase, col(Columns.EVENT_TIME)));
    Dataset<Row> storedFirst = history.groupBy(col(Columns.CUSTOMER_ID)).agg(firstPurchase.as(STORED_FIRST));
    // least() skips nulls: a customer's first purchase may be stored, new, or neither.
    Dataset<Row> first = unseen.groupBy(col(Columns.CUSTOMER_ID)).agg(firstPurchase.as(FIRST))
        .join(storedFirst, Columns.CUSTOMER_ID, "left_outer")
        .select(col(Columns.CUSTOMER_ID), col(STORED_FIRST), least(col(FIRST), col(STORED_FIRST)).as(FIRST));
    StageAssigner assigner = new StageAssigner(config.stages());

    this.added = CanonicalEvents.lineage(unseen.join(first.drop(STORED_FIRST), Columns.CUSTOMER_ID, "left_outer")
        .withColumn(Columns.STAGE, assigner.stageExpression(col(FIRST)))
        .drop(FIRST), runId);

    Dataset<Row> candidates = history
        .join(first.where(not(col(STORED_FIRST).eqNullSafe(col(FIRST)))).drop(STORED_FIRST), Columns.CUSTOMER_ID, "inner")
        .withColumn(NEW_STAGE, assigner.stageExpression(col(FIRST)));
    this.restagedCustomers = candidates.where(not(col(Columns.STAGE).eqNullSafe(col(NEW_STAGE))))
        .select(col(Columns.CUSTOMER_ID)).distinct();
    this.restaged = candidates.join(restagedCustomers, Columns.CUSTOMER_ID, "left_semi")
        .withColumn(Columns.STAGE, col(NEW_STAGE))
        .drop(NEW_STAGE, FIRST);
  }

  /** The new events to insert, staged, in the events table's shape. */
  public Dataset<Row> added() {
    return added;
  }

  /** Every stored event of the {@link #restagedCustomers}, with its new stage (lineage kept). */
  public Dataset<Row> restaged() {
    return restaged;
  }

  /** Customers whose stored events change stage: their stored rows are replaced by {@link #restaged}. */
  public Dataset<Row> restagedCustomers() {
    return restagedCustomers;
  }
}
