package io.lifecycle.spark;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class ExpressionEvaluationTest {
  private static final long MB = 1L << 20;

  @Test
  void smallInputsAreInterpretedLargeOnesCompiled() {
    // The committed sample (3 MB) and the README's smaller commands are interpreted; 10M events compiled.
    assertTrue(ExpressionEvaluation.interprets(0));
    assertTrue(ExpressionEvaluation.interprets(3 * MB));
    assertTrue(ExpressionEvaluation.interprets(16 * MB - 1));
    assertFalse(ExpressionEvaluation.interprets(16 * MB));
    assertFalse(ExpressionEvaluation.interprets(700 * MB));
  }

  @Test
  void theJobChoosesWhereTheUserSetNeither() {
    assertTrue(ExpressionEvaluation.jobChooses(new SparkConf(false)));
    assertTrue(ExpressionEvaluation.jobChooses(new SparkConf(false).set("spark.sql.shuffle.partitions", "4")));
    assertTrue(ExpressionEvaluation.jobChooses(new SparkConf(false).setMaster("spark://127.0.0.1:7077")));
    assertFalse(ExpressionEvaluation.jobChooses(new SparkConf(false).set(ExpressionEvaluation.WHOLE_STAGE, "true")));
    assertFalse(ExpressionEvaluation.jobChooses(new SparkConf(false).set(ExpressionEvaluation.FACTORY_MODE, "FALLBACK")));
    assertFalse(ExpressionEvaluation.jobChooses(new SparkConf(false).setMaster("yarn").set(ExpressionEvaluation.WHOLE_STAGE, "false")));
  }

  @Test
  void theTestsSessionKeepsItsOwnSettings() {
    SparkSession spark = SharedSpark.get();
    // The tests' session set both itself (interpreted): a large input changes nothing.
    assertFalse(ExpressionEvaluation.jobChooses(spark));
    assertTrue(ExpressionEvaluation.fitTo(spark, 700 * MB));
    assertEquals("false", spark.conf().get(ExpressionEvaluation.WHOLE_STAGE));
  }
}
