package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The coarse-to-fine path (large data) must land on the same maximum as a direct search. */
class CoarseToFineFitTest {

  private static final RfmSummary DATA =
      new BgNbdSimulator(new BgNbdModel(0.3, 20, 0.9, 3), 42L).simulate(40_000, 0, 364, 1.0);

  @Test
  void coarsenedSummaryKeepsCustomers() {
    RfmSummary coarse = DATA.coarsened(32);
    assertTrue(DATA.size() > CoarseToFineFit.COARSEN_ABOVE_ROWS, "test data must take the coarse path");
    assertTrue(coarse.size() < DATA.size() / 3, () -> coarse.size() + " vs " + DATA.size());
    assertEquals(DATA.totalWeight(), coarse.totalWeight(), 0);
  }

  /** Pareto/NBD has no analytic gradient: the refinement is BOBYQA on the exact rows. */
  @Test
  void paretoNbdMatchesDirectSearch() {
    ModelFit<ParetoNbdModel> staged = ParetoNbdModel.fit(DATA);
    assertTrue(staged.converged(), staged.mle()::toString);
    assertTrue(staged.mle().message().startsWith("pre-fit"), staged.mle()::message);
    double rate = DATA.meanRate();
    MleResult direct = new MaximumLikelihoodFitter().fit(ParetoNbdModel.likelihood(DATA),
        List.of(new double[] {1.0, 1.0 / rate, 1.0, DATA.meanAge()}));
    assertTrue(direct.converged(), direct::toString);
    assertEquals(direct.logLikelihood(), staged.mle().logLikelihood(), 1e-6);
    double[] a = direct.estimates();
    double[] b = staged.mle().estimates();
    for (int i = 0; i < a.length; i++) {
      assertEquals(a[i], b[i], 1e-3 * a[i]);
    }
  }

  /** BG/NBD has an analytic gradient: the refinement is Newton on the exact rows. */
  @Test
  void bgNbdMatchesDirectSearch() {
    ModelFit<BgNbdModel> staged = BgNbdModel.fit(DATA);
    assertTrue(staged.converged(), staged.mle()::toString);
    assertTrue(staged.mle().message().contains("Newton"), staged.mle()::message);
    double rate = DATA.meanRate();
    MleResult direct = new MaximumLikelihoodFitter().fit(BgNbdModel.likelihood(DATA),
        List.of(new double[] {1.0, 1.0 / rate, 1.0, 2.0}));
    assertTrue(direct.converged(), direct::toString);
    assertEquals(direct.logLikelihood(), staged.mle().logLikelihood(), 1e-6);
    for (int i = 0; i < 4; i++) {
      assertEquals(direct.estimates()[i], staged.mle().estimates()[i], 1e-4 * direct.estimates()[i]);
      assertEquals(direct.standardErrors()[i], staged.mle().standardErrors()[i], 1e-3 * direct.standardErrors()[i]);
    }
  }
}
