package io.lifecycle.report;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.tables.CustomerValueTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class FrequencyRecencyMatrixTest {
  private final SparkSession spark = SharedSpark.get();

  private Dataset<Row> customers(List<Row> rows) {
    StructType schema = new StructType()
        .add(CustomerValueTable.FREQUENCY, DataTypes.LongType)
        .add(CustomerValueTable.RECENCY, DataTypes.DoubleType)
        .add(CustomerValueTable.AGE, DataTypes.DoubleType)
        .add(CustomerValueTable.P_ALIVE, DataTypes.DoubleType)
        .add(CustomerValueTable.EXPECTED_PURCHASES, DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void customersGoToTheirCellsWithTheModelsMeans() {
    // Oldest customer 10 weeks old, 3 recency buckets: each 4 weeks wide (whole units), the last 8-12.
    FrequencyRecencyMatrix m = FrequencyRecencyMatrix.of(customers(List.of(
        RowFactory.create(0L, 0.0, 10.0, 1.0, 0.5),
        RowFactory.create(0L, 0.0, 3.0, 1.0, 1.5),
        RowFactory.create(1L, 5.0, 9.0, 0.8, 2.0),
        RowFactory.create(2L, 9.5, 10.0, 0.9, 3.0),
        // 7 repeat purchase days: counted in the top row, "2+"; recency 12 beyond the last bucket's start.
        RowFactory.create(7L, 3.9, 8.0, 0.2, 0.1),
        RowFactory.create(3L, 12.0, 12.0, 0.6, 4.0),
        // No fit for this customer: left out.
        RowFactory.create(1L, 1.0, 2.0, null, null))), 2, 3).orElseThrow();
    assertEquals(List.of("2+", "1", "0"), m.frequencies());
    assertEquals(List.of("0\u20134", "4\u20138", "8\u201312"), m.recencies());
    assertArrayEquals(new long[] {1, 0, 2}, m.customers()[0]);
    assertArrayEquals(new long[] {0, 1, 0}, m.customers()[1]);
    assertArrayEquals(new long[] {2, 0, 0}, m.customers()[2]);
    assertArrayEquals(new double[] {0.2, Double.NaN, 0.75}, m.pAlive()[0], 1e-12);
    assertArrayEquals(new double[] {Double.NaN, 0.8, Double.NaN}, m.pAlive()[1], 1e-12);
    assertArrayEquals(new double[] {1.0, Double.NaN, Double.NaN}, m.pAlive()[2], 1e-12);
    assertArrayEquals(new double[] {0.1, Double.NaN, 3.5}, m.expectedPurchases()[0], 1e-12);
    assertArrayEquals(new double[] {1.0, Double.NaN, Double.NaN}, m.expectedPurchases()[2], 1e-12);
    assertEquals(3.5, m.maxExpectedPurchases(), 1e-12);
  }

  @Test
  void noFittedCustomerNoMatrix() {
    assertTrue(FrequencyRecencyMatrix.of(customers(List.of(RowFactory.create(1L, 1.0, 2.0, null, null))), 10, 12).isEmpty());
  }
}
