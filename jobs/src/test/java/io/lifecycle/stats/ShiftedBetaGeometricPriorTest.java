package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The empirical-Bayes prior over cohorts, on Fader &amp; Hardie's (2007) "regular" and "high end" series. */
class ShiftedBetaGeometricPriorTest {

  private static final double[] REGULAR = {1000, 631, 468, 382, 326, 289, 262, 241};
  private static final double[] HIGH_END = {1000, 869, 743, 653, 593, 551, 517, 491};

  /** {@code mature} copies of the regular series and the young cohorts. */
  private static List<double[]> cohorts(int mature, double[]... young) {
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < mature; i++) {
      out.add(REGULAR);
    }
    out.addAll(List.of(young));
    return out;
  }

  @Test
  void identicalCohortsGiveThePapersFitAndTheSmallestSpread() {
    ShiftedBetaGeometricPrior prior = ShiftedBetaGeometricPrior.estimate(cohorts(5));
    assertEquals(0.704, prior.centre().alpha(), 0.0005);
    assertEquals(1.182, prior.centre().beta(), 0.0005);
    assertEquals(5, prior.cohorts());
    // The fits agree beyond their noise: no spread is left but the floor.
    double floor = ShiftedBetaGeometricPrior.MIN_SPREAD * ShiftedBetaGeometricPrior.MIN_SPREAD;
    assertArrayEquals(new double[] {floor, 0}, prior.covariance()[0], 1e-12);
    assertArrayEquals(new double[] {0, floor}, prior.covariance()[1], 1e-12);
  }

  /**
   * The case: one or two periods do not identify a cohort's own fit (two points: a ridge; a
   * flat third point: both shapes run to 0 and the curve is flat). Under the prior the young cohort
   * keeps its own first-period level and takes the older cohorts' shape.
   */
  @Test
  void aYoungCohortKeepsItsLevelAndBorrowsTheShape() {
    double[] flat = {1000, 631, 631};
    ModelFit<ShiftedBetaGeometric> own = ShiftedBetaGeometric.fit(flat);
    assertTrue(own.mle().atBoundary(), "its own fit is degenerate");
    assertEquals(1.0, own.model().survival(7) / own.model().survival(2), 1e-4, "and flat");
    ShiftedBetaGeometricPrior prior = ShiftedBetaGeometricPrior.estimate(cohorts(5, flat));
    ModelFit<ShiftedBetaGeometric> young = prior.fit(flat);
    assertTrue(young.converged(), young.mle()::toString);
    double decline = young.model().survival(7) / young.model().survival(2);
    assertTrue(decline < 0.8, "declines as the older cohorts did (if less: no churn in period 2 is evidence): " + decline);

    double[] loyal = {1000, 700};
    ShiftedBetaGeometric level = ShiftedBetaGeometricPrior.estimate(cohorts(5, loyal)).fit(loyal).model();
    // Mostly its own level: 1,000 customers measure it to about 0.015; the prior says the cohorts are alike.
    assertEquals(0.700, level.survival(1), 0.015);
    // The regular cohorts keep 241 / 631 = 38% of their first period's survivors by period 7; this one
    // (43%: less churn in the first period means a less churn-prone mix) declines alike.
    double kept = level.survival(7) / level.survival(1);
    assertTrue(kept > 0.33 && kept < 0.5, "kept " + kept);
  }

  /** A long cohort unlike the others moves its fit most of the way to its own, as the spread allows. */
  @Test
  void aMatureCohortOutweighsThePrior() {
    ShiftedBetaGeometricPrior prior = ShiftedBetaGeometricPrior.estimate(cohorts(5, HIGH_END, HIGH_END));
    assertTrue(prior.covariance()[1][1] > 0.25, "the high-end cohorts widen the spread: " + prior);
    ShiftedBetaGeometric own = prior.fit(HIGH_END).model();
    assertEquals(0.491, own.survival(7), 0.01);
  }

  @Test
  void cohortsWithoutTwoPeriodsHaveNothingToLend() {
    assertNull(ShiftedBetaGeometricPrior.estimate(List.of()));
    assertNull(ShiftedBetaGeometricPrior.estimate(List.of(new double[] {1000, 631}, new double[] {500})));
    ShiftedBetaGeometricPrior few = ShiftedBetaGeometricPrior.estimate(cohorts(1, new double[] {1000, 600}));
    assertEquals(0, few.cohorts(), "one cohort cannot measure a spread: the default");
    double v = ShiftedBetaGeometricPrior.DEFAULT_SPREAD * ShiftedBetaGeometricPrior.DEFAULT_SPREAD;
    assertArrayEquals(new double[] {v, 0}, few.covariance()[0], 0);
  }

  @Test
  void flooringRaisesOnlyTheSmallEigenvalues() {
    double[][] m = ShiftedBetaGeometricPrior.floored(new double[][] {{1, 0.9}, {0.9, 1}}, 0.5); // eigenvalues 1.9, 0.1
    assertArrayEquals(new double[] {1.2, 0.7}, m[0], 1e-12);
    assertArrayEquals(new double[] {0.7, 1.2}, m[1], 1e-12);
    double[][] diagonal = ShiftedBetaGeometricPrior.floored(new double[][] {{-1, 0}, {0, 4}}, 0.01);
    assertArrayEquals(new double[] {0.01, 0}, diagonal[0], 1e-12);
    assertArrayEquals(new double[] {0, 4}, diagonal[1], 1e-12);
    assertArrayEquals(new double[] {1, 0.9}, ShiftedBetaGeometricPrior.floored(new double[][] {{1, 0.9}, {0.9, 1}}, 0.01)[0], 1e-12);
  }
}
