package io.lifecycle.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Sums spill and shuffle bytes over all finished tasks. Registered through {@code spark.extraListeners}
 * by the benchmark (the job itself never touches the SparkContext); the benchmark reads the totals
 * before and after each step.
 */
public final class TaskMetricsListener extends SparkListener {
  static final AtomicLong SPILL = new AtomicLong();
  static final AtomicLong SHUFFLE = new AtomicLong();

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskMetrics() != null) {
      SPILL.addAndGet(end.taskMetrics().memoryBytesSpilled() + end.taskMetrics().diskBytesSpilled());
      SHUFFLE.addAndGet(end.taskMetrics().shuffleWriteMetrics().bytesWritten());
    }
  }
}
