package io.lifecycle.pipeline;

import java.util.Map;

/** What a step did, for the log line and the run_log table. */
public record StepResult(long inputRows, Map<String, Long> outputRows, long quarantinedRows) {
  public StepResult {
    outputRows = Map.copyOf(outputRows);
  }

  public static StepResult of(long inputRows, Map<String, Long> outputRows) {
    return new StepResult(inputRows, outputRows, 0);
  }
}
