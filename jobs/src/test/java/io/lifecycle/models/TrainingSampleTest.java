package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.Columns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The training sample above models.max_training_customers: its size, stability and independence of the split. */
class TrainingSampleTest {
  private final SparkSession spark = SharedSpark.get();
  private final TrainingSet set = new TrainingSet(TestSupport.config("lifecycle.models.max_training_customers = 1000"));

  /** Two rows (cutoffs) per customer c0 .. c9999. */
  private Dataset<Row> rows() {
    return spark.range(20_000).select(concat(lit("c"), (col("id").divide(2)).cast("long").cast("string")).as(Columns.CUSTOMER_ID),
        col("id").mod(2).as("cutoff"));
  }

  @Test
  void everyCustomerUpToTheLimitThenTheLimitsShare() {
    assertEquals(1.0, set.sampleFraction(999));
    assertEquals(1.0, set.sampleFraction(1000));
    assertEquals(0.25, set.sampleFraction(4000));
    assertEquals(0.1, set.sampleFraction(10_000));
  }

  @Test
  void sampleKeepsWholeCustomersAboutTheShareAndIsNested() {
    Dataset<Row> all = rows();
    assertEquals(20_000, set.sample(all, 1.0).count());
    Dataset<Row> tenth = set.sample(all, 0.1);
    Dataset<Row> quarter = set.sample(all, 0.25);
    long customers = tenth.select(Columns.CUSTOMER_ID).distinct().count();
    assertTrue(customers > 900 && customers < 1100, "sampled customers " + customers);
    // Both cutoffs of a sampled customer: the sample is of customers, not of rows.
    assertEquals(2 * customers, tenth.count());
    long quarterCustomers = quarter.select(Columns.CUSTOMER_ID).distinct().count();
    assertTrue(quarterCustomers > 2350 && quarterCustomers < 2650, "sampled customers " + quarterCustomers);
    assertEquals(0, tenth.select(Columns.CUSTOMER_ID).except(quarter.select(Columns.CUSTOMER_ID)).count(), "a smaller sample is part of a larger one");
    // The same customers on a rerun.
    assertEquals(0, set.sample(rows(), 0.1).except(tenth).count());
  }

  @Test
  void sampleIsIndependentOfTheTrainTestSplit() {
    Dataset<Row> sampled = set.sample(rows(), 0.25).select(Columns.CUSTOMER_ID).distinct()
        .withColumn("test", set.isTest(col(Columns.CUSTOMER_ID)));
    double testShare = sampled.where(col("test")).count() / (double) sampled.count();
    // test_fraction = 0.25 within the sample as in the whole population.
    assertEquals(0.25, testShare, 0.04);
  }
}
