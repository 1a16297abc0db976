package io.lifecycle.models;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrentFitsTest {
  @Test
  void theTrainersThreeFitsRunAtTheSameTime() {
    // Each fit waits until all three have started: fitted in turn, none would return true.
    CountDownLatch started = new CountDownLatch(ConcurrentFits.THREADS);
    try (ConcurrentFits fits = new ConcurrentFits()) {
      java.util.List<Future<Boolean>> running = new java.util.ArrayList<>();
      for (int i = 0; i < ConcurrentFits.THREADS; i++) {
        running.add(fits.start(() -> {
          started.countDown();
          return started.await(30, TimeUnit.SECONDS);
        }));
      }
      for (Future<Boolean> f : running) {
        assertTrue(fits.result(f));
      }
    }
  }

  @Test
  void aFailedFitIsRethrownAsItWasThrown() {
    try (ConcurrentFits fits = new ConcurrentFits()) {
      Future<String> ok = fits.start(() -> "model");
      Future<String> failed = fits.start(() -> {
        throw new IllegalArgumentException("maxDepth must be at most 30");
      });
      assertEquals("model", fits.result(ok));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fits.result(failed));
      assertEquals("maxDepth must be at most 30", e.getMessage());
    }
  }
}
