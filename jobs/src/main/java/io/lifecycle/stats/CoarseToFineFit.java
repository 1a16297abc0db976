package io.lifecycle.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Fit strategy for (x, t_x, T) models on large compressed data.
 *
 * <p>With daily data a million customers still leave a few hundred thousand distinct triples, and each
 * likelihood evaluation touches them all. The multi-start search is therefore run on the data
 * coarsened to a 32-step time grid (tens of times fewer rows), and only a short refinement from that
 * estimate runs on the exact data. The reported result is always the full-data maximum with its own
 * convergence check; if the refinement fails, the full multi-start search is run on the exact data.
 */
final class CoarseToFineFit {

  /** Below this many rows the exact data are cheap enough to search directly. */
  static final int COARSEN_ABOVE_ROWS = 5_000;
  private static final int GRID_LEVELS = 32;
  private static final double REFINE_RADIUS = 0.1;

  private CoarseToFineFit() {
  }

  static MleResult fit(RfmSummary data, Function<RfmSummary, LogLikelihood> likelihood, List<double[]> starts,
             MaximumLikelihoodFitter fitter) {
    LogLikelihood exact = likelihood.apply(data);
    if (data.size() <= COARSEN_ABOVE_ROWS) {
      return fitter.fit(exact, starts);
    }
    RfmSummary coarse = data.coarsened(GRID_LEVELS);
    MleResult pre = preFitter(fitter).fit(likelihood.apply(coarse), starts);
    String preNote = "pre-fit on " + coarse.size() + " coarsened rows (" + pre.evaluations() + " evaluations); ";
    if (pre.hasEstimates()) {
      MleResult refined = fitter.refine(exact, pre.estimates(), REFINE_RADIUS);
      if (refined.converged()) {
        return withMessage(refined, preNote + "refined on " + data.size() + " rows: " + refined.message());
      }
    }
    List<double[]> all = new ArrayList<>(starts);
    if (pre.hasEstimates()) {
      all.add(pre.estimates());
    }
    MleResult full = fitter.fit(exact, all);
    return withMessage(full, preNote + "refinement failed, full search on " + data.size() + " rows: " + full.message());
  }

  /**
   * The pre-fit only has to land within the refinement's reach (the coarse grid biases it by a
   * percent or so anyway), so it stops at a coarser trust region and accepts a looser check.
   */
  private static MaximumLikelihoodFitter preFitter(MaximumLikelihoodFitter fitter) {
    MaximumLikelihoodFitter.Options o = fitter.options();
    return new MaximumLikelihoodFitter(new MaximumLikelihoodFitter.Options(o.maxEvaluations(), o.initialRadius(),
        Math.max(o.stoppingRadius(), 1e-5), Math.max(o.stepTolerance(), 1e-2), Math.max(o.gainTolerance(), 1e-1),
        o.searchRange(), Math.min(o.maxRestarts(), 1)));
  }

  private static MleResult withMessage(MleResult r, String message) {
    return new MleResult(r.parameterNames(), r.estimates(), r.standardErrors(), r.covariance(), r.logLikelihood(),
        r.evaluations(), r.converged(), r.atBoundary(), message);
  }
}
