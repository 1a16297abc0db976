package io.lifecycle.stats;

import org.apache.commons.math3.special.Gamma;

/**
 * Log-space special functions shared by the models.
 *
 * <p>Thin wrappers over commons-math3 (a Spark dependency) plus the few things it lacks: a stable
 * log-sum-exp, log|Gamma| with its sign for negative arguments (needed by the 1-z transformation of
 * 2F1) and log Beta. Keeping them in one place means every model uses the same, tested numerics.
 */
public final class SpecialFunctions {

  private static final double LOG_PI = Math.log(Math.PI);

  private SpecialFunctions() {
  }

  /** ln Gamma(x) for x &gt; 0 (commons-math3, accurate to a few ulps). */
  public static double logGamma(double x) {
    return Gamma.logGamma(x);
  }

  /** digamma(x) = d/dx ln Gamma(x). */
  public static double digamma(double x) {
    return Gamma.digamma(x);
  }

  /** ln B(a, b) for a, b &gt; 0. */
  public static double logBeta(double a, double b) {
    return Gamma.logGamma(a) + Gamma.logGamma(b) - Gamma.logGamma(a + b);
  }

  /** ln(e^u + e^v) without overflow or underflow; -inf terms are allowed. */
  public static double logSumExp(double u, double v) {
    double max = Math.max(u, v);
    if (max == Double.NEGATIVE_INFINITY) {
      return Double.NEGATIVE_INFINITY;
    }
    if (max == Double.POSITIVE_INFINITY) {
      return Double.POSITIVE_INFINITY;
    }
    return max + Math.log1p(Math.exp(Math.min(u, v) - max));
  }

  /**
   * ln(e^u - e^v) for u &gt;= v; -inf when equal. Used where a closed form is a difference of two
   * positive terms (Pareto/NBD A0) so the difference is taken without leaving log space.
   */
  public static double logDiffExp(double u, double v) {
    if (v > u) {
      return Double.NaN;
    }
    if (v == Double.NEGATIVE_INFINITY) {
      return u;
    }
    double d = v - u;
    // Two branches keep full relative precision whether the terms are close or far apart.
    return u + (d > -0.6931471805599453 ? Math.log(-Math.expm1(d)) : Math.log1p(-Math.exp(d)));
  }

  /**
   * ln|Gamma(x)| for any real x that is not a non-positive integer, via the reflection formula
   * below 0.5. Returns +inf at the poles (so that 1/Gamma is 0 there).
   */
  public static double logAbsGamma(double x) {
    if (x > 0) {
      return Gamma.logGamma(x);
    }
    if (x == Math.rint(x)) {
      return Double.POSITIVE_INFINITY;
    }
    // Gamma(x) = pi / (sin(pi x) Gamma(1 - x))
    return LOG_PI - Math.log(Math.abs(sinPi(x))) - Gamma.logGamma(1 - x);
  }

  /** Sign of Gamma(x): +1 for x &gt; 0, alternating between the poles below 0, 0 at the poles. */
  public static double signGamma(double x) {
    if (x > 0) {
      return 1.0;
    }
    if (x == Math.rint(x)) {
      return 0.0;
    }
    return Math.signum(sinPi(x));
  }

  /**
   * y^c U(c, c, y) = E[y / (y + G)] for G ~ Gamma(c, 1), with U Tricomi's confluent hypergeometric
   * function; c, y &gt; 0. The discounted expected residual purchases of both purchase models reduce
   * to it (E[1/(delta + mu)] for a Gamma-distributed rate mu). With U(c, c, y) = e^y Gamma(1-c, y):
   * for y &lt; 1/2 and c below 30 and at least 0.05 from an integer, the incomplete gamma function's
   * power series, e^y [y^c Gamma(1-c) - y sum_k (-y)^k / (k! (k+1-c))] (its two terms have opposite
   * poles at integer c and cancel near one: 0.05 away that costs three digits); for y of at least
   * 1e4 (c + 20), the asymptotic series sum_k (c)_k (-1/y)^k; otherwise
   * Legendre's continued fraction by Lentz's method, which converges for every y &gt; 0, in a dozen
   * terms for large c or y but in about 70 / y for small ones. Throws {@link ArithmeticException}
   * where that would take more than ten million terms (y below about 1e-5 at integer c).
   */
  public static double tricomiUScaled(double c, double y) {
    if (!(c > 0) || !(y > 0) || !Double.isFinite(c) || !Double.isFinite(y)) {
      throw new IllegalArgumentException("tricomiUScaled needs c, y > 0 and finite: c=" + c + " y=" + y);
    }
    if (y < 0.5 && c < 30 && Math.abs(c - Math.rint(c)) > 0.05) {
      return tricomiUScaledSeries(c, y);
    }
    if (y >= ASYMPTOTIC_FROM * (c + 20)) {
      return tricomiUScaledAsymptotic(c, y);
    }
    double tiny = 1e-300;
    double b = y + c;
    double front = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i <= 10_000_000; i++) {
      double an = -i * (i - 1 + c);
      b += 2;
      d = an * d + b;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      front = b + an / front;
      if (Math.abs(front) < tiny) {
        front = tiny;
      }
      double delta = d * front;
      h *= delta;
      if (Math.abs(delta - 1) < 4e-16) {
        return y * h;
      }
    }
    throw new ArithmeticException("tricomiUScaled did not converge: c=" + c + " y=" + y);
  }

  /** Where y^c U(c, c, y) takes its asymptotic series: each term at most 1e-4 of the one before. */
  private static final double ASYMPTOTIC_FROM = 1e4;

  /**
   * y^c U(c, c, y) for y large against c: the asymptotic series sum_k (c)_k (-1/y)^k (A&amp;S 13.5.2 with
   * a = b = c). From y = 1e4 (c + 20) on the terms fall by 1e4 each, so a few give full precision; the
   * continued fraction, which needs 1/y, lost its precision and stopped converging near the largest
   * doubles (y about 1e308: a customer's tiny purchase probability p in DERT's integral).
   */
  private static double tricomiUScaledAsymptotic(double c, double y) {
    double sum = 1;
    double term = 1;
    for (int k = 0; k < 40; k++) {
      term *= -(c + k) / y;
      sum += term;
      if (Math.abs(term) <= 1e-17 * Math.abs(sum)) {
        break;
      }
    }
    return sum;
  }

  private static double tricomiUScaledSeries(double c, double y) {
    double sum = 0;
    double power = 1; // (-y)^k / k!
    for (int k = 0; k < 200; k++) {
      double term = power / (k + 1 - c);
      sum += term;
      if (k > c && Math.abs(term) <= 1e-17 * Math.abs(sum)) {
        break;
      }
      power *= -y / (k + 1);
    }
    double gammaTerm = signGamma(1 - c) * Math.exp(c * Math.log(y) + logAbsGamma(1 - c));
    return Math.exp(y) * (gammaTerm - y * sum);
  }

  /** sin(pi x) with exact zeros at integers (argument reduction before multiplying by pi). */
  static double sinPi(double x) {
    double r = x - 2.0 * Math.floor(x / 2.0); // r in [0, 2)
    return Math.sin(Math.PI * r);
  }
}
