package io.lifecycle.io;

import static org.junit.jupiter.api.Assertions.*;

import io.delta.tables.DeltaTable;
import io.lifecycle.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latest commit read from the Delta log is what {@code DESCRIBE HISTORY} reports for it. */
class LatestCommitTest {
  private final SparkSession spark = SharedSpark.withDeltaDefaults();

  @Test
  void versionAndMetricsEqualDeltaHistoryAfterWritesAndAMerge(@TempDir Path dir) throws Exception {
    String path = dir.resolve("t").toString();
    spark.range(5).write().format("delta").save(path);
    spark.range(5, 8).write().format("delta").mode("append").save(path);
    assertEquals(1, LatestCommit.of(spark.sessionState().newHadoopConf(), path).version());
    assertEquals(3, LatestCommit.of(spark.sessionState().newHadoopConf(), path).metric("numOutputRows"));
    // Eleven more commits: a checkpoint at version 10 and its files beside the commits are not commits.
    for (int i = 0; i < 10; i++) {
      spark.range(i, i + 1).write().format("delta").mode("append").save(path);
    }
    DeltaTable.forPath(spark, path).as("t").merge(spark.range(0, 2).toDF().as("s"), "t.id = s.id").whenMatched().delete().execute();
    assertTrue(Files.exists(dir.resolve("t/_delta_log/00000000000000000010.checkpoint.parquet")));
    LatestCommit.Commit commit = LatestCommit.of(spark.sessionState().newHadoopConf(), path);
    Row history = DeltaTable.forPath(spark, path).history(1).select("version", "operationMetrics").head();
    assertEquals(12, commit.version());
    assertEquals(history.getLong(0), commit.version());
    Map<String, String> expected = history.getJavaMap(1);
    assertEquals(expected, commit.operationMetrics());
    assertEquals(4, commit.metric("numTargetRowsDeleted"), "ids 0 and 1, each written by the first write and appended again");
    assertEquals(0, commit.metric("noSuchMetric"));
  }

  @Test
  void aFolderWithoutADeltaLogFailsNamingIt(@TempDir Path dir) {
    Exception e = assertThrows(RuntimeException.class, () -> LatestCommit.of(spark.sessionState().newHadoopConf(), dir.toString()));
    assertTrue(e.getMessage().contains(dir.resolve("_delta_log").toString()), e.getMessage());
  }
}
