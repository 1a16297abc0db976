package io.lifecycle.generate;

import java.util.SplittableRandom;

/**
 * Gamma, beta and exponential draws on a SplittableRandom (per-customer streams need a seedable,
 * splittable generator; commons-math's samplers want a shared RandomGenerator instead).
 */
final class Sampling {
  private Sampling() {}

  /** Gamma(shape, rate) by Marsaglia and Tsang (2000), with the shape < 1 boost. */
  static double gamma(SplittableRandom rnd, double shape, double rate) {
    if (shape < 1) {
      double u = rnd.nextDouble();
      return gamma(rnd, shape + 1, rate) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = normal(rnd);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = rnd.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v / rate;
      }
    }
  }

  static double beta(SplittableRandom rnd, double a, double b) {
    double x = gamma(rnd, a, 1);
    double y = gamma(rnd, b, 1);
    return x / (x + y);
  }

  static double exponential(SplittableRandom rnd, double rate) {
    return -Math.log(1 - rnd.nextDouble()) / rate;
  }

  static double normal(SplittableRandom rnd) {
    // Box-Muller; one of the pair is enough here.
    double u1 = 1 - rnd.nextDouble();
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A stream for one customer: the same (seed, index) gives the same stream on any executor. */
  static SplittableRandom forCustomer(long seed, long index) {
    return new SplittableRandom(mix(seed * 0x9E3779B97F4A7C15L + index));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
