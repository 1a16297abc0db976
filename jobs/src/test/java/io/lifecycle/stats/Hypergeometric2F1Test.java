package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Hypergeometric2F1Test {

  private static void assertRelative(double expected, double actual, double tol) {
    assertEquals(expected, actual, tol * Math.abs(expected), () -> "expected " + expected + " got " + actual);
  }

  /** 2F1(1,1;2;z) = -ln(1-z)/z: c-a-b = 0, the degenerate case near 1, and Pfaff for z &lt; -0.5. */
  @ParameterizedTest
  @ValueSource(doubles = {-50, -5, -0.9, -0.5, -0.1, 1e-8, 0.1, 0.5, 0.9, 0.95, 0.999})
  void logarithm(double z) {
    assertRelative(-Math.log1p(-z) / z, Hypergeometric2F1.value(1, 1, 2, z), 1e-13);
  }

  /** 2F1(a,b;b;z) = (1-z)^-a: c-a-b = -a is non-integer, so z &gt; 0.9 goes through the 1-z formula. */
  @ParameterizedTest
  @ValueSource(doubles = {-30, -3, -0.7, -0.2, 0.3, 0.9, 0.91, 0.95, 0.99, 0.9999})
  void binomial(double z) {
    assertRelative(Math.pow(1 - z, -0.7), Hypergeometric2F1.value(0.7, 2.3, 2.3, z), 1e-12);
    assertRelative(Math.pow(1 - z, 1.3), Hypergeometric2F1.value(-1.3, 0.4, 0.4, z), 1e-12);
  }

  /** 2F1(1/2,1/2;3/2;z^2) = asin(z)/z (c-a-b = 1/2). */
  @ParameterizedTest
  @ValueSource(doubles = {0.1, 0.5, 0.9, 0.97, 0.99, 0.999})
  void arcsine(double z) {
    assertRelative(Math.asin(z) / z, Hypergeometric2F1.value(0.5, 0.5, 1.5, z * z), 1e-13);
  }

  /** 2F1(1/2,1;3/2;-z^2) = atan(z)/z, negative arguments down to -100. */
  @ParameterizedTest
  @ValueSource(doubles = {0.3, 0.7, 1, 2, 10})
  void arctangent(double z) {
    assertRelative(Math.atan(z) / z, Hypergeometric2F1.value(0.5, 1, 1.5, -z * z), 1e-13);
  }

  /** Tabulated special values (e.g. Vidunas 2009; Wolfram Functions 07.23.03). */
  @Test
  void tabulatedValues() {
    assertRelative(1.6, Hypergeometric2F1.value(1.0 / 3, 2.0 / 3, 5.0 / 6, 27.0 / 32), 1e-13);
    assertRelative(1.8, Hypergeometric2F1.value(0.25, 0.5, 0.75, 80.0 / 81), 1e-12);
    // Gauss's theorem at z = 1: 2F1(1/2,1/2;2;1) = Gamma(2)Gamma(1)/Gamma(3/2)^2 = 4/pi.
    assertRelative(4 / Math.PI, Hypergeometric2F1.value(0.5, 0.5, 2, 1), 1e-14);
    // Kummer: 2F1(a,b;1+a-b;-1) = Gamma(1+a-b)Gamma(1+a/2) / (Gamma(1+a)Gamma(1+a/2-b)); a=1,b=1/2.
    double kummer = Math.exp(SpecialFunctions.logGamma(1.5) + SpecialFunctions.logGamma(1.5)
        - SpecialFunctions.logGamma(2) - SpecialFunctions.logGamma(1));
    assertRelative(kummer, Hypergeometric2F1.value(1, 0.5, 1.5, -1), 1e-13);
  }

  @Test
  void polynomialCase() {
    double b = 2.5;
    double c = 3.7;
    for (double z : new double[] {-20, -1, 0.5, 1}) {
      double expected = 1 - 2 * b * z / c + b * (b + 1) * z * z / (c * (c + 1));
      assertRelative(expected, Hypergeometric2F1.value(-2, b, c, z), 1e-14);
    }
    // c a negative integer is allowed when the series stops before the pole: 2F1(-1, b; -3; z) = 1 + b z / 3.
    assertRelative(1 + 2 * 0.25 / 3, Hypergeometric2F1.value(-1, 2, -3, 0.25), 1e-15);
  }

  /** The 1-z and Pfaff branches agree with the plain series where both are usable. */
  @ParameterizedTest
  @CsvSource({
    "1.976, -0.207, 4.219, 0.95",   // BG/NBD conditional expectation shape (x = 2)
    "1.976, -0.207, 2.219, 0.98",   // BG/NBD unconditional shape
    "1.765, 1.606, 2.765, 0.93",    // Pareto/NBD, alpha >= beta branch
    "13.3, 11.6, 14.3, 0.92",
    "0.3, 4.2, 7.9, 0.97",
    "2.2, 1.1, 0.6, 0.995"})
  void transformationsMatchSeries(double a, double b, double c, double z) {
    assertRelative(Hypergeometric2F1.series(a, b, c, z), Hypergeometric2F1.value(a, b, c, z), 1e-11);
    double w = -z / (1 - z); // value at w uses Pfaff back to z
    assertRelative(Math.pow(1 - w, -a) * Hypergeometric2F1.series(a, c - b, c, z),
        Hypergeometric2F1.value(a, b, c, w), 1e-11);
  }

  /** Euler's transformation, used by the BG/NBD expectations, holds numerically. */
  @Test
  void eulerTransformation() {
    double r = 0.243;
    double a = 0.793;
    double b = 2.426;
    for (double x : new double[] {0, 1, 2, 7, 40}) {
      for (double z : new double[] {0.2, 0.47, 0.8, 0.95}) {
        double c = a + b + x - 1;
        double lhs = Math.pow(1 - z, r + x) * Hypergeometric2F1.value(r + x, b + x, c, z);
        double rhs = Math.pow(1 - z, a - 1) * Hypergeometric2F1.value(a + b - 1 - r, a - 1, c, z);
        assertRelative(lhs, rhs, 1e-11);
      }
    }
  }

  /**
   * values(a, b, c, zs) is value(a, b, c, z) at each z bit for bit, on every route: the series (up to 0.9),
   * the 1-z formula above it, the degenerate case summed directly, Pfaff for z &lt; -0.5, z = 0 and 1, and a
   * polynomial; and it fails where value fails at any of its arguments.
   */
  @Test
  void valuesAtSeveralArgumentsAreEachValueExactly() {
    double[] zs = {0, 1e-9, 0.05, 0.3, 0.62, 0.9, 0.9000001, 0.93, 0.97, 0.995, 0.9999, -0.3, -0.5, -4, -700, 1};
    double[][] parameters = {{0.5, 0.5, 2}, {1.25, 0.7, 3.4}, {2.9, -0.4, 4.1}, {0.3, 1.7, 2.0}, {0.243 + 40, 0.793, 43.2},
        {-3, 2.5, 4.5}, {1, 1, 2.5}, {0.9, 1.1, 1.0005}};
    for (double[] p : parameters) {
      double[] atOnce;
      try {
        atOnce = Hypergeometric2F1.values(p[0], p[1], p[2], zs);
      } catch (ArithmeticException e) {
        // 2F1 diverges at z = 1 for c - a - b <= 0: then value fails there too, and values without it.
        assertThrows(ArithmeticException.class, () -> Hypergeometric2F1.value(p[0], p[1], p[2], 1));
        atOnce = Hypergeometric2F1.values(p[0], p[1], p[2], java.util.Arrays.copyOf(zs, zs.length - 1));
      }
      for (int i = 0; i < atOnce.length; i++) {
        assertEquals(Hypergeometric2F1.value(p[0], p[1], p[2], zs[i]), atOnce[i], 0.0, java.util.Arrays.toString(p) + " z=" + zs[i]);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric2F1.values(1, 1, 2, new double[] {0.5, 1.5}));
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric2F1.values(1, 1, -2, new double[] {0.5}));
    assertEquals(0, Hypergeometric2F1.values(1, 1, 2, new double[0]).length);
  }

  @Test
  void rejectsUndefinedArguments() {
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric2F1.value(1, 1, 2, 1.5));
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric2F1.value(1, 1, -2, 0.5));
    assertThrows(IllegalArgumentException.class, () -> Hypergeometric2F1.value(1, Double.NaN, 2, 0.5));
    assertThrows(ArithmeticException.class, () -> Hypergeometric2F1.value(1, 1, 2, 1));
    assertEquals(1.0, Hypergeometric2F1.value(3, 4, 5, 0));
  }
}
