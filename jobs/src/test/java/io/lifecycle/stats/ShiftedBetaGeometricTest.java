package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Fader &amp; Hardie (2007), "How to Project Customer Retention", the "regular" and "high end" cohorts. */
class ShiftedBetaGeometricTest {

  private static final double[] REGULAR = {1000, 631, 468, 382, 326, 289, 262, 241};
  private static final double[] HIGH_END = {1000, 869, 743, 653, 593, 551, 517, 491};

  @Test
  void regularCohort() {
    ModelFit<ShiftedBetaGeometric> fit = ShiftedBetaGeometric.fit(REGULAR);
    assertTrue(fit.converged(), fit.mle()::toString);
    assertEquals(0.704, fit.model().alpha(), 0.0005);
    assertEquals(1.182, fit.model().beta(), 0.0005);
  }

  @Test
  void highEndCohort() {
    ModelFit<ShiftedBetaGeometric> fit = ShiftedBetaGeometric.fit(HIGH_END);
    assertTrue(fit.converged(), fit.mle()::toString);
    assertEquals(0.668, fit.model().alpha(), 0.0005);
    assertEquals(3.806, fit.model().beta(), 0.0005);
  }

  /** Scaling the counts (percentages instead of 1000 customers) leaves the estimates unchanged. */
  @Test
  void percentagesGiveSameEstimates() {
    double[] pct = new double[HIGH_END.length];
    for (int i = 0; i < pct.length; i++) {
      pct[i] = HIGH_END[i] / 10;
    }
    ShiftedBetaGeometric m = ShiftedBetaGeometric.fit(pct).model();
    assertEquals(0.668, m.alpha(), 0.0005);
    assertEquals(3.806, m.beta(), 0.0005);
  }

  /** Projection of the high-end cohort for years 8-12 (agrees with jdmaturen/shifted_beta_geometric_py). */
  @Test
  void projectsSurvival() {
    ShiftedBetaGeometric m = new ShiftedBetaGeometric(0.668, 3.806);
    double[] curve = m.survivalCurve(12);
    double[] expected = {0.460, 0.436, 0.414, 0.395, 0.378};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], curve[8 + i], 0.0015, "year " + (8 + i));
    }
  }

  @Test
  void survivalRetentionAndChurnAreConsistent() {
    ShiftedBetaGeometric m = new ShiftedBetaGeometric(0.704, 1.182);
    double[] curve = m.survivalCurve(30);
    double churned = 0;
    for (int t = 1; t <= 30; t++) {
      assertEquals(m.survival(t), curve[t], 1e-13);
      assertEquals(m.survival(t) / m.survival(t - 1), m.retentionRate(t), 1e-13);
      assertEquals(m.survival(t - 1) - m.survival(t), m.churnProbability(t), 1e-13);
      churned += m.churnProbability(t);
      assertTrue(t == 1 || m.retentionRate(t) > m.retentionRate(t - 1)); // retention rises
    }
    assertEquals(1.0, churned + m.survival(30), 1e-13);
    assertEquals(m.alpha() / (m.alpha() + m.beta()), m.churnProbability(1), 1e-15);
  }

  /** The likelihood (by the retention recursion) is the paper's sum of ln P(T = t) and ln S(last). */
  @Test
  void likelihoodIsTheCensoredSumOfLogs() {
    ShiftedBetaGeometric m = new ShiftedBetaGeometric(0.704, 1.182);
    double expected = REGULAR[REGULAR.length - 1] * Math.log(m.survival(REGULAR.length - 1));
    for (int t = 1; t < REGULAR.length; t++) {
      expected += (REGULAR[t - 1] - REGULAR[t]) * Math.log(m.churnProbability(t));
    }
    assertEquals(expected, ShiftedBetaGeometric.likelihood(REGULAR).value(new double[] {0.704, 1.182}), 1e-9);
  }

  @Test
  void rejectsBadSeries() {
    assertThrows(IllegalArgumentException.class, () -> ShiftedBetaGeometric.fit(new double[] {1000}));
    assertThrows(IllegalArgumentException.class, () -> ShiftedBetaGeometric.fit(new double[] {1000, 1200}));
    assertThrows(IllegalArgumentException.class, () -> ShiftedBetaGeometric.fit(new double[] {0, 0}));
  }
}
