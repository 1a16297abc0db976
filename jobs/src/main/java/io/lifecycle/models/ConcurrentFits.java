package io.lifecycle.models;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Model fits started side by side from the driver. MLlib runs one Spark job per tree level or
 * optimizer iteration, each with a task per partition of the examples; a small training set is one
 * partition ({@link ModelTrainer#partitionsFor}), so a fit alone keeps one core busy and the driver's
 * planning between jobs leaves even that one idle part of the time. Spark schedules jobs from several
 * threads of the driver together, so independent fits started here share the cores. Each fit is seeded
 * and reads the same persisted examples: its model is the one it would be fitted alone.
 */
final class ConcurrentFits implements AutoCloseable {
  /**
   * The trainer's concurrent work: the churn GBT, the churn logistic regression and the next-stage forest,
   * each fitted and then evaluated, and the churn and next-stage baselines' evaluations.
   */
  static final int THREADS = 5;
  private static final AtomicInteger POOLS = new AtomicInteger();
  private final ExecutorService pool;

  ConcurrentFits() {
    int id = POOLS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    pool = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "model-fit-" + id + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts a fit; its Spark jobs inherit the caller's job properties (description, group). */
  <T> Future<T> start(Callable<T> fit) {
    return pool.submit(fit);
  }

  /** The fit's result, waiting for it; its failure is rethrown as it was thrown. */
  <T> T result(Future<T> fit) {
    try {
      return fit.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while a model was fitted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
