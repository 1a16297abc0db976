package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The intervals' draw machinery (plain Java): Cholesky, percentiles, the draws' moments, coverage by simulation. */
class ParameterDrawsTest {

  @Test
  void choleskyOfAKnownMatrix() {
    // [[4, 2, -2], [2, 10, 2], [-2, 2, 6]] = L L^T with L = [[2, 0, 0], [1, 3, 0], [-1, 1, 2]].
    double[][] l = ParameterDraws.cholesky(new double[][] {{4, 2, -2}, {2, 10, 2}, {-2, 2, 6}});
    double[][] expected = {{2, 0, 0}, {1, 3, 0}, {-1, 1, 2}};
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(expected[i], l[i], 1e-12);
    }
    assertNull(ParameterDraws.cholesky(new double[][] {{1, 2}, {2, 1}}), "indefinite: no draws");
  }

  @Test
  void percentilesInterpolateBetweenOrderStatistics() {
    double[] values = {5, 1, 4, 2, 3};
    // Rank 1 + p (n - 1): p = 0.05 -> 1.2 (1 + 0.2 x 1), p = 0.95 -> 4.8, p = 0.5 -> 3 exactly.
    assertArrayEquals(new double[] {1.2, 4.8, 3.0, 1.0, 5.0}, ParameterDraws.percentiles(values, 0.05, 0.95, 0.5, 0, 1), 1e-12);
    assertArrayEquals(new double[] {5, 1, 4, 2, 3}, values, "the input is not reordered");
    double[] twenty = new double[20];
    Arrays.setAll(twenty, i -> i + 1);
    // 20 values: rank 1.95 and 19.05.
    assertArrayEquals(new double[] {1.95, 19.05}, ParameterDraws.percentiles(twenty, 0.05, 0.95), 1e-12);
    // An infinite neighbour does not turn an exact order statistic into NaN.
    assertEquals(1.0, ParameterDraws.percentiles(new double[] {1, Double.POSITIVE_INFINITY}, 0)[0]);
    assertTrue(Double.isNaN(ParameterDraws.percentiles(new double[0], 0.5)[0]));
  }

  /**
   * The selected order statistics are those of a sorted copy, bit for bit: random draws of many sizes,
   * with ties, both zeros, infinities and NaN (ordered as Arrays.sort orders them).
   */
  @Test
  void percentilesAreThoseOfTheSortedValuesExactly() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    double[] specials = {0.0, -0.0, 1.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
    double[] ps = {0.95, 0.05, 0.5, 0, 1, 0.25, 0.999};
    for (int trial = 0; trial < 2000; trial++) {
      int n = 1 + random.nextInt(trial < 1000 ? 40 : 400);
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        int kind = random.nextInt(10);
        values[i] = kind == 0 ? specials[random.nextInt(trial % 3 == 0 ? specials.length : 3)]
            : kind < 4 ? random.nextInt(5) : random.nextGaussian() * 100;
      }
      double[] sorted = values.clone();
      Arrays.sort(sorted);
      double[] q = ParameterDraws.percentiles(values, ps);
      for (int i = 0; i < ps.length; i++) {
        double h = ps[i] * (n - 1);
        int lo = (int) Math.floor(h);
        double expected = h == lo ? sorted[lo] : sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(q[i]),
            "p=" + ps[i] + " of " + Arrays.toString(values) + ": " + expected + " against " + q[i]);
      }
    }
  }

  /** Draws have the log-space mean and covariance asked for, and the same seed gives the same draws. */
  @Test
  void drawsFollowTheLogNormalOfTheFit() {
    double[] theta = {0.5, 4.0};
    // Log-space covariance [[0.04, 0.01], [0.01, 0.09]] in natural parameters: times theta_i theta_j.
    double[][] cov = {{0.04 * 0.25, 0.01 * 2}, {0.01 * 2, 0.09 * 16}};
    MleResult mle = new MleResult(List.of("r", "alpha"), theta, new double[] {0.1, 1.2}, cov, -1, 1, true, false, "test");
    List<double[]> draws = ParameterDraws.of(mle, 20_000, 3);
    double[] mean = new double[2];
    for (double[] d : draws) {
      mean[0] += Math.log(d[0]) / draws.size();
      mean[1] += Math.log(d[1]) / draws.size();
    }
    double[][] c = new double[2][2];
    for (double[] d : draws) {
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          c[i][j] += (Math.log(d[i]) - mean[i]) * (Math.log(d[j]) - mean[j]) / draws.size();
        }
      }
    }
    // Standard errors of the moments at 20,000 draws: about 0.0015 and 0.0009 for the entries.
    assertEquals(Math.log(0.5), mean[0], 0.006);
    assertEquals(Math.log(4.0), mean[1], 0.009);
    assertEquals(0.04, c[0][0], 0.002);
    assertEquals(0.01, c[0][1], 0.002);
    assertEquals(0.09, c[1][1], 0.004);
    assertArrayEquals(draws.get(7), ParameterDraws.of(mle, 20_000, 3).get(7), "seeded");
    double[][] nan = {{Double.NaN, Double.NaN}, {Double.NaN, Double.NaN}};
    assertNull(ParameterDraws.of(new MleResult(List.of("r", "alpha"), theta, theta, nan, -1, 1, false, false, "x"), 10, 3));
  }

  /**
   * Coverage by simulation: 100 seeds of 500 BG/NBD customers (r = 0.25, alpha = 4 weeks, a = 0.8,
   * b = 2.5, ages 4..52 weeks), each fitted; the 90% intervals from 200 draws (the default) of each
   * parameter and of P(alive) for x = 2, t_x = 20, T = 40 weeks must hold the truth in 80..97 of them.
   * Measured: r 90, alpha 88, a 90, b 93, P(alive) 87 of the 99 fits that converged (seed 30's did not).
   */
  @Test
  void ninetyPercentIntervalsCoverTheTruthInAboutNinetyPercentOfSeeds() {
    BgNbdModel truthDays = new BgNbdModel(0.25, 4 * 7, 0.8, 2.5);
    BgNbdModel truth = new BgNbdModel(0.25, 4, 0.8, 2.5);
    double[] truthValues = {truth.r(), truth.alpha(), truth.a(), truth.b(), truth.probabilityAlive(2, 20, 40)};
    int[] covered = new int[5];
    int fitted = 0;
    for (long seed = 1; seed <= 100; seed++) {
      ModelFit<BgNbdModel> fit = BgNbdModel.fit(new BgNbdSimulator(truthDays, seed).simulate(500, 28, 364, 7.0));
      if (!fit.converged() || fit.mle().atBoundary()) {
        continue;
      }
      fitted++;
      List<double[]> draws = ParameterDraws.of(fit.mle(), 200, seed);
      double[][] values = new double[5][draws.size()];
      for (int d = 0; d < draws.size(); d++) {
        double[] t = draws.get(d);
        for (int k = 0; k < 4; k++) {
          values[k][d] = t[k];
        }
        values[4][d] = new BgNbdModel(t[0], t[1], t[2], t[3]).probabilityAlive(2, 20, 40);
      }
      for (int k = 0; k < 5; k++) {
        double[] q = ParameterDraws.percentiles(values[k], SummaryIntervals.LOW, SummaryIntervals.HIGH);
        if (q[0] <= truthValues[k] && truthValues[k] <= q[1]) {
          covered[k]++;
        }
      }
    }
    System.out.printf("coverage of 90%% intervals over %d fits: r %d, alpha %d, a %d, b %d, P(alive) %d%n", fitted,
        covered[0], covered[1], covered[2], covered[3], covered[4]);
    assertTrue(fitted >= 95, "fits: " + fitted);
    for (int k = 0; k < 5; k++) {
      assertTrue(covered[k] >= 80 && covered[k] <= 97, "covered " + Arrays.toString(covered) + " of " + fitted);
    }
  }

  /** On CDNOW the intervals narrow with the data: customer 0001's P(alive) on all 2,357 customers and on every tenth. */
  @Test
  void intervalsNarrowWithMoreCustomers() {
    CdnowSample cdnow = CdnowSample.load();
    CdnowSample.Customer c = cdnow.customer("0001");
    double full = width(cdnow.customers, c);
    double tenth = width(java.util.stream.IntStream.range(0, cdnow.customers.size()).filter(i -> i % 10 == 0)
        .mapToObj(cdnow.customers::get).toList(), c);
    System.out.printf("CDNOW customer 0001 P(alive) 90%% interval width: %.4f (2,357 customers), %.4f (236)%n", full, tenth);
    assertTrue(full > 0 && full < tenth / 2, full + " vs " + tenth);
  }

  private static double width(List<CdnowSample.Customer> customers, CdnowSample.Customer c) {
    RfmSummary data = RfmSummary.aggregate(customers.stream().mapToDouble(CdnowSample.Customer::x).toArray(),
        customers.stream().mapToDouble(CdnowSample.Customer::tx).toArray(), customers.stream().mapToDouble(CdnowSample.Customer::age).toArray());
    ModelFit<BgNbdModel> fit = BgNbdModel.fit(data);
    assertTrue(fit.converged(), fit.mle()::toString);
    double[] alive = ParameterDraws.of(fit.mle(), 200, 42).stream()
        .mapToDouble(t -> new BgNbdModel(t[0], t[1], t[2], t[3]).probabilityAlive(c.x(), c.tx(), c.age())).toArray();
    double[] q = ParameterDraws.percentiles(alive, SummaryIntervals.LOW, SummaryIntervals.HIGH);
    return q[1] - q[0];
  }
}
