package io.lifecycle.journeys;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Nearest-rank percentiles through bins give the value at rank ceil(p n) of each group's sorted values:
 * checked against sorting in Java, on groups whose values fall in one bin, across bins, with ties, with
 * negative values and zeros, and with a null group key.
 */
class NearestRankTest {
  private static final StructType ROWS = new StructType()
      .add("g", DataTypes.StringType).add("d", DataTypes.DateType).add("v", DataTypes.DoubleType);
  private static final StructType GROUPS = new StructType()
      .add("g", DataTypes.StringType).add("d", DataTypes.DateType).add("n", DataTypes.LongType);

  private final SparkSession spark = SharedSpark.get();

  @Test
  void eachPercentileIsTheValueAtRankCeilPnOfTheSortedGroup() {
    Random random = new Random(11);
    java.sql.Date day = java.sql.Date.valueOf("2024-01-01");
    List<Row> rows = new ArrayList<>();
    Map<String, List<Double>> byGroup = new TreeMap<>();
    // Wide spread (many bins), a tight cluster (one bin), ties, signs, a single value, an even count.
    String[] groups = {"wide", "tight", "ties", "signs", "one", "two"};
    int[] sizes = {2_000, 500, 300, 400, 1, 2};
    for (int gi = 0; gi < groups.length; gi++) {
      for (int i = 0; i < sizes[gi]; i++) {
        double v = switch (groups[gi]) {
          case "wide" -> Math.exp(random.nextGaussian() * 3);
          case "tight" -> 5 + random.nextDouble() * 1e-4;
          case "ties" -> random.nextInt(4) * 0.5;
          case "signs" -> random.nextInt(3) == 0 ? 0.0 : random.nextGaussian() * 10;
          default -> i + 1.0;
        };
        byGroup.computeIfAbsent(groups[gi], k -> new ArrayList<>()).add(v);
        // The "one" group's key has a null date, as the all-time rows of stage_transitions have.
        rows.add(RowFactory.create(groups[gi], groups[gi].equals("one") ? null : day, v));
      }
    }
    rows.add(RowFactory.create("wide", day, null));
    rows.add(RowFactory.create("wide", day, Double.NaN));
    Dataset<Row> values = spark.createDataFrame(rows, ROWS);
    List<Row> groupRows = new ArrayList<>();
    for (String g : groups) {
      groupRows.add(RowFactory.create(g, g.equals("one") ? null : day, (long) byGroup.get(g).size()));
    }
    groupRows.add(RowFactory.create("empty", day, 0L));
    Map<String, Double> percentiles = new LinkedHashMap<>();
    percentiles.put("p10", 0.1);
    percentiles.put("median", 0.5);
    percentiles.put("p90", 0.9);
    percentiles.put("max", 1.0);

    Dataset<Row> result = NearestRank.withPercentiles(spark.createDataFrame(groupRows, GROUPS), values, col("v"), percentiles,
        "g", "d");

    List<String> expected = new ArrayList<>();
    for (String g : groups) {
      List<Double> sorted = new ArrayList<>(byGroup.get(g));
      sorted.sort(Double::compare);
      StringBuilder line = new StringBuilder(g + "|" + (g.equals("one") ? "null" : "2024-01-01") + "|" + sorted.size());
      for (double p : percentiles.values()) {
        line.append('|').append(sorted.get((int) Math.ceil(p * sorted.size()) - 1));
      }
      expected.add(line.toString());
    }
    expected.add("empty|2024-01-01|0|null|null|null|null");
    expected.sort(null);
    assertEquals(expected, TestSupport.rows(result));
  }
}
