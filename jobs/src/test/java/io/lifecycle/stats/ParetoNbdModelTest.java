package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParetoNbdModelTest {

  /** Fader, Hardie &amp; Lee (2005), CDNOW sample, weeks. */
  private static final ParetoNbdModel PUBLISHED = new ParetoNbdModel(0.553, 10.578, 0.606, 11.669);

  private static CdnowSample cdnow;
  private static ModelFit<ParetoNbdModel> fit;

  @BeforeAll
  static void fitCdnow() {
    cdnow = CdnowSample.load();
    fit = ParetoNbdModel.fit(cdnow.rfm());
  }

  @Test
  void reproducesPublishedCdnowFit() {
    MleResult mle = fit.mle();
    assertTrue(mle.converged(), mle::toString);
    assertFalse(mle.atBoundary());
    ParetoNbdModel m = fit.model();
    assertEquals(0.553, m.r(), 0.0005);
    assertEquals(10.6, m.alpha(), 0.05);
    assertEquals(0.606, m.s(), 0.0005);
    assertEquals(11.7, m.beta(), 0.05);
    assertEquals(-9595.0, mle.logLikelihood(), 0.05);
    assertEquals(-9595.0, PUBLISHED.logLikelihood(cdnow.rfm()), 0.05);
    // Standard errors as CLVTools reports them (tests/testthat/test_correctness_pnbd.R), 3 digits.
    assertEquals(0.0476, mle.standardError("r"), 0.00005);
    assertEquals(0.843, mle.standardError("alpha"), 0.0005);
    assertEquals(0.187, mle.standardError("s"), 0.0005);
    assertEquals(6.21, mle.standardError("beta"), 0.005);
  }

  /**
   * The closed-form likelihood and P(alive) against numerical integration over the dropout time:
   * s/(r+s+x) A0 = s * integral_{t_x}^{T} (alpha+y)^-(r+x) (beta+y)^-(s+1) dy. Covers both 2F1
   * branches (alpha &gt;= beta and alpha &lt; beta) and a 2F1 argument close to 1 (alpha &gt;&gt; beta).
   */
  @ParameterizedTest
  @CsvSource({
    "0.553, 10.578, 0.606, 11.669, 2, 30.43, 38.86",
    "0.553, 10.578, 0.606, 11.669, 0, 0, 38.86",
    "0.553, 10.578, 0.606, 11.669, 10, 35, 38",
    "0.553, 11.669, 0.606, 10.578, 2, 30.43, 38.86",
    "0.553, 11.669, 0.606, 10.578, 0, 0, 20",
    "1.3, 50, 0.4, 0.3, 0, 0, 38",
    "1.3, 50, 0.4, 0.3, 4, 1, 38",
    "0.3, 0.2, 2.5, 40, 7, 12, 52"})
  void closedFormsMatchIntegralOverDropoutTime(double r, double alpha, double s, double beta,
                         double x, double tx, double age) {
    ParetoNbdModel m = new ParetoNbdModel(r, alpha, s, beta);
    double alive = Math.pow(alpha + age, -(r + x)) * Math.pow(beta + age, -s);
    double dead = tx == age ? 0 : s * Quadrature.integrate(
        y -> Math.pow(alpha + y, -(r + x)) * Math.pow(beta + y, -(s + 1)), tx, age);
    double ll = SpecialFunctions.logGamma(r + x) - SpecialFunctions.logGamma(r) + r * Math.log(alpha)
        + s * Math.log(beta) + Math.log(alive + dead);
    assertEquals(ll, m.logLikelihood(x, tx, age), 1e-11 * Math.abs(ll));
    assertEquals(alive / (alive + dead), m.probabilityAlive(x, tx, age), 1e-11);
  }

  /**
   * Given alive at T, lambda ~ Gamma(r+x, alpha+T) and mu ~ Gamma(s, beta+T) independently, and the
   * expected purchases in (T, T+t] are lambda (1 - exp(-mu t)) / mu: integrate over mu numerically.
   */
  @ParameterizedTest
  @CsvSource({"39, 2, 30.43, 38.86", "39, 0, 0, 38.86", "39, 10, 35, 38", "500, 1, 3, 38"})
  void conditionalExpectationMatchesIntegral(double t, double x, double tx, double age) {
    ParetoNbdModel m = PUBLISHED;
    double s = m.s();
    double rate = m.beta() + age;
    // mu = v^(1/s) removes the mu^(s-1) singularity; v runs to where exp(-mu rate) is negligible.
    double vMax = Math.pow(800 / rate, s);
    double logNorm = s * Math.log(rate) - SpecialFunctions.logGamma(s);
    double perMu = Quadrature.integrate(v -> {
      double mu = Math.pow(v, 1 / s);
      if (mu < 1e-250) {
        return t / s * Math.exp(logNorm); // limit of (1 - e^(-mu t)) / mu * mu^(s-1) dmu/dv
      }
      return -Math.expm1(-mu * t) / mu * Math.exp(logNorm - mu * rate) / s;
    }, 0, vMax);
    double expected = m.probabilityAlive(x, tx, age) * (m.r() + x) / (m.alpha() + age) * perMu;
    assertEquals(expected, m.conditionalExpectedPurchases(t, x, tx, age), 1e-10 * expected);
  }

  @Test
  void unconditionalExpectationAndSEqualsOneLimit() {
    ParetoNbdModel m = PUBLISHED;
    // E[X(t)] = (r/alpha) E[(1 - e^(-mu t)) / mu] with mu ~ Gamma(s, beta); t -> 0 slope is r/alpha.
    assertEquals(m.r() / m.alpha(), m.expectedPurchases(1e-6) / 1e-6, 1e-6);
    ParetoNbdModel one = new ParetoNbdModel(0.5, 10, 1, 12);
    ParetoNbdModel near = new ParetoNbdModel(0.5, 10, 1 + 1e-9, 12);
    assertEquals(0.5 / 10 * 12 * Math.log1p(39 / 12.0), one.expectedPurchases(39), 1e-14);
    assertEquals(one.expectedPurchases(39), near.expectedPurchases(39), 1e-9);
  }

  /** Heavy buyers whose last purchase is just before T: CLVTools' regression case for NaN P(alive). */
  @Test
  void probabilityAliveStableForHeavyBuyers() {
    ParetoNbdModel m = new ParetoNbdModel(0.5143, 2.8845, 0.2856, 14.1087);
    double[][] rows = {{221, 103.42857, 103.57143}, {254, 97.14286, 97.28571}, {161, 94.71429, 98.0},
      {204, 98.57143, 99.42857}};
    for (double[] row : rows) {
      double p = m.probabilityAlive(row[0], row[1], row[2]);
      assertTrue(p > 0 && p <= 1, () -> "P(alive) = " + p);
      assertTrue(Double.isFinite(m.conditionalExpectedPurchases(39, row[0], row[1], row[2])));
    }
    assertEquals(1.0, m.probabilityAlive(221, 103.57143, 103.57143), 1e-15); // last purchase at T
  }
}
