package io.lifecycle.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.storage.StorageLevel;

/**
 * Keeps a frame once, on local disk, so that several tables can be computed from it, and keeps what Spark
 * knows about its partitioning. A frame made by a window or an aggregation by customer is hash
 * partitioned by customer, so a later aggregation or window by customer on it needs no shuffle; but under
 * adaptive execution a checkpointed plan reports its partitioning as unknown (Spark 4.1), and each later
 * query shuffles the kept rows again (a persisted frame keeps it, but is built by the first query that
 * reads it). Planned without adaptive execution, the checkpoint keeps {@code hashpartitioning(customer_id,
 * n)}: the journeys step's aggregation and its transitions' window read the kept episodes as they lie.
 * Only this one query is planned so, and the session's setting is restored before returning (the job's
 * steps run one at a time; a query planned on the same session meanwhile by another thread would be
 * planned without adaptive execution, with the same results). On disk rather than in memory: as fast at
 * 10M events (the journeys step 87.7 s against 85.8 s in memory) for 1.3 GB less peak heap, and a kept
 * frame is as large as the table it feeds.
 */
public final class PartitionedCheckpoint {
  static final String ADAPTIVE = "spark.sql.adaptive.enabled";

  private PartitionedCheckpoint() {}

  /** {@code rows} computed now and kept, with its partitioning known to the plans that read it. */
  public static Dataset<Row> of(Dataset<Row> rows) {
    RuntimeConfig conf = rows.sparkSession().conf();
    boolean wasSet = conf.contains(ADAPTIVE);
    String was = conf.get(ADAPTIVE, "true");
    conf.set(ADAPTIVE, "false");
    try {
      return rows.localCheckpoint(true, StorageLevel.DISK_ONLY());
    } finally {
      if (wasSet) {
        conf.set(ADAPTIVE, was);
      } else {
        conf.unset(ADAPTIVE);
      }
    }
  }
}
