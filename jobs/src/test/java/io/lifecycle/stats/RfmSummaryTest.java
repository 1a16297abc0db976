package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RfmSummaryTest {

  @Test
  void aggregatesDistinctTriples() {
    RfmSummary s = RfmSummary.aggregate(new double[] {0, 2, 0, 2, 1}, new double[] {0, 3, 0, 3, 1},
        new double[] {5, 6, 5, 6, 6});
    assertEquals(3, s.size());
    assertEquals(5, s.totalWeight());
    assertEquals(2, s.weight(0)); // (0, 0, 5), first seen first
    assertEquals(2, s.weight(1)); // (2, 3, 6)
    assertEquals(1, s.weight(2)); // (1, 1, 6)
    assertEquals((2 * 2 + 1) / (2 * 5 + 2 * 6 + 6.0), s.meanRate(), 1e-15);
  }

  @Test
  void rejectsInconsistentRows() {
    double[] one = {1};
    assertThrows(IllegalArgumentException.class, () -> RfmSummary.of(new double[] {1}, new double[] {7}, new double[] {5}, one));
    assertThrows(IllegalArgumentException.class, () -> RfmSummary.of(new double[] {0}, new double[] {2}, new double[] {5}, one));
    assertThrows(IllegalArgumentException.class, () -> RfmSummary.of(new double[] {-1}, new double[] {0}, new double[] {5}, one));
    assertThrows(IllegalArgumentException.class, () -> RfmSummary.of(new double[] {1}, new double[] {1}, new double[] {5}, new double[] {0}));
    assertThrows(IllegalArgumentException.class, () -> RfmSummary.of(new double[] {1, 2}, new double[] {1}, new double[] {5}, one));
    assertThrows(IllegalArgumentException.class, () -> RfmSummary.of(new double[] {1}, new double[] {1}, new double[] {Double.NaN}, one));
  }
}
