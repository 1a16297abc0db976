package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BgNbdModelTest {

  /** Fader, Hardie &amp; Lee (2005), CDNOW sample, weeks. */
  private static final BgNbdModel PUBLISHED = new BgNbdModel(0.243, 4.414, 0.793, 2.426);

  private static CdnowSample cdnow;
  private static ModelFit<BgNbdModel> fit;

  @BeforeAll
  static void fitCdnow() {
    cdnow = CdnowSample.load();
    fit = BgNbdModel.fit(cdnow.rfm());
  }

  @Test
  void cdnowSummaryConventions() {
    assertEquals(2357, cdnow.customers.size());
    CdnowSample.Customer c = cdnow.customer("0001");
    assertEquals(2, c.x());
    assertEquals(30.43, c.tx(), 0.005);
    assertEquals(38.86, c.age(), 0.005);
    assertEquals(946, cdnow.customers.stream().filter(k -> k.x() > 0).count());
  }

  @Test
  void reproducesPublishedCdnowFit() {
    MleResult mle = fit.mle();
    assertTrue(mle.converged(), mle::toString);
    assertFalse(mle.atBoundary());
    BgNbdModel m = fit.model();
    assertEquals(0.243, m.r(), 0.0005);
    assertEquals(4.41, m.alpha(), 0.005);
    assertEquals(0.793, m.a(), 0.0005);
    assertEquals(2.43, m.b(), 0.005);
    assertEquals(-9582.4, mle.logLikelihood(), 0.05);
    // The published parameters (rounded) are within a hair of the maximum.
    assertEquals(-9582.4, PUBLISHED.logLikelihood(cdnow.rfm()), 0.05);
    // Agrees with CLVTools' own estimates (tests/testthat/test_correctness_bgnbd.R) to 1e-5 relative.
    assertEquals(0.2425945, m.r(), 0.2425945e-5);
    assertEquals(4.4136019, m.alpha(), 4.4136019e-5);
    assertEquals(0.7929199, m.a(), 0.7929199e-5);
    assertEquals(2.4258881, m.b(), 2.4258881e-5);
    // Standard errors from the inverse observed information (regression values).
    assertEquals(0.0126, mle.standardError("r"), 0.0001);
    assertEquals(0.378, mle.standardError("alpha"), 0.001);
    assertEquals(0.186, mle.standardError("a"), 0.001);
    assertEquals(0.705, mle.standardError("b"), 0.001);
  }

  @Test
  void customer0001ExpectedPurchasesInNext39Weeks() {
    assertEquals(1.226, fit.model().conditionalExpectedPurchases(39, 2, 30.43, 38.86), 0.0005);
    assertEquals(1.226, PUBLISHED.conditionalExpectedPurchases(39, 2, 30.43, 38.86), 0.0005);
  }

  @Test
  void noRepeatPurchaseMeansAlive() {
    assertEquals(1.0, PUBLISHED.probabilityAlive(0, 0, 38.86));
    assertEquals(1.0, PUBLISHED.probabilityAlive(0, 0, 0));
  }

  /** P(alive) against numerical integration over the dropout probability p ~ Beta(a, b). */
  @ParameterizedTest
  @CsvSource({"2, 30.43, 38.86", "1, 5, 38.86", "10, 35, 38", "5, 10, 38", "1, 38, 38", "25, 2, 30"})
  void probabilityAliveMatchesIntegral(double x, double tx, double age) {
    BgNbdModel m = PUBLISHED;
    double alive = integrateOverP(m, p -> Math.pow(1 - p, x) * Math.pow(m.alpha() + age, -(m.r() + x)));
    double dead = integrateOverP(m, p -> p * Math.pow(1 - p, x - 1) * Math.pow(m.alpha() + tx, -(m.r() + x)));
    assertEquals(alive / (alive + dead), m.probabilityAlive(x, tx, age), 1e-10);
  }

  /**
   * E[Y(t) | x, t_x, T] against an integral over p: given lambda and p an alive customer buys
   * (1 - exp(-lambda p t)) / p times in (T, T+t]; lambda is integrated analytically, p numerically.
   * Horizons up to 1000 weeks drive the 2F1 argument close to 1.
   */
  @ParameterizedTest
  @CsvSource({
    "39, 2, 30.43, 38.86", "39, 0, 0, 38.86", "39, 1, 5, 38.86", "39, 10, 35, 38", "200, 2, 30.43, 38.86",
    "1000, 2, 30.43, 38.86", "1000, 0, 0, 20", "5, 25, 2, 30", "0.5, 3, 20, 21"})
  void conditionalExpectationMatchesIntegral(double t, double x, double tx, double age) {
    BgNbdModel m = PUBLISHED;
    double rx = m.r() + x;
    double purchases = integrateOverP(m, p -> Math.pow(1 - p, x) / p
        * (Math.pow(m.alpha() + age, -rx) - Math.pow(m.alpha() + age + p * t, -rx)));
    double alive = integrateOverP(m, p -> Math.pow(1 - p, x) * Math.pow(m.alpha() + age, -rx));
    double dead = x == 0 ? 0 : integrateOverP(m, p -> p * Math.pow(1 - p, x - 1) * Math.pow(m.alpha() + tx, -rx));
    double expected = purchases / (alive + dead);
    assertEquals(expected, m.conditionalExpectedPurchases(t, x, tx, age), 1e-9 * Math.max(1, expected));
  }

  /** E[X(t)] against the integral over p of (1 - (alpha/(alpha + p t))^r) / p. */
  @ParameterizedTest
  @CsvSource({"1", "39", "78", "500", "5000"})
  void unconditionalExpectationMatchesIntegral(double t) {
    BgNbdModel m = PUBLISHED;
    double expected = integrateOverP(m, p -> -Math.expm1(m.r() * Math.log(m.alpha() / (m.alpha() + p * t))) / p);
    assertEquals(expected, m.expectedPurchases(t), 1e-9 * expected);
  }

  @Test
  void purchaseCountDistributionIsConsistent() {
    BgNbdModel m = PUBLISHED;
    for (double t : new double[] {1, 39, 78}) {
      double total = 0;
      double mean = 0;
      for (int n = 0; n <= 400; n++) {
        double p = m.probabilityOfPurchases(t, n);
        assertTrue(p >= 0 && p <= 1);
        total += p;
        mean += n * p;
      }
      assertEquals(1.0, total, 1e-10);
      assertEquals(m.expectedPurchases(t), mean, 1e-8);
    }
    assertEquals(1.0, m.probabilityOfPurchases(0, 0), 1e-15);
  }

  @Test
  void closedFormsAreContinuousAcrossAEqualsOne() {
    BgNbdModel below = new BgNbdModel(0.243, 4.414, 1 - 1e-4, 2.426);
    BgNbdModel at = new BgNbdModel(0.243, 4.414, 1, 2.426);
    BgNbdModel above = new BgNbdModel(0.243, 4.414, 1 + 1e-4, 2.426);
    double mid = 0.5 * (below.conditionalExpectedPurchases(39, 2, 30.43, 38.86)
        + above.conditionalExpectedPurchases(39, 2, 30.43, 38.86));
    assertEquals(mid, at.conditionalExpectedPurchases(39, 2, 30.43, 38.86), 1e-8);
    assertEquals(0.5 * (below.expectedPurchases(39) + above.expectedPurchases(39)), at.expectedPurchases(39), 1e-8);
  }

  @Test
  void analyticGradientMatchesFiniteDifferences() {
    LogLikelihood ll = BgNbdModel.likelihood(cdnow.rfm());
    for (double[] theta : new double[][] {PUBLISHED.toArray(), {1.5, 0.7, 3.0, 0.4}}) {
      double[] g = ll.gradient(theta);
      double[] gn = NumericGradient.of(ll, theta);
      for (int i = 0; i < 4; i++) {
        assertEquals(gn[i], g[i], 1e-5 * Math.max(1, Math.abs(gn[i])), "component " + i);
      }
    }
  }

  @Test
  void compressedAndPerCustomerLikelihoodsAgree() {
    double perCustomer = 0;
    for (CdnowSample.Customer c : cdnow.customers) {
      perCustomer += PUBLISHED.logLikelihood(c.x(), c.tx(), c.age());
    }
    assertEquals(perCustomer, PUBLISHED.logLikelihood(cdnow.rfm()), 1e-8);
  }

  @Test
  void rejectsInvalidParameters() {
    assertThrows(IllegalArgumentException.class, () -> new BgNbdModel(0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new BgNbdModel(1, Double.NaN, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> PUBLISHED.expectedPurchases(-1));
  }

  /**
   * Integral over p of f(p) Beta(p; a, b) dp. The substitution u = p^a absorbs the p^(a-1)
   * singularity at 0 (a &lt; 1 here), leaving a smooth integrand on [0, 1].
   */
  static double integrateOverP(BgNbdModel m, java.util.function.DoubleUnaryOperator f) {
    double a = m.a();
    double b = m.b();
    double logB = SpecialFunctions.logBeta(a, b);
    return Quadrature.integrate(u -> {
      double p = Math.pow(u, 1 / a);
      if (p < 1e-250) {
        return 0; // p underflows: the node's weight is negligible and f(p)/p would be 0/0
      }
      return f.applyAsDouble(p) * Math.pow(1 - p, b - 1) / a * Math.exp(-logB);
    }, 0, 1);
  }
  /**
   * The horizons at once (a CLV's months, every interval draw's) are each horizon's value bit for bit,
   * with the fitted CDNOW model, a = 1 within the removable singularity's gap, and a horizon of 0.
   */
  @Test
  void purchasesIfAliveAtSeveralHorizonsIsEachHorizonsValueExactly() {
    double[] months = new double[13];
    for (int m = 1; m < months.length; m++) {
      months[m] = m * 52.0 / 12;
    }
    for (BgNbdModel model : List.of(fit.model(), new BgNbdModel(0.25, 4.2, 1 + 1e-7, 2.4), new BgNbdModel(1.7, 0.3, 3.2, 0.9))) {
      for (double x : new double[] {0, 1, 3, 25}) {
        for (double age : new double[] {0.5, 12, 38.86, 140}) {
          double[] atOnce = model.purchasesIfAlive(months, x, age);
          for (int m = 0; m < months.length; m++) {
            assertEquals(model.purchasesIfAlive(months[m], x, age), atOnce[m], 0.0, model + " x=" + x + " T=" + age + " t=" + months[m]);
          }
        }
      }
    }
  }
}
