package io.lifecycle.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Chooses how Spark evaluates expressions for the size of the events. Spark
 * generates Java code for every query and compiles it, and the JVM then compiles that code again: on
 * millions of rows this pays many times over, but a small input runs each query for a few milliseconds,
 * and compiling is most of the run. The whole pipeline on the 46,000-event sample took 212 s compiled and
 * 158 s interpreted (this 2-core machine, README's first command). Below {@link #INTERPRETED_BELOW} bytes
 * of events the session uses Spark's interpreter (no whole-stage code generation, expressions evaluated
 * by their interpreted form); above it Spark's defaults. The results are the same by Spark's contract.
 * On a cluster the same holds, more so: each executor starts cold and compiles the code again (the
 * spark-submit test, 4,000 events on two one-core executors: 154 s compiled with Delta's 50 snapshot
 * partitions, 105 s interpreted with {@link SnapshotPartitions}). A user who set either setting (on the
 * command line, in the cluster's defaults or on the session) keeps what was set; a setting the job made
 * for an earlier run in the same session is the job's to change ({@link #CHOSEN}).
 */
public final class ExpressionEvaluation {
  /** Bytes of events (Delta table or raw input) under which expressions are interpreted. */
  static final long INTERPRETED_BELOW = 16L << 20;
  static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";
  /** Spark's switch between generated and interpreted expression objects (FALLBACK is its default). */
  static final String FACTORY_MODE = "spark.sql.codegen.factoryMode";

  /** The factory mode {@link #fitTo} last set on the session: tells the job's own setting from a user's. */
  static final String CHOSEN = "spark.lifecycle.expressionEvaluationChosen";

  private ExpressionEvaluation() {}

  /**
   * Whether the job chooses: the session has neither setting, or has the ones the job set (the session's
   * settings include what spark-submit and the cluster's defaults passed).
   */
  public static boolean jobChooses(SparkSession spark) {
    var conf = spark.conf();
    if (!conf.contains(WHOLE_STAGE) && !conf.contains(FACTORY_MODE)) {
      return true;
    }
    String chosen = conf.get(CHOSEN, "");
    boolean compiled = chosen.equals("FALLBACK");
    return chosen.equals(conf.get(FACTORY_MODE, "FALLBACK")) && conf.get(WHOLE_STAGE, "true").equals(String.valueOf(compiled));
  }

  /** Whether {@code eventBytes} of events are interpreted rather than compiled. */
  static boolean interprets(long eventBytes) {
    return eventBytes < INTERPRETED_BELOW;
  }

  /**
   * Sets the session's evaluation for {@code eventBytes} of events when the job chooses; returns whether
   * expressions are interpreted.
   */
  public static boolean fitTo(SparkSession spark, long eventBytes) {
    if (jobChooses(spark)) {
      boolean interpreted = interprets(eventBytes);
      String mode = interpreted ? "NO_CODEGEN" : "FALLBACK";
      spark.conf().set(WHOLE_STAGE, String.valueOf(!interpreted));
      spark.conf().set(FACTORY_MODE, mode);
      spark.conf().set(CHOSEN, mode);
    }
    return "NO_CODEGEN".equals(spark.conf().get(FACTORY_MODE, "FALLBACK"));
  }
}
