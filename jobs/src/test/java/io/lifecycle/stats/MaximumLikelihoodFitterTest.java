package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class MaximumLikelihoodFitterTest {

  /** Two independent Poisson rates: MLE = sample mean, SE = sqrt(lambda / n), exactly. */
  private static LogLikelihood poisson(double sum1, int n1, double sum2, int n2, boolean analytic) {
    return new LogLikelihood() {
      @Override
      public List<String> parameterNames() {
        return List.of("lambda1", "lambda2");
      }

      @Override
      public double value(double[] t) {
        return sum1 * Math.log(t[0]) - n1 * t[0] + sum2 * Math.log(t[1]) - n2 * t[1];
      }

      @Override
      public boolean hasAnalyticGradient() {
        return analytic;
      }

      @Override
      public double[] gradient(double[] t) {
        return analytic ? new double[] {sum1 / t[0] - n1, sum2 / t[1] - n2} : LogLikelihood.super.gradient(t);
      }
    };
  }

  @Test
  void knownMaximumAndStandardErrors() {
    for (boolean analytic : new boolean[] {true, false}) {
      MleResult r = new MaximumLikelihoodFitter().fit(poisson(370, 100, 12, 400, analytic),
          List.of(new double[] {1, 1}));
      assertTrue(r.converged(), r::toString);
      assertFalse(r.atBoundary());
      assertEquals(3.7, r.estimate("lambda1"), 3.7e-6);
      assertEquals(0.03, r.estimate("lambda2"), 0.03e-6);
      assertEquals(Math.sqrt(3.7 / 100), r.standardError("lambda1"), 1e-5 * Math.sqrt(3.7 / 100));
      assertEquals(Math.sqrt(0.03 / 400), r.standardError("lambda2"), 1e-5 * Math.sqrt(0.03 / 400));
      assertEquals(0.0, r.covariance()[0][1], 1e-9);
    }
  }

  /** The likelihood keeps rising as theta2 grows: must be reported as a boundary, never as converged. */
  @Test
  void runawayParameterIsFlagged() {
    LogLikelihood ll = new LogLikelihood() {
      @Override
      public List<String> parameterNames() {
        return List.of("a", "b");
      }

      @Override
      public double value(double[] t) {
        return -Math.pow(Math.log(t[0]), 2) - 1 / t[1];
      }
    };
    MleResult r = new MaximumLikelihoodFitter().fit(ll, List.of(new double[] {2, 1}));
    assertTrue(r.atBoundary(), r::toString);
    assertFalse(r.converged(), r::toString);
    assertTrue(r.message().contains("edge of the search range"), r::message);
  }

  @Test
  void undefinedLikelihoodIsReportedNotThrown() {
    LogLikelihood ll = new LogLikelihood() {
      @Override
      public List<String> parameterNames() {
        return List.of("a", "b");
      }

      @Override
      public double value(double[] t) {
        return Double.NaN;
      }
    };
    MleResult r = new MaximumLikelihoodFitter().fit(ll, List.of(new double[] {1, 1}, new double[] {2, 2}));
    assertFalse(r.converged());
    assertTrue(Double.isNaN(r.estimates()[0]));
    assertTrue(r.message().startsWith("no start produced a finite log-likelihood"), r::message);
  }

  @Test
  void exhaustedBudgetIsNotConverged() {
    MaximumLikelihoodFitter.Options tight = new MaximumLikelihoodFitter.Options(12, 0.5, 1e-10, 1e-4, 1e-6, 1e6, 1);
    ModelFit<BgNbdModel> fit = BgNbdModel.fit(CdnowSample.load().rfm(), new MaximumLikelihoodFitter(tight));
    assertFalse(fit.converged(), fit.mle()::toString);
    assertTrue(fit.mle().message().contains("NOT converged"), fit.mle()::message);
  }

  /**
   * A likelihood that fails (throws) in part of the space, near its maximum: the fitter restarts from
   * the best point seen and still converges.
   */
  @Test
  void recoversFromNumericalFailures() {
    LogLikelihood ll = new LogLikelihood() {
      @Override
      public List<String> parameterNames() {
        return List.of("a", "b");
      }

      @Override
      public double value(double[] t) {
        if (t[0] > 3.5) {
          throw new ArithmeticException("series did not converge");
        }
        return 30 * Math.log(t[0]) - 10 * t[0] + 5 * Math.log(t[1]) - 2 * t[1];
      }
    };
    MleResult r = new MaximumLikelihoodFitter().fit(ll, List.of(new double[] {1, 1}));
    assertTrue(r.converged(), r::toString);
    assertEquals(3.0, r.estimate("a"), 1e-5);
    assertEquals(2.5, r.estimate("b"), 1e-5);
  }
}
