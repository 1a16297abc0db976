package io.lifecycle.spark;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkSessionsTest {
  @Test
  void localRunsGetPartitionsForTheMachineNotForAClusterOf200Tasks() {
    assertEquals(Map.of("spark.sql.shuffle.partitions", "8", "spark.databricks.delta.snapshotPartitions", "4",
            "spark.sql.adaptive.coalescePartitions.parallelismFirst", "true"),
        SparkSessions.localDefaults(2));
    assertEquals("64", SparkSessions.localDefaults(16).get("spark.sql.shuffle.partitions"));
  }

  @Test
  void deltaFilesHoldMicrosecondTimestampsAndNoDictionaryForDistinctValues(@TempDir Path dir) throws Exception {
    SparkSession spark = SharedSpark.get();
    spark.range(2000).select(concat(lit("C"), col("id").cast("string")).as("customer_id"),
            timestamp_micros(col("id").multiply(1_000_003L)).as("event_time"),
            when(col("id").mod(2).equalTo(0), lit("page_view")).otherwise(lit("purchase")).as("event_type"))
        .coalesce(1).write().format("delta").save(dir.toString());
    String file = spark.read().format("delta").load(dir.toString()).inputFiles()[0];
    Map<String, String> columns = new TreeMap<>();
    try (var reader = ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file),
        spark.sessionState().newHadoopConf()))) {
      reader.getFooter().getBlocks().get(0).getColumns().forEach(c -> columns.put(c.getPath().toDotString(),
          c.getPrimitiveType().getPrimitiveTypeName() + (c.getEncodings().contains(Encoding.PLAIN_DICTIONARY)
              || c.getEncodings().contains(Encoding.RLE_DICTIONARY) ? " dictionary" : " plain")));
    }
    assertEquals(Map.of("customer_id", "BINARY plain", "event_time", "INT64 plain", "event_type", "BINARY dictionary"), columns);
  }
}
