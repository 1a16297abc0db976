package io.lifecycle.stats;

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) for real parameters and real z &lt;= 1.
 *
 * <p>The BG/NBD conditional expectation and the Pareto/NBD likelihood are closed forms in 2F1, and no
 * Spark dependency (commons-math3, Breeze) provides it. The power series converges for |z| &lt; 1 but
 * slowly near 1, so the evaluation routes the argument:
 * <ul>
 *   <li>z in [-0.5, 0.9]: the series directly;</li>
 *   <li>z &lt; -0.5: Pfaff's transformation to w = z/(z-1) in (1/3, 1);</li>
 *   <li>z in (0.9, 1): the 1-z connection formula (Abramowitz &amp; Stegun 15.3.6), unless c-a-b is
 *       within 1e-3 of an integer (where that formula is degenerate and loses digits), in which case
 *       the series is summed to convergence (up to a million terms; z = 0.9999 needs about 3e5);</li>
 *   <li>z = 1: Gauss's theorem when c-a-b &gt; 0.</li>
 * </ul>
 * A series that does not converge, or overflows, raises {@link ArithmeticException} rather than
 * returning an inaccurate number: callers (the fitter) report such a failure.
 */
public final class Hypergeometric2F1 {

  private static final double EPS = 1e-16;
  private static final int MAX_TERMS = 1_000_000;
  private static final double SERIES_LIMIT = 0.9;
  private static final double DEGENERATE_WIDTH = 1e-3;

  private Hypergeometric2F1() {
  }

  /** 2F1(a, b; c; z); see the class comment for the domain and accuracy (about 1e-14 relative). */
  public static double value(double a, double b, double c, double z) {
    if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(c) && Double.isFinite(z))) {
      throw new IllegalArgumentException("2F1 arguments must be finite: a=" + a + " b=" + b + " c=" + c + " z=" + z);
    }
    // A non-positive integer a or b makes the series a polynomial ending at term -a (or -b).
    double stop = Math.max(isNonPositiveInteger(a) ? a : Double.NEGATIVE_INFINITY,
        isNonPositiveInteger(b) ? b : Double.NEGATIVE_INFINITY);
    boolean terminating = stop != Double.NEGATIVE_INFINITY;
    if (isNonPositiveInteger(c) && !(terminating && stop > c)) {
      // The series hits 0/0 or x/0 at term -c: undefined unless it terminated before.
      throw new IllegalArgumentException("2F1 undefined for non-positive integer c=" + c);
    }
    if (z == 0 || a == 0 || b == 0) {
      return 1.0;
    }
    if (z > 1) {
      throw new IllegalArgumentException("2F1 is only implemented for real z <= 1, got " + z);
    }
    if (terminating) {
      return series(a, b, c, z); // a polynomial: exact for any z
    }
    if (z == 1) {
      return atOne(a, b, c);
    }
    if (z < -0.5) {
      // Pfaff: 2F1(a,b;c;z) = (1-z)^-a 2F1(a, c-b; c; z/(z-1)), w in (1/3, 1).
      double w = z / (z - 1);
      return Math.pow(1 - z, -a) * positive(a, c - b, c, w);
    }
    if (z < 0) {
      return series(a, b, c, z);
    }
    return positive(a, b, c, z);
  }

  /**
   * {@link #value} at each of {@code zs} for the same (a, b, c), bit for bit: the arguments in (0, 1) that
   * the power series or the 1-z formula evaluate share the series' coefficients, computed once per term
   * for all of them (a CLV horizon's months are one 2F1 at twelve arguments). The others, and parameters
   * that make the series a polynomial, are evaluated one by one.
   */
  public static double[] values(double a, double b, double c, double[] zs) {
    double[] out = new double[zs.length];
    boolean shared = Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(c) && a != 0 && b != 0
        && !isNonPositiveInteger(a) && !isNonPositiveInteger(b) && !isNonPositiveInteger(c);
    double d = c - a - b;
    boolean degenerate = Math.abs(d - Math.rint(d)) < DEGENERATE_WIDTH;
    int[] direct = new int[zs.length];
    int[] connected = new int[zs.length];
    int nDirect = 0;
    int nConnected = 0;
    for (int i = 0; i < zs.length; i++) {
      double z = zs[i];
      if (!shared || !(z > 0 && z < 1)) {
        out[i] = value(a, b, c, z);
      } else if (z <= SERIES_LIMIT || degenerate) {
        direct[nDirect++] = i;
      } else {
        connected[nConnected++] = i;
      }
    }
    if (nDirect > 0) {
      double[] z = new double[nDirect];
      for (int j = 0; j < nDirect; j++) {
        z[j] = zs[direct[j]];
      }
      double[] sums = series(a, b, c, z);
      for (int j = 0; j < nDirect; j++) {
        out[direct[j]] = sums[j];
      }
    }
    if (nConnected > 0) {
      // oneMinusZ at each argument, its two series shared.
      double[] y = new double[nConnected];
      for (int j = 0; j < nConnected; j++) {
        y[j] = 1 - zs[connected[j]];
      }
      double first = gammaRatio(c, d, c - a, c - b);
      double second = gammaRatio(c, -d, a, b);
      double[] s1 = series(a, b, 1 - d, y);
      double[] s2 = series(c - a, c - b, d + 1, y);
      for (int j = 0; j < nConnected; j++) {
        double term1 = first * s1[j];
        double term2 = second * Math.pow(y[j], d) * s2[j];
        out[connected[j]] = finite(term1 + term2, a, b, c, zs[connected[j]]);
      }
    }
    return out;
  }

  private static double positive(double a, double b, double c, double z) {
    if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) {
      return series(a, b, c, z);
    }
    if (z <= SERIES_LIMIT) {
      return series(a, b, c, z);
    }
    double d = c - a - b;
    if (Math.abs(d - Math.rint(d)) < DEGENERATE_WIDTH) {
      return series(a, b, c, z);
    }
    return oneMinusZ(a, b, c, z);
  }

  /**
   * A&amp;S 15.3.6: F(a,b;c;z) = A1 F(a,b;a+b-c+1;1-z) + (1-z)^(c-a-b) A2 F(c-a,c-b;c-a-b+1;1-z),
   * A1 = G(c)G(c-a-b)/(G(c-a)G(c-b)), A2 = G(c)G(a+b-c)/(G(a)G(b)); both series have argument &lt; 0.1.
   */
  private static double oneMinusZ(double a, double b, double c, double z) {
    double d = c - a - b;
    double y = 1 - z;
    double term1 = gammaRatio(c, d, c - a, c - b) * series(a, b, 1 - d, y);
    double term2 = gammaRatio(c, -d, a, b) * Math.pow(y, d) * series(c - a, c - b, d + 1, y);
    return finite(term1 + term2, a, b, c, z);
  }

  /** G(p)G(q)/(G(r)G(s)) with signs; 0 when r or s is a pole. */
  private static double gammaRatio(double p, double q, double r, double s) {
    double signDen = SpecialFunctions.signGamma(r) * SpecialFunctions.signGamma(s);
    if (signDen == 0) {
      return 0.0;
    }
    double sign = SpecialFunctions.signGamma(p) * SpecialFunctions.signGamma(q) * signDen;
    double log = SpecialFunctions.logAbsGamma(p) + SpecialFunctions.logAbsGamma(q)
        - SpecialFunctions.logAbsGamma(r) - SpecialFunctions.logAbsGamma(s);
    return sign * Math.exp(log);
  }

  private static double atOne(double a, double b, double c) {
    double d = c - a - b;
    if (d <= 0) {
      throw new ArithmeticException("2F1(" + a + "," + b + ";" + c + ";1) diverges (c-a-b <= 0)");
    }
    return gammaRatio(c, d, c - a, c - b);
  }

  /**
   * Plain power series. Stops when the remaining tail, bounded geometrically by the current term
   * ratio (or |z| if larger, since the ratio tends to |z|), is below EPS relative to the sum, and
   * only once all Pochhammer factors have a fixed sign (after that the ratio is eventually monotone).
   */
  static double series(double a, double b, double c, double z) {
    double sum = 1.0;
    double term = 1.0;
    double absZ = Math.abs(z);
    for (int n = 0; n < MAX_TERMS; n++) {
      double ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
      term *= ratio;
      sum += term;
      if (term == 0) {
        return sum; // terminating series
      }
      if (!Double.isFinite(sum)) {
        throw new ArithmeticException("2F1 overflow: a=" + a + " b=" + b + " c=" + c + " z=" + z);
      }
      boolean signsSettled = a + n > 0 && b + n > 0 && c + n > 0;
      double rho = Math.max(Math.abs(ratio), absZ);
      if (signsSettled && rho < 1 && Math.abs(term) * rho / (1 - rho) <= EPS * Math.abs(sum)) {
        return sum;
      }
    }
    throw new ArithmeticException("2F1 series did not converge in " + MAX_TERMS + " terms: a=" + a
        + " b=" + b + " c=" + c + " z=" + z);
  }

  /**
   * {@link #series(double, double, double, double)} at each of {@code zs}: each argument's terms and
   * stopping rule as there, the coefficients (a+n)(b+n)/((c+n)(n+1)) computed once per term.
   */
  static double[] series(double a, double b, double c, double[] zs) {
    int k = zs.length;
    double[] sum = new double[k];
    double[] term = new double[k];
    boolean[] done = new boolean[k];
    java.util.Arrays.fill(sum, 1.0);
    java.util.Arrays.fill(term, 1.0);
    int remaining = k;
    for (int n = 0; n < MAX_TERMS && remaining > 0; n++) {
      double coefficient = (a + n) * (b + n) / ((c + n) * (n + 1.0));
      boolean signsSettled = a + n > 0 && b + n > 0 && c + n > 0;
      for (int i = 0; i < k; i++) {
        if (done[i]) {
          continue;
        }
        double z = zs[i];
        double ratio = coefficient * z;
        term[i] *= ratio;
        sum[i] += term[i];
        if (term[i] == 0) {
          done[i] = true; // terminating series
          remaining--;
          continue;
        }
        if (!Double.isFinite(sum[i])) {
          throw new ArithmeticException("2F1 overflow: a=" + a + " b=" + b + " c=" + c + " z=" + z);
        }
        double rho = Math.max(Math.abs(ratio), Math.abs(z));
        if (signsSettled && rho < 1 && Math.abs(term[i]) * rho / (1 - rho) <= EPS * Math.abs(sum[i])) {
          done[i] = true;
          remaining--;
        }
      }
    }
    for (int i = 0; i < k; i++) {
      if (!done[i]) {
        throw new ArithmeticException("2F1 series did not converge in " + MAX_TERMS + " terms: a=" + a
            + " b=" + b + " c=" + c + " z=" + zs[i]);
      }
    }
    return sum;
  }

  private static double finite(double v, double a, double b, double c, double z) {
    if (!Double.isFinite(v)) {
      throw new ArithmeticException("2F1 not finite: a=" + a + " b=" + b + " c=" + c + " z=" + z);
    }
    return v;
  }

  private static boolean isNonPositiveInteger(double v) {
    return v <= 0 && v == Math.rint(v);
  }
}
