package io.lifecycle.spark;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
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
    SparkSession base = SharedSpark.get();
    // A session starts with the SparkContext's settings: what spark-submit and the cluster's defaults set.
    SparkSession fresh = base.newSession();
    assertTrue(ExpressionEvaluation.jobChooses(fresh));
    fresh.conf().set("spark.sql.shuffle.partitions", "4");
    assertTrue(ExpressionEvaluation.jobChooses(fresh));
    // The job's own choice is the job's to change for the next run in the same session.
    assertFalse(ExpressionEvaluation.fitTo(fresh, 700 * MB));
    assertEquals("true", fresh.conf().get(ExpressionEvaluation.WHOLE_STAGE));
    assertTrue(ExpressionEvaluation.jobChooses(fresh));
    assertTrue(ExpressionEvaluation.fitTo(fresh, 3 * MB));
    assertEquals("false", fresh.conf().get(ExpressionEvaluation.WHOLE_STAGE));
    assertEquals("NO_CODEGEN", fresh.conf().get(ExpressionEvaluation.FACTORY_MODE));
    // A user's setting stays, either one alone too.
    SparkSession user = base.newSession();
    user.conf().set(ExpressionEvaluation.WHOLE_STAGE, "true");
    assertFalse(ExpressionEvaluation.jobChooses(user));
    assertFalse(ExpressionEvaluation.fitTo(user, 3 * MB));
    assertEquals("true", user.conf().get(ExpressionEvaluation.WHOLE_STAGE));
    SparkSession mode = base.newSession();
    mode.conf().set(ExpressionEvaluation.FACTORY_MODE, "FALLBACK");
    assertFalse(ExpressionEvaluation.jobChooses(mode));
    // A user who changes the job's choice afterwards keeps the change.
    fresh.conf().set(ExpressionEvaluation.WHOLE_STAGE, "true");
    assertFalse(ExpressionEvaluation.jobChooses(fresh));
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
