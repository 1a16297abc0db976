package io.lifecycle.ingest;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import org.apache.spark.SparkThrowable;

/**
 * Spark's read failures, as the user's errors: which of Spark's error conditions mean an empty input,
 * and the message that says so. Kept apart from the formats so each format's reader maps them alike.
 */
final class InputFailures {
  private InputFailures() {}

  /** Spark's "unable to infer schema": the path holds no file with data. */
  static boolean noSchema(Exception e) {
    return "UNABLE_TO_INFER_SCHEMA".equals(condition(e));
  }

  /** Spark's error condition (error class) of a failure, or null. */
  static String condition(Exception e) {
    return e instanceof SparkThrowable t ? t.getCondition() : null;
  }

  static LifecycleException empty(String path) {
    return new LifecycleException(ExitCode.INPUT_UNAVAILABLE, "Input " + path + " holds no rows (empty files or an empty folder)");
  }
}
