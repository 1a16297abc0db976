package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A categorical covariate in BG/NBD and Pareto/NBD ({@link CovariateFit}): on simulated customers whose
 * second channel buys at twice the rate, the fit recovers the factor within two standard errors and the
 * likelihood-ratio test rejects the model without the covariate; on two channels with the same
 * behaviour it does not. The joint likelihood's analytic gradient agrees with a numerical one.
 */
class CovariateFitTest {
  /** CDNOW's published BG/NBD estimates, alpha in days. */
  private static final BgNbdModel TRUTH = new BgNbdModel(0.243, 4.414 * 7, 0.793, 2.426);
  private static final int CUSTOMERS = 6_000;

  private static RfmSummary simulate(BgNbdModel truth, long seed) {
    return new BgNbdSimulator(truth, seed).simulate(CUSTOMERS, 180, 540, 7.0);
  }

  private static RfmSummary pooled(RfmSummary a, RfmSummary b) {
    int n = a.size() + b.size();
    double[] x = new double[n];
    double[] tx = new double[n];
    double[] age = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      RfmSummary s = i < a.size() ? a : b;
      int j = i < a.size() ? i : i - a.size();
      x[i] = s.x(j);
      tx[i] = s.tx(j);
      age[i] = s.age(j);
      w[i] = s.weight(j);
    }
    return RfmSummary.of(x, tx, age, w);
  }

  private static CovariateFit fitBgNbd(RfmSummary organic, RfmSummary paid) {
    MleResult pooled = BgNbdModel.fit(pooled(organic, paid)).mle();
    assertTrue(pooled.converged(), pooled.message());
    return CovariateFit.fit(List.of("organic", "paid_search"), List.of(organic, paid), BgNbdModel::likelihood,
        CovariateFit.BG_NBD, pooled, new MaximumLikelihoodFitter());
  }

  private static CovariateFit.Coefficient coefficient(CovariateFit fit, String effect) {
    return fit.coefficients().stream().filter(c -> c.effect().equals(effect)).findFirst().orElseThrow();
  }

  @Test
  void aChannelThatBuysTwiceAsOftenIsRecoveredAndTheTestRejectsTheModelWithoutIt() {
    RfmSummary organic = simulate(TRUTH, 11);
    RfmSummary paid = simulate(new BgNbdModel(TRUTH.r(), TRUTH.alpha() / 2, TRUTH.a(), TRUTH.b()), 12);
    CovariateFit fit = fitBgNbd(organic, paid);
    assertTrue(fit.mle().converged(), fit.mle().message());
    assertEquals(List.of("r", "alpha", "a", "b", "purchase[paid_search]", "dropout_a[paid_search]", "dropout_b[paid_search]"),
        fit.mle().parameterNames());
    CovariateFit.Coefficient purchase = coefficient(fit, "purchase");
    assertEquals("paid_search", purchase.level());
    assertTrue(purchase.standardError() > 0 && purchase.standardError() < 0.2, purchase.toString());
    assertEquals(Math.log(2), purchase.estimate(), 2 * purchase.standardError(), purchase.toString());
    // The dropout is the same in both channels: its factors stay within their noise.
    for (String effect : List.of("dropout_a", "dropout_b")) {
      CovariateFit.Coefficient c = coefficient(fit, effect);
      assertEquals(0, c.estimate(), 3 * c.standardError(), c.toString());
    }
    // Three added parameters; the covariate explains the paid channel's purchases far beyond chance.
    assertEquals(3, fit.degreesOfFreedom());
    assertTrue(fit.lrStatistic() > 50, "LR " + fit.lrStatistic());
    assertTrue(fit.pValue() < 1e-9, "p " + fit.pValue());
    // The reference level's parameters are the first estimates; the paid level's alpha is divided by the factor.
    double[] reference = fit.levelParameters(0, 4, CovariateFit.BG_NBD);
    double[] paidLevel = fit.levelParameters(1, 4, CovariateFit.BG_NBD);
    assertArrayEquals(java.util.Arrays.copyOf(fit.mle().estimates(), 4), reference, 0);
    assertEquals(reference[1] / purchase.factor(), paidLevel[1], 1e-9 * reference[1]);
    assertEquals(reference[0], paidLevel[0], 0);
  }

  @Test
  void twoChannelsThatBehaveAlikeGiveNoSignificantCovariate() {
    CovariateFit fit = fitBgNbd(simulate(TRUTH, 21), simulate(TRUTH, 22));
    assertTrue(fit.mle().converged(), fit.mle().message());
    CovariateFit.Coefficient purchase = coefficient(fit, "purchase");
    assertEquals(0, purchase.estimate(), 2 * purchase.standardError(), purchase.toString());
    // With covariates the likelihood can only rise (nested models), by about chance alone.
    assertTrue(fit.lrStatistic() >= -1e-6 && fit.pValue() > 0.01, "LR " + fit.lrStatistic() + ", p " + fit.pValue());
  }

  @Test
  void paretoNbdTakesTheSameCovariate() {
    RfmSummary organic = simulate(TRUTH, 31);
    RfmSummary paid = simulate(new BgNbdModel(TRUTH.r(), TRUTH.alpha() / 2, TRUTH.a(), TRUTH.b()), 32);
    MleResult pooled = ParetoNbdModel.fit(pooled(organic, paid)).mle();
    CovariateFit fit = CovariateFit.fit(List.of("organic", "paid_search"), List.of(organic, paid), ParetoNbdModel::likelihood,
        CovariateFit.PARETO_NBD, pooled, new MaximumLikelihoodFitter());
    assertEquals(List.of("r", "alpha", "s", "beta", "purchase[paid_search]", "dropout[paid_search]"), fit.mle().parameterNames());
    assertEquals(2, fit.degreesOfFreedom());
    // Simulated by BG/NBD, not Pareto/NBD: the rate factor is still about two, the covariate significant.
    CovariateFit.Coefficient purchase = coefficient(fit, "purchase");
    assertTrue(purchase.factor() > 1.6 && purchase.factor() < 2.5, purchase.toString());
    assertTrue(fit.pValue() < 1e-9, "p " + fit.pValue());
  }

  @Test
  void theJointGradientIsTheChainRuleOfTheLevels() {
    RfmSummary organic = simulate(TRUTH, 41);
    RfmSummary paid = simulate(TRUTH, 42);
    CovariateFit.Joint joint = new CovariateFit.Joint(List.of(BgNbdModel.likelihood(organic), BgNbdModel.likelihood(paid)),
        List.of("organic", "paid_search"), CovariateFit.BG_NBD);
    assertTrue(joint.hasAnalyticGradient());
    double[] theta = {0.3, 30.0, 0.8, 2.5, 1.7, 0.9, 1.2};
    double[] analytic = joint.gradient(theta);
    double[] numeric = NumericGradient.of(joint, theta);
    for (int i = 0; i < theta.length; i++) {
      assertEquals(numeric[i], analytic[i], 1e-6 * Math.max(1, Math.abs(numeric[i])), joint.parameterNames().get(i));
    }
  }

  /**
   * Two categorical covariates and a numeric one: eight cells, each with its own exponents (dummies and
   * a centered value), and the gradient by the chain rule d phi / d theta = +- z phi / theta.
   */
  @Test
  void theJointGradientWithSeveralCovariatesIsTheChainRuleOfTheCells() {
    java.util.List<LogLikelihood> cells = new java.util.ArrayList<>();
    double[][] z = new double[8][];
    for (int k = 0; k < 8; k++) {
      cells.add(BgNbdModel.likelihood(new BgNbdSimulator(TRUTH, 60 + k).simulate(500, 180, 540, 7.0)));
      // channel paid (bit 0), plan pro or plus (bits 1, 2 exclusive), a centered score.
      z[k] = new double[] {k & 1, (k >> 1) == 1 ? 1 : 0, (k >> 1) == 2 ? 1 : 0, -0.7 + 0.35 * k};
    }
    CovariateFit.Design design = new CovariateFit.Design(List.of("channel=paid", "plan=pro", "plan=plus", "score"), z);
    for (List<CovariateFit.Effect> effects : List.of(CovariateFit.BG_NBD, CovariateFit.PARETO_NBD)) {
      CovariateFit.Joint joint = new CovariateFit.Joint(cells, design, effects);
      assertEquals(4 + 4 * effects.size(), joint.dimension());
      double[] theta = new double[joint.dimension()];
      double[] base = {0.3, 30.0, 0.8, 2.5};
      for (int i = 0; i < theta.length; i++) {
        theta[i] = i < 4 ? base[i] : 0.6 + 0.1 * i;
      }
      double[] analytic = joint.gradient(theta);
      double[] numeric = NumericGradient.of(joint, theta);
      for (int i = 0; i < theta.length; i++) {
        assertEquals(numeric[i], analytic[i], 1e-6 * Math.max(1, Math.abs(numeric[i])), joint.parameterNames().get(i));
      }
    }
    assertEquals("purchase[score]", new CovariateFit.Joint(cells, design, CovariateFit.BG_NBD).parameterNames().get(13));
  }

  /**
   * A numeric covariate, z = 1 for the paid channel and 0 for organic, centered at its mean 1/2: the same
   * model as the channel as a categorical covariate, written otherwise, so the same factor, standard error
   * and likelihood-ratio test; the reference parameters are those of a customer at the mean (alpha
   * divided by the square root of the factor).
   */
  @Test
  void aZeroOneNumericCovariateIsTheCategoricalOneReparametrized() {
    RfmSummary organic = simulate(TRUTH, 71);
    RfmSummary paid = simulate(new BgNbdModel(TRUTH.r(), TRUTH.alpha() / 2, TRUTH.a(), TRUTH.b()), 72);
    CovariateFit categorical = fitBgNbd(organic, paid);
    MleResult pooled = BgNbdModel.fit(pooled(organic, paid)).mle();
    CovariateFit numeric = CovariateFit.fit(new CovariateFit.Design(List.of("paid"), new double[][] {{-0.5}, {0.5}}),
        List.of(organic, paid), BgNbdModel::likelihood, CovariateFit.BG_NBD, pooled, new MaximumLikelihoodFitter());
    assertTrue(numeric.mle().converged(), numeric.mle().message());
    assertEquals(List.of("r", "alpha", "a", "b", "purchase[paid]", "dropout_a[paid]", "dropout_b[paid]"), numeric.mle().parameterNames());
    CovariateFit.Coefficient c = coefficient(categorical, "purchase");
    CovariateFit.Coefficient n = coefficient(numeric, "purchase");
    assertEquals(c.estimate(), n.estimate(), 1e-3);
    assertEquals(c.standardError(), n.standardError(), 1e-3 * c.standardError());
    assertEquals(categorical.lrStatistic(), numeric.lrStatistic(), 1e-4);
    assertEquals(3, numeric.degreesOfFreedom());
    assertEquals(categorical.mle().estimates()[1] / Math.sqrt(c.factor()), numeric.mle().estimates()[1], 1e-3 * numeric.mle().estimates()[1]);
    assertArrayEquals(numeric.levelParameters(0, 4, CovariateFit.BG_NBD), numeric.cellParameters(new double[] {0}, 4, CovariateFit.BG_NBD), 0);
  }

  /** A rate that doubles per unit of a score (cells at -1, 0 and 1): ln c recovers ln 2 within two standard errors. */
  @Test
  void aNumericCovariateRecoversItsFactorPerUnit() {
    List<RfmSummary> data = new java.util.ArrayList<>();
    double[][] z = {{-1}, {0}, {1}};
    for (int k = 0; k < 3; k++) {
      data.add(simulate(new BgNbdModel(TRUTH.r(), TRUTH.alpha() / Math.pow(2, z[k][0]), TRUTH.a(), TRUTH.b()), 80 + k));
    }
    MleResult pooled = BgNbdModel.fit(pooled(pooled(data.get(0), data.get(1)), data.get(2))).mle();
    CovariateFit fit = CovariateFit.fit(new CovariateFit.Design(List.of("score"), z), data, BgNbdModel::likelihood,
        CovariateFit.BG_NBD, pooled, new MaximumLikelihoodFitter());
    CovariateFit.Coefficient purchase = coefficient(fit, "purchase");
    assertTrue(purchase.standardError() > 0 && purchase.standardError() < 0.1, purchase.toString());
    assertEquals(Math.log(2), purchase.estimate(), 2 * purchase.standardError(), purchase.toString());
    assertTrue(fit.pValue() < 1e-9, "p " + fit.pValue());
    assertThrows(IllegalArgumentException.class, () -> new CovariateFit.Design(List.of("flat"), new double[][] {{0}, {0}}));
  }

  @Test
  void oneLevelIsNotACovariate() {
    RfmSummary only = simulate(TRUTH, 51);
    MleResult pooled = BgNbdModel.fit(only).mle();
    assertThrows(IllegalArgumentException.class, () -> CovariateFit.fit(List.of("organic"), List.of(only), BgNbdModel::likelihood,
        CovariateFit.BG_NBD, pooled, new MaximumLikelihoodFitter()));
  }
}
