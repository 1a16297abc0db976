package io.lifecycle.cohorts;

import io.lifecycle.config.LifecycleConfig.Cohorts.Projection;
import io.lifecycle.stats.ShiftedBetaGeometric;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How well the projections of young cohorts predict what was observed later, in plain Java over a
 * monthly retention matrix (its complete cells). Each mature cohort is cut to its first {@code h}
 * periods after its first by moving the run date back to the end of its period {@code h}: every cohort
 * is cut at that date (the older ones have more periods, the younger ones fewer, later ones do not
 * exist), so the projection sees only what a run on that date would have seen. The cohort is projected
 * with {@link RetentionProjection} as the table would hold it, and the error is the absolute difference
 * between the projected survival and the observed retention rate in each complete cell beyond {@code h}.
 */
final class ProjectionBacktest {

  /** A cohort's size and its active customers in offsets 0, 1, ... (complete periods only). */
  record Cohort(LocalDate start, double size, double[] active) {
    int periods() {
      return active.length - 1;
    }
  }

  /**
   * The mean absolute error of both methods at one cut: {@code cells} beyond the cut in the mature
   * cohorts, how many of them each method projects at all (per_cohort needs two periods and a
   * converged fit; pooled needs a converged pooled fit, so not the very first cohort cut at one or two
   * periods), the two methods' errors over the cells both project, and pooled's over all it projects.
   */
  record Result(int periods, int cohorts, int cells, int perCohortCells, int pooledCells, double perCohortMae,
                double pooledMaeSame, double pooledMae) {

    static final String MARKDOWN_HEADER = """
        | data | periods kept | cohorts | cells beyond | per_cohort projects | pooled projects | MAE per_cohort | MAE pooled, same cells | MAE pooled, all its cells |
        |---|---|---|---|---|---|---|---|---|""";

    String markdownRow(String data) {
      return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s | %s | %s |", data, periods, cohorts, cells,
          perCohortCells, pooledCells, mae(perCohortMae), mae(pooledMaeSame), mae(pooledMae));
    }

    private static String mae(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
  }

  private ProjectionBacktest() {}

  /** Cohorts with at least {@code mature} periods after the first, each cut to {@code h}. */
  static Result run(List<Cohort> matrix, int h, int mature) {
    int cohorts = 0;
    int cells = 0;
    int perCohortCells = 0;
    int pooledCells = 0;
    int bothCells = 0;
    double perCohortError = 0;
    double pooledErrorSame = 0;
    double pooledError = 0;
    for (Cohort target : matrix) {
      if (target.periods() < mature || target.periods() <= h) {
        continue;
      }
      LocalDate cut = target.start().plusMonths(h + 1); // the first period not complete on that date
      Map<LocalDate, double[]> counts = new LinkedHashMap<>();
      for (Cohort c : matrix) {
        long complete = ChronoUnit.MONTHS.between(c.start(), cut);
        if (complete >= 0) {
          double[] n = new double[(int) Math.max(1, Math.min(complete, c.active().length))];
          n[0] = c.size();
          System.arraycopy(c.active(), 1, n, 1, n.length - 1);
          counts.put(c.start(), n);
        }
      }
      ShiftedBetaGeometric perCohort = RetentionProjection.curves(counts, Projection.PER_COHORT).get(target.start());
      ShiftedBetaGeometric pooled = RetentionProjection.curves(counts, Projection.POOLED).get(target.start());
      cohorts++;
      for (int k = h + 1; k <= target.periods(); k++) {
        double observed = target.active()[k] / target.size();
        cells++;
        perCohortCells += perCohort != null ? 1 : 0;
        if (pooled != null) {
          pooledCells++;
          pooledError += Math.abs(pooled.survival(k) - observed);
          if (perCohort != null) {
            bothCells++;
            perCohortError += Math.abs(perCohort.survival(k) - observed);
            pooledErrorSame += Math.abs(pooled.survival(k) - observed);
          }
        }
      }
    }
    return new Result(h, cohorts, cells, perCohortCells, pooledCells, perCohortError / bothCells,
        pooledErrorSame / bothCells, pooledError / pooledCells);
  }

  /** Cohorts from lines {@code cohort_period,period_offset,cohort_size,active_customers} in offset order. */
  static List<Cohort> parse(List<String> lines) {
    Map<LocalDate, List<String[]>> rows = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("cohort_period")) {
        continue;
      }
      String[] f = line.split(",");
      rows.computeIfAbsent(LocalDate.parse(f[0]), k -> new ArrayList<>()).add(f);
    }
    List<Cohort> out = new ArrayList<>();
    rows.forEach((start, r) -> {
      double[] active = new double[r.size()];
      for (int i = 0; i < active.length; i++) {
        if (Integer.parseInt(r.get(i)[1]) != i) {
          throw new IllegalArgumentException("offsets of " + start + " are not 0, 1, ...: " + r.get(i)[1]);
        }
        active[i] = Double.parseDouble(r.get(i)[3]);
      }
      out.add(new Cohort(start, Double.parseDouble(r.get(0)[2]), active));
    });
    return out;
  }
}
