package io.lifecycle.stats;

import java.util.Arrays;
import java.util.List;

/**
 * Outcome of a maximum-likelihood fit, including its diagnostics.
 *
 * <p>Callers must look at {@link #converged()} before trusting {@link #estimates()}: a failed or
 * unfinished optimisation is reported here (with a reason in {@link #message()}), never thrown away or
 * passed off as converged. Standard errors come from the inverse observed information (negative
 * Hessian of the log-likelihood in the natural parameters at the optimum) and are NaN when that matrix
 * is not positive definite. Arrays are copied in and out, so instances are immutable.
 *
 * @param parameterNames names in estimate order
 * @param estimates      maximum-likelihood estimates (natural parameters); NaN if no start produced a point
 * @param standardErrors square roots of the diagonal of {@code covariance}
 * @param covariance     inverse observed information, NaN-filled if unavailable
 * @param logLikelihood  log-likelihood at the estimates
 * @param evaluations    likelihood (or gradient) evaluations spent by the optimizer over all starts
 * @param converged      optimizer finished normally, the observed information is positive definite and
 *                       the Newton step from the estimates is negligible (in parameters and likelihood)
 * @param atBoundary     a parameter ran to within a factor 100 of the search box (1e6 around its
 *                       start): the maximum is probably at 0 or infinity, i.e. a degenerate model
 * @param message        human-readable summary (why not converged, how many starts agreed)
 */
public record MleResult(List<String> parameterNames, double[] estimates, double[] standardErrors,
            double[][] covariance, double logLikelihood, int evaluations, boolean converged,
            boolean atBoundary, String message) {

  public MleResult {
    parameterNames = List.copyOf(parameterNames);
    estimates = estimates.clone();
    standardErrors = standardErrors.clone();
    covariance = deepCopy(covariance);
  }

  @Override
  public double[] estimates() {
    return estimates.clone();
  }

  @Override
  public double[] standardErrors() {
    return standardErrors.clone();
  }

  @Override
  public double[][] covariance() {
    return deepCopy(covariance);
  }

  /**
   * True when every estimate is a positive finite number, i.e. a model can be built from them (which
   * says nothing about convergence: check {@link #converged()}).
   */
  public boolean hasEstimates() {
    for (double e : estimates) {
      if (!(e > 0) || !Double.isFinite(e)) {
        return false;
      }
    }
    return true;
  }

  /** Estimate of the named parameter. */
  public double estimate(String name) {
    return estimates[indexOf(name)];
  }

  /** Standard error of the named parameter. */
  public double standardError(String name) {
    return standardErrors[indexOf(name)];
  }

  private int indexOf(String name) {
    int i = parameterNames.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no parameter " + name + " in " + parameterNames);
    }
    return i;
  }

  private static double[][] deepCopy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("MleResult[");
    for (int i = 0; i < estimates.length; i++) {
      sb.append(parameterNames.get(i)).append('=').append(estimates[i])
          .append(" (se ").append(standardErrors[i]).append("), ");
    }
    return sb.append("logLikelihood=").append(logLikelihood).append(", evaluations=").append(evaluations)
        .append(", converged=").append(converged).append(", atBoundary=").append(atBoundary)
        .append(", message=").append(message).append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MleResult m && parameterNames.equals(m.parameterNames)
        && Arrays.equals(estimates, m.estimates) && Arrays.equals(standardErrors, m.standardErrors)
        && Arrays.deepEquals(covariance, m.covariance)
        && Double.compare(logLikelihood, m.logLikelihood) == 0 && evaluations == m.evaluations
        && converged == m.converged && atBoundary == m.atBoundary && message.equals(m.message);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(estimates) * 31 + Double.hashCode(logLikelihood);
  }
}
