package io.lifecycle.cohorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig.Cohorts.Projection;
import io.lifecycle.stats.ShiftedBetaGeometric;
import io.lifecycle.stats.ShiftedBetaGeometricPrior;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The headline of the README's backtest, on the sample's retention matrix ({@value
 * ProjectionBacktestRun#FIXTURE}, written by {@link ProjectionBacktestRun}): cut to two or three
 * periods, the pooled projections are closer to what was observed later than the per-cohort fits.
 * Plain Java, no Spark.
 */
class ProjectionBacktestTest {

  private static List<ProjectionBacktest.Cohort> sample() throws Exception {
    return ProjectionBacktest.parse(Files.readAllLines(TestSupport.projectFile(ProjectionBacktestRun.FIXTURE).toPath()));
  }

  @Test
  void pooledBeatsPerCohortOnTheSampleAtTwoAndThreePeriods() throws Exception {
    List<ProjectionBacktest.Cohort> sample = sample();
    ProjectionBacktest.Result two = ProjectionBacktest.run(sample, 2, 12);
    ProjectionBacktest.Result three = ProjectionBacktest.run(sample, 3, 12);
    // The README's rows.
    assertEquals("| sample | 2 | 12 | 186 | 165 | 186 | 0.0364 | 0.0238 | 0.0281 |", two.markdownRow("sample"));
    assertEquals("| sample | 3 | 12 | 174 | 174 | 174 | 0.0266 | 0.0220 | 0.0220 |", three.markdownRow("sample"));
    for (ProjectionBacktest.Result r : List.of(two, three)) {
      assertTrue(r.pooledMaeSame() < 0.9 * r.perCohortMae(), "pooled at least 10% better: " + r);
      assertEquals(r.cells(), r.pooledCells(), "pooled projects every mature cohort: " + r);
    }
  }

  /** Per cohort keeps the previous rule; pooled projects every cohort, the newest with the pooled curve. */
  @Test
  void pooledProjectsEveryCohortPerCohortOnlyThoseWithTwoPeriods() {
    Map<String, double[]> counts = new LinkedHashMap<>();
    counts.put("a", new double[] {1000, 631, 468, 382, 326});
    counts.put("b", new double[] {1000, 640, 470, 390});
    counts.put("c", new double[] {1000, 620, 480});
    counts.put("d", new double[] {1000, 630, 700}); // a count that rises again is held at its low
    counts.put("e", new double[] {1000, 600});
    counts.put("f", new double[] {400});
    assertEquals(List.of("a", "b", "c", "d"), List.copyOf(RetentionProjection.curves(counts, Projection.PER_COHORT).keySet()));
    Map<String, ShiftedBetaGeometric> pooled = RetentionProjection.curves(counts, Projection.POOLED);
    assertEquals(List.of("a", "b", "c", "d", "e", "f"), List.copyOf(pooled.keySet()));
    ShiftedBetaGeometricPrior prior = ShiftedBetaGeometricPrior.estimate(List.of(counts.get("a"), counts.get("b"),
        counts.get("c"), new double[] {1000, 630, 630}, counts.get("e"), counts.get("f")));
    assertEquals(prior.centre(), pooled.get("f"), "no period after the first: the pooled curve");
    assertEquals(0.600, pooled.get("e").survival(1), 0.01);
    assertTrue(pooled.get("d").survival(2) > 0.5 && pooled.get("d").survival(2) < 0.63, "d held at 630: " + pooled.get("d").survival(2));
  }
}
