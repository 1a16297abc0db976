package io.lifecycle.stats;

import java.util.SplittableRandom;

/**
 * Simulates BG/NBD customers (test support): lambda ~ Gamma(r, alpha), p ~ Beta(a, b); purchases at
 * Poisson(lambda) times from the first purchase at 0; after each repeat purchase the customer leaves
 * with probability p. The process is simulated exactly in continuous time; T is a whole number of days
 * and t_x is rounded to the nearest day, as production summaries are, so the customers aggregate to
 * a realistic number of distinct triples.
 */
final class BgNbdSimulator {

  private final BgNbdModel truth;
  private final SplittableRandom random;

  /** @param truth parameters with alpha in days */
  BgNbdSimulator(BgNbdModel truth, long seed) {
    this.truth = truth;
    this.random = new SplittableRandom(seed);
  }

  /**
   * Customers whose age T (days) is uniform on minAgeDays..maxAgeDays; returns the aggregated
   * summary with times divided by {@code daysPerUnit} (1 for days, 7 for weeks).
   */
  RfmSummary simulate(int customers, int minAgeDays, int maxAgeDays, double daysPerUnit) {
    double[] x = new double[customers];
    double[] tx = new double[customers];
    double[] age = new double[customers];
    for (int i = 0; i < customers; i++) {
      int ageDays = minAgeDays + random.nextInt(maxAgeDays - minAgeDays + 1);
      double lambda = gamma(truth.r()) / truth.alpha();
      double ga = gamma(truth.a());
      double p = ga / (ga + gamma(truth.b()));
      double t = 0;
      double last = 0;
      int repeats = 0;
      while (true) {
        t += -Math.log(1 - random.nextDouble()) / lambda;
        if (t > ageDays) {
          break;
        }
        repeats++;
        last = t;
        if (random.nextDouble() < p) {
          break;
        }
      }
      x[i] = repeats;
      tx[i] = Math.rint(last) / daysPerUnit;
      age[i] = ageDays / daysPerUnit;
    }
    return RfmSummary.aggregate(x, tx, age);
  }

  /** Gamma(shape, 1) by Marsaglia &amp; Tsang, with the U^(1/shape) boost for shape &lt; 1. */
  private double gamma(double shape) {
    if (shape < 1) {
      return gamma(shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double z = random.nextGaussian();
      double v = 1 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
