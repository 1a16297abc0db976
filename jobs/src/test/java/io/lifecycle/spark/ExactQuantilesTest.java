package io.lifecycle.spark;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class ExactQuantilesTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void theValueAtRankCeilPnOfTheSortedValues() {
    // 1..10 and a null: rank ceil(0.8 * 10) = 8, ceil(0.95 * 10) = 10, ceil(0.5 * 10) = 5 (the lower middle).
    Dataset<Row> rows = spark.range(1, 11).select(col("id").cast("double").as("v"))
        .unionByName(spark.range(1).select(lit(null).cast("double").as("v")));
    assertArrayEquals(new double[] {8.0, 10.0, 5.0, 1.0}, ExactQuantiles.of(rows, "v", 0.8, 0.95, 0.5, 0.0));
  }

  @Test
  void exactBeyondTheApproximationsAccuracyAndWithManyTies() {
    // 10,000 ties at 7.5 among 30,000 rows (three times the approximation's accuracy), scrambled over partitions.
    Dataset<Row> rows = spark.range(0, 30_000, 1, 7)
        .select(when(col("id").lt(10_000), lit(7.5)).otherwise(pmod(col("id").multiply(7919), lit(30_000)).divide(2_000.0)).as("v"))
        .orderBy(hash(col("v")));
    double[] expected = new double[2];
    // The reference: every value sorted in the driver (30,000, bounded by the test).
    java.util.List<Double> all = rows.orderBy("v").as(org.apache.spark.sql.Encoders.DOUBLE()).collectAsList();
    expected[0] = all.get((int) Math.ceil(0.8 * all.size()) - 1);
    expected[1] = all.get((int) Math.ceil(0.3 * all.size()) - 1);
    assertArrayEquals(expected, ExactQuantiles.of(rows, "v", 0.8, 0.3));
  }

  @Test
  void noValuesNoQuantiles() {
    assertNull(ExactQuantiles.of(spark.range(3).select(lit(null).cast("double").as("v")), "v", 0.8));
  }
}
