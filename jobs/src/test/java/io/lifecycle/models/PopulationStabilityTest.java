package io.lifecycle.models;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PopulationStabilityTest {
  private static final StructType SCHEMA = new StructType().add("x", DataTypes.DoubleType).add("k", DataTypes.IntegerType);

  @Test
  void psiByHandFlooredEmptyBinsAndNoChangeIsZero() {
    // (0.3-0.5) ln(0.3/0.5) + (0.7-0.5) ln(0.7/0.5) = 0.1021651 + 0.0672944
    assertEquals(0.16945957207744, PopulationStability.psi(new double[] {0.5, 0.5}, new double[] {0.3, 0.7}), 1e-12);
    assertEquals(0.0, PopulationStability.psi(new double[] {0.25, 0.75, 0.0}, new double[] {0.25, 0.75, 0.0}), 0.0);
    // An empty training bin counts as 0.0001: (0.1-0.0001) ln(1000) + (0.9-1) ln(0.9)
    assertEquals(0.7006208039, PopulationStability.psi(new double[] {0.0, 1.0}, new double[] {0.1, 0.9}), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> PopulationStability.psi(new double[2], new double[3]));
  }

  @Test
  void decilesOfTheTrainingDataThenTheSharesOfAnother() {
    SparkSession spark = SharedSpark.get();
    List<Row> training = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      training.add(RowFactory.create((double) i, i % 2));
    }
    training.add(RowFactory.create(null, 0));
    List<PopulationStability.Reference> ref = PopulationStability.reference(spark.createDataFrame(training, SCHEMA), List.of("x", "k"));
    // x: cut at its deciles 10, 20, ..., 90; ten bins of 10 values and the missing bin with 1 of 101 rows.
    assertArrayEquals(new double[] {10, 20, 30, 40, 50, 60, 70, 80, 90}, ref.get(0).cuts());
    assertEquals(11, ref.get(0).bins());
    assertEquals(10 / 101.0, ref.get(0).shares()[0], 1e-12);
    assertEquals(10 / 101.0, ref.get(0).shares()[9], 1e-12);
    assertEquals(1 / 101.0, ref.get(0).shares()[10], 1e-12);
    // k: the tied deciles merge into the cuts 0 and 1: (-inf, 0], (0, 1], above 1, missing.
    assertArrayEquals(new double[] {0, 1}, ref.get(1).cuts());
    assertArrayEquals(new double[] {51 / 101.0, 50 / 101.0, 0, 0}, ref.get(1).shares(), 1e-12);

    // Today's customers: x all above 90, k all 1.
    List<Row> today = List.of(RowFactory.create(95.0, 1), RowFactory.create(200.0, 1), RowFactory.create(91.0, 1), RowFactory.create(99.0, 1));
    Dataset<Row> current = spark.createDataFrame(today, SCHEMA);
    List<double[]> shares = PopulationStability.shares(current, ref);
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}, shares.get(0), 0.0);
    assertArrayEquals(new double[] {0, 1, 0, 0}, shares.get(1), 0.0);
    assertTrue(PopulationStability.psi(ref.get(0).shares(), shares.get(0)) > 1.0, "a shifted feature");
    // The training data against itself: no drift.
    assertEquals(0.0, PopulationStability.psi(ref.get(0).shares(),
        PopulationStability.shares(spark.createDataFrame(training, SCHEMA), ref).get(0)), 1e-15);
  }
}
