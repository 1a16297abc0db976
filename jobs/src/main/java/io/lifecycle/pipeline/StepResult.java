package io.lifecycle.pipeline;

import java.time.Instant;
import java.util.Map;

/**
 * What a step did, for the log line and the run_log table. {@code highWaterMark} (nullable) is the
 * latest event time the step has taken in, recorded so that the next incremental run knows where it
 * starts.
 */
public record StepResult(long inputRows, Map<String, Long> outputRows, long quarantinedRows, Instant highWaterMark) {
  public StepResult {
    outputRows = Map.copyOf(outputRows);
  }

  public StepResult(long inputRows, Map<String, Long> outputRows, long quarantinedRows) {
    this(inputRows, outputRows, quarantinedRows, null);
  }

  public static StepResult of(long inputRows, Map<String, Long> outputRows) {
    return new StepResult(inputRows, outputRows, 0);
  }
}
