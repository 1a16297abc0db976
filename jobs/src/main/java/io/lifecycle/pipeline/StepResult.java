package io.lifecycle.pipeline;

import java.time.Instant;
import java.util.Map;

/**
 * What a step did, for the log line and the run_log table. {@code highWaterMark} (nullable) is the
 * latest event time the step has taken in, recorded so that the next incremental run knows where it
 * starts.
 */
public record StepResult(long inputRows, Map<String, Long> outputRows, long quarantinedRows, Instant highWaterMark,
    String skippedBecause) {
  public StepResult {
    outputRows = Map.copyOf(outputRows);
  }

  public StepResult(long inputRows, Map<String, Long> outputRows, long quarantinedRows, Instant highWaterMark) {
    this(inputRows, outputRows, quarantinedRows, highWaterMark, null);
  }

  public StepResult(long inputRows, Map<String, Long> outputRows, long quarantinedRows) {
    this(inputRows, outputRows, quarantinedRows, null, null);
  }

  /** A step that had nothing to do this run, and why (run_log status SKIPPED, the reason in its note). */
  public static StepResult skipped(String because) {
    return new StepResult(0, Map.of(), 0, null, because);
  }

  public boolean isSkipped() {
    return skippedBecause != null;
  }

  public static StepResult of(long inputRows, Map<String, Long> outputRows) {
    return new StepResult(inputRows, outputRows, 0);
  }
}
