package io.lifecycle.io;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.EventsTable;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another writer commits to a table while a step rewrites it (a writer without the run lock, e.g. a
 * second job on the cluster): Delta fails our commit, the job reports a retryable conflict (exit 4),
 * and the table holds exactly the other writer's commit, never a mix. The other commit is made while
 * our write's task is held inside it (local mode: tasks run in this JVM, so a latch can hold one).
 */
class DeltaStoreConflictTest {
  private static final LocalDate RUN_DATE = LocalDate.of(2024, 4, 1);
  private static final CountDownLatch WRITING = new CountDownLatch(1);
  private static final CountDownLatch OTHER_COMMITTED = new CountDownLatch(1);

  /** Identity on the id; the first call waits until the other writer has committed. */
  private static String holdUntilOtherCommit(String id) throws InterruptedException {
    WRITING.countDown();
    OTHER_COMMITTED.await(120, TimeUnit.SECONDS);
    return id;
  }

  private static Row event(String customer) {
    return RowFactory.create(customer, Instant.parse("2024-03-01T10:00:00Z"), "page_view", "AWARENESS", null, null, null,
        "in.csv", "run_20240401", LocalDate.of(2024, 3, 1), null, null, null);
  }

  @Test
  void aConcurrentCommitFailsOurWriteAsARetryableConflict(@TempDir Path dir) throws Exception {
    SparkSession spark = SharedSpark.get();
    DeltaStore store = new DeltaStore(spark, TestSupport.config("lifecycle.output.root = \"" + dir + "\"").output());
    store.write(EventsTable.DEF, spark.createDataFrame(List.of(event("c1")), EventsTable.DEF.schema()), RUN_DATE);

    Thread other = new Thread(() -> {
      try {
        WRITING.await(120, TimeUnit.SECONDS);
        spark.createDataFrame(List.of(event("c2")), EventsTable.DEF.schema())
            .write().format("delta").mode("append").save(store.location(EventsTable.DEF));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        OTHER_COMMITTED.countDown();
      }
    });
    other.start();
    var hold = functions.udf((UDF1<String, String>) DeltaStoreConflictTest::holdUntilOtherCommit, DataTypes.StringType)
        .asNondeterministic();
    Dataset<Row> rewrite = store.read(EventsTable.DEF)
        .withColumn(Columns.CUSTOMER_ID, hold.apply(functions.col(Columns.CUSTOMER_ID)));
    LifecycleException e = assertThrows(LifecycleException.class, () -> store.write(EventsTable.DEF, rewrite, RUN_DATE));
    other.join(120_000);
    assertEquals(ExitCode.WRITE_CONFLICT, e.exitCode());
    assertTrue(e.getMessage().startsWith("Concurrent write to table events at "), e.getMessage());
    assertEquals(List.of("c1", "c2"), TestSupport.rows(store.read(EventsTable.DEF).select(Columns.CUSTOMER_ID)));
  }
}
