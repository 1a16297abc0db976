package io.lifecycle.bench;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.models.TrainingSet;
import io.lifecycle.tables.Columns;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The learning curve's samples: the held-out customers stay whole, the training customers nest. */
class LearningCurveSampleTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void everyPointKeepsTheHeldOutExamplesAndASmallerSampleIsPartOfALargerOne() {
    // 400 customers with two cutoffs each; one in four held out.
    Dataset<Row> examples = spark.range(800).select(
        format_string("C%04d", col("id").divide(2).cast("int")).as(Columns.CUSTOMER_ID),
        col("id").mod(2).as("cutoff"),
        col("id").divide(2).cast("int").mod(4).equalTo(0).as(TrainingSet.SPLIT));
    TrainingSet set = new TrainingSet(TestSupport.config());

    Dataset<Row> tenth = Benchmark.withTrainingSample(examples, set, 0.1);
    Dataset<Row> half = Benchmark.withTrainingSample(examples, set, 0.5);
    Dataset<Row> all = Benchmark.withTrainingSample(examples, set, 1.0);

    for (Dataset<Row> point : List.of(tenth, half, all)) {
      assertEquals(200, point.where(col(TrainingSet.SPLIT)).count(), "every held-out example");
      // A sampled customer comes with every cutoff.
      assertEquals(0, point.groupBy(Columns.CUSTOMER_ID).count().where("count <> 2").count());
    }
    assertEquals(600, all.where(not(col(TrainingSet.SPLIT))).count());
    Set<String> small = training(tenth);
    Set<String> large = training(half);
    assertTrue(large.containsAll(small), "the 10% sample is part of the 50% one");
    // About the fraction of the 300 training customers (a hash sample: not exact).
    assertTrue(small.size() >= 15 && small.size() <= 45, "10% sample: " + small.size());
    assertTrue(large.size() >= 120 && large.size() <= 180, "50% sample: " + large.size());
  }

  private static Set<String> training(Dataset<Row> point) {
    // Bounded: at most 300 ids.
    return new HashSet<>(point.where(not(col(TrainingSet.SPLIT))).select(Columns.CUSTOMER_ID).distinct()
        .as(Encoders.STRING()).collectAsList());
  }
}
