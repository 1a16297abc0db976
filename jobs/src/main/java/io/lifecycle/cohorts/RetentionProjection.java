package io.lifecycle.cohorts;

import io.lifecycle.config.LifecycleConfig.Cohorts.Projection;
import io.lifecycle.stats.ModelFit;
import io.lifecycle.stats.ShiftedBetaGeometric;
import io.lifecycle.stats.ShiftedBetaGeometricPrior;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sBG survival curves that fill the unreached cells of one group of cohorts (one channel), in plain
 * Java: the input is the observed matrix, cohorts x periods. Shared by {@link CohortRetention} and the
 * backtest that measures the projections, so that what is measured is what the table holds.
 */
public final class RetentionProjection {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionProjection.class);

  private RetentionProjection() {}

  /**
   * One curve per cohort that gets a projection. {@code counts} maps each cohort to its size followed by
   * its active customers in each complete period after the first (just the size when none is complete).
   * The model describes customers who leave for good, so it is fitted on the running minimum of the
   * actives (a count that rises again is held at its earlier low). {@link Projection#PER_COHORT}: each
   * cohort's own fit, none with fewer than two periods after the first or when the fit does not converge.
   * {@link Projection#POOLED}: each cohort's posterior mode under the {@link ShiftedBetaGeometricPrior}
   * of the group (the pooled curve itself for a cohort with no period after the first), or the
   * per-cohort fits when there is no prior (no cohort has two periods after its first, or the pooled
   * fit does not converge).
   */
  public static <K> Map<K, ShiftedBetaGeometric> curves(Map<K, double[]> counts, Projection method) {
    Map<K, double[]> survivors = new LinkedHashMap<>();
    counts.forEach((k, c) -> survivors.put(k, runningMinimum(c)));
    ShiftedBetaGeometricPrior prior = method == Projection.POOLED
        ? ShiftedBetaGeometricPrior.estimate(new ArrayList<>(survivors.values())) : null;
    Map<K, ShiftedBetaGeometric> out = new LinkedHashMap<>();
    for (Map.Entry<K, double[]> e : survivors.entrySet()) {
      double[] n = e.getValue();
      if (prior != null && n.length < 2) {
        out.put(e.getKey(), prior.centre());
        continue;
      }
      if (prior == null && n.length < 3) {
        continue;
      }
      ModelFit<ShiftedBetaGeometric> fit = prior != null ? prior.fit(n) : ShiftedBetaGeometric.fit(n);
      if (!fit.converged() || fit.model() == null) {
        LOG.warn("sBG fit of cohort {} did not converge: no projection ({})", e.getKey(), fit.mle().message());
        continue;
      }
      out.put(e.getKey(), fit.model());
    }
    return out;
  }

  private static double[] runningMinimum(double[] counts) {
    if (counts.length == 0 || !(counts[0] > 0)) {
      throw new IllegalArgumentException("a cohort's counts start with its size, which is positive");
    }
    double[] n = counts.clone();
    for (int t = 1; t < n.length; t++) {
      n[t] = Math.min(n[t - 1], n[t]);
    }
    return n;
  }
}
