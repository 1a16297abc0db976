package io.lifecycle.pipeline;

import io.lifecycle.ExitCode;
import io.lifecycle.Failures;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.spark.ExpressionEvaluation;
import io.lifecycle.spark.ShufflePartitions;
import io.lifecycle.spark.SnapshotPartitions;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.RunLogTable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the selected steps in pipeline order, logging each step's start, end, duration and row counts,
 * and recording every attempt in {@code run_log}. A failing step stops the run; the tables it did not
 * commit stay at their last good version, so rerunning from that step is safe.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final Map<String, Step> steps;
  private boolean sessionFitted;

  public Pipeline(List<Step> steps) {
    this.steps = new LinkedHashMap<>();
    steps.forEach(s -> this.steps.put(s.name(), s));
  }

  public List<String> stepNames() {
    return List.copyOf(steps.keySet());
  }

  /** Resolves the requested step names (null or empty: all), in pipeline order. */
  public List<Step> select(List<String> requested) {
    if (requested == null || requested.isEmpty()) {
      return steps.values().stream().filter(Step::runsByDefault).toList();
    }
    for (String name : requested) {
      if (!steps.containsKey(name)) {
        throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Unknown step '" + name + "'; steps are " + stepNames());
      }
    }
    return steps.values().stream().filter(s -> requested.contains(s.name())).toList();
  }

  /**
   * The steps a run of {@code requested} (null or empty: the default) runs under {@code config}: by
   * default, only those that apply to it ({@link Step#appliesTo}); a named step regardless.
   */
  public List<Step> select(List<String> requested, LifecycleConfig config) {
    boolean byDefault = requested == null || requested.isEmpty();
    return select(requested).stream().filter(s -> !byDefault || s.appliesTo(config)).toList();
  }

  public Map<String, StepResult> run(RunContext run, List<String> requested) {
    List<Step> selected = select(requested, run.config());
    RunContext ctx = run.askingFor(requested == null ? List.of() : requested);
    Map<String, StepResult> results = new LinkedHashMap<>();
    if (!sessionFitted) {
      fitSession(ctx.spark(), ctx.config());
    }
    for (Step step : selected) {
      Instant started = Instant.now();
      LOG.info("step {} started", step.name());
      StepResult result;
      try {
        result = step.run(ctx);
      } catch (Exception e) { // Spark throws checked SparkExceptions from Scala code
        LifecycleException failure = e instanceof LifecycleException le ? le
            : new LifecycleException(Failures.exitCode(e), "step " + step.name() + " failed: " + Failures.describe(e), e);
        LOG.error("step {} failed after {}: {}", step.name(), seconds(started),
            e instanceof LifecycleException ? e.getMessage() : Failures.describe(e));
        recordQuietly(ctx, step, started, null, failure.getMessage());
        throw failure;
      }
      if (result.isSkipped()) {
        LOG.info("step {} skipped: {}", step.name(), result.skippedBecause());
      } else {
        LOG.info("step {} finished in {}: input rows {}, output rows {}{}", step.name(), seconds(started),
            result.inputRows(), result.outputRows(),
            result.quarantinedRows() > 0 ? ", quarantined " + result.quarantinedRows() : "");
      }
      record(ctx, step, started, result, null);
      results.put(step.name(), result);
    }
    return results;
  }

  /**
   * Fits the session's local settings (shuffle partitions, expression evaluation, Delta snapshot
   * partitions) to the run's events where the job chooses them, and logs the choice. Once per run,
   * before its first Spark job: the command line calls it before it resolves the run date (which reads
   * the input), {@link #run} when nothing has.
   */
  public void fitSession(SparkSession spark, LifecycleConfig config) {
    sessionFitted = true;
    boolean partitions = ShufflePartitions.jobChooses(spark);
    boolean evaluation = ExpressionEvaluation.jobChooses(spark);
    boolean snapshots = SnapshotPartitions.jobChooses(spark);
    if (!(partitions || evaluation || snapshots)) {
      return;
    }
    long bytes = eventBytes(spark, config);
    if (partitions) {
      LOG.info("shuffle partitions: {} for {} MB of events", ShufflePartitions.fitTo(spark, bytes), bytes >> 20);
    }
    if (evaluation) {
      LOG.info("expressions {} for {} MB of events", ExpressionEvaluation.fitTo(spark, bytes)
          ? "interpreted (no code generation)" : "compiled (code generation)", bytes >> 20);
    }
    if (snapshots) {
      LOG.info("Delta snapshot partitions: {} for {} MB of events", SnapshotPartitions.fitTo(spark, bytes), bytes >> 20);
    }
  }

  /** The larger of the events table's and the raw input's bytes: what the run's shuffles will carry. */
  private static long eventBytes(SparkSession spark, LifecycleConfig config) {
    long table = new io.lifecycle.io.DeltaStore(spark, config.output()).sizeInBytes(EventsTable.DEF);
    long input = 0;
    try {
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(config.input().path());
      org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      org.apache.hadoop.fs.FileStatus[] matches = fs.globStatus(path);
      for (org.apache.hadoop.fs.FileStatus match : matches == null ? new org.apache.hadoop.fs.FileStatus[0] : matches) {
        input += fs.getContentSummary(match.getPath()).getLength();
      }
    } catch (java.io.IOException | IllegalArgumentException e) {
      LOG.debug("input size unknown: {}", e.toString());
    }
    return Math.max(table, input);
  }

  private static String seconds(Instant started) {
    return String.format("%.1f s", Duration.between(started, Instant.now()).toMillis() / 1000.0);
  }

  private void recordQuietly(RunContext ctx, Step step, Instant started, StepResult result, String error) {
    try {
      record(ctx, step, started, result, error);
    } catch (RuntimeException e) {
      LOG.warn("could not record the failure of step {} in run_log: {}", step.name(), Failures.describe(e));
    }
  }

  private void record(RunContext ctx, Step step, Instant started, StepResult result, String error) {
    List<Row> rows = new ArrayList<>();
    rows.add(RowFactory.create(
        ctx.runId(), Date.valueOf(ctx.runDate()), ctx.attemptId(), step.name(),
        Timestamp.from(started), Timestamp.from(Instant.now()),
        error != null ? RunLogTable.FAILED : result != null && result.isSkipped() ? RunLogTable.SKIPPED : RunLogTable.SUCCEEDED,
        result == null ? null : result.inputRows(),
        result == null ? null : scala.jdk.javaapi.CollectionConverters.asScala(result.outputRows()),
        result == null ? null : result.quarantinedRows(),
        ctx.config().hash(), Versions.app(), ctx.spark().version(), Versions.delta(), error,
        ctx.config().incremental().mode().name().toLowerCase(java.util.Locale.ROOT),
        result == null || result.highWaterMark() == null ? null : Timestamp.from(result.highWaterMark()),
        ctx.config().output().root(),
        result == null ? null : result.skippedBecause(),
        step.settingsHash(ctx.config())));
    ctx.store().write(RunLogTable.DEF, ctx.spark().createDataFrame(rows, RunLogTable.DEF.schema()), ctx.runDate());
  }
}
