package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parameter recovery on simulated customers, and a (reported, not asserted) timing at scale. */
class BgNbdSimulationTest {

  /**
   * 100K customers from r = 0.25, alpha = 4 weeks, a = 0.8, b = 2.5, ages uniform over 4..52 weeks,
   * recorded in whole days and aggregated like the Spark caller does. Every estimate must be within
   * 4 standard errors and 5 % of the truth.
   */
  @Test
  void recoversParametersFromSimulatedCustomers() {
    BgNbdModel truthWeeks = new BgNbdModel(0.25, 4, 0.8, 2.5);
    BgNbdModel truthDays = new BgNbdModel(0.25, 4 * 7, 0.8, 2.5);
    long t0 = System.nanoTime();
    RfmSummary data = new BgNbdSimulator(truthDays, 20250101L).simulate(100_000, 28, 364, 7.0);
    long t1 = System.nanoTime();
    ModelFit<BgNbdModel> fit = BgNbdModel.fit(data);
    long t2 = System.nanoTime();
    System.out.printf("BG/NBD recovery: 100000 customers -> %d triples; simulate+aggregate %.0f ms, fit %.0f ms; %s%n",
        data.size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, fit.mle());
    assertTrue(fit.converged(), fit.mle()::toString);
    double[] truth = truthWeeks.toArray();
    double[] est = fit.mle().estimates();
    double[] se = fit.mle().standardErrors();
    for (int i = 0; i < 4; i++) {
      String name = fit.mle().parameterNames().get(i);
      assertEquals(truth[i], est[i], 4 * se[i], name + " vs 4 SE");
      assertEquals(truth[i], est[i], 0.05 * truth[i], name + " vs 5 %");
    }
  }

  /**
   * Speed check reported for the lead, not asserted: one million customers over a two-year window in
   * days, aggregated to distinct (x, t_x, T) triples, then fitted twice (the first fit in a JVM pays
   * for JIT compilation). Also reports one Pareto/NBD likelihood evaluation on the same rows.
   */
  @Test
  void fitTimeForAMillionCustomers() {
    BgNbdModel truth = new BgNbdModel(0.25, 28, 0.8, 2.5);
    long t0 = System.nanoTime();
    RfmSummary data = new BgNbdSimulator(truth, 7L).simulate(1_000_000, 0, 729, 1.0);
    long t1 = System.nanoTime();
    ModelFit<BgNbdModel> fit = BgNbdModel.fit(data);
    long t2 = System.nanoTime();
    ModelFit<BgNbdModel> again = BgNbdModel.fit(data);
    long t3 = System.nanoTime();
    LogLikelihood ll = BgNbdModel.likelihood(data);
    double[] theta = fit.model() != null ? fit.model().toArray() : truth.toArray();
    int reps = 10;
    long t4 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      ll.value(theta);
    }
    long t5 = System.nanoTime();
    LogLikelihood pareto = ParetoNbdModel.likelihood(data);
    double[] paretoTheta = {0.5, 67, 0.7, 155};
    pareto.value(paretoTheta);
    long t6 = System.nanoTime();
    for (int i = 0; i < reps; i++) {
      pareto.value(paretoTheta);
    }
    long t7 = System.nanoTime();
    System.out.printf("BG/NBD speed: 1000000 customers (days, 2 years) -> %d triples; simulate+aggregate %.0f ms; "
            + "fit %.0f ms (first in JVM), %.0f ms (second); one evaluation %.1f ms; "
            + "Pareto/NBD one evaluation %.1f ms%n  %s%n",
        data.size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t5 - t4) / 1e6 / reps,
        (t7 - t6) / 1e6 / reps, fit.mle());
    assertTrue(fit.converged(), fit.mle()::toString);
    assertEquals(fit.mle().logLikelihood(), again.mle().logLikelihood(), 1e-6);
  }
}
