package io.lifecycle.stats;

import java.util.List;

/**
 * A likelihood's central-difference gradient ({@link LogLikelihood#gradient}'s default), for the tests
 * that check an analytic gradient against it.
 */
final class NumericGradient {
  private NumericGradient() {}

  static double[] of(LogLikelihood likelihood, double[] theta) {
    return new LogLikelihood() {
      @Override
      public List<String> parameterNames() {
        return likelihood.parameterNames();
      }

      @Override
      public double value(double[] t) {
        return likelihood.value(t);
      }
    }.gradient(theta);
  }
}
