package io.lifecycle.report;

import static org.apache.spark.sql.functions.col;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.report.SvgChart.Series;
import io.lifecycle.tables.ChurnRatesTable;
import io.lifecycle.tables.CohortSurvivalTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How long customers stay: the Kaplan-Meier survival curve of all cohorts with its median and restricted mean
 * lifetime, and the churn rate per calendar period. The query returns the curve's points (one per distinct
 * tenure) and the latest periods' rates; the renderer adds the curve's start at 100% and the period labels.
 */
final class SurvivalSection {
  private SurvivalSection() {}

  private static final int MAX_PERIODS = 36;

  record Survival(Part<Curve> curve, Part<ChurnTrend> churn) {}

  /**
   * @param tenureDays the tenures with a churn or a censoring, ascending
   * @param lower the 95% confidence band, NaN where not defined (likewise upper)
   * @param medianYears the median lifetime, null when survival stays above 50%
   */
  record Curve(double[] tenureDays, double[] survival, double[] lower, double[] upper, Double medianYears, double rmstYears) {}

  /**
   * @param weeks whether periods are weeks (else months)
   * @param periods the latest periods' first days (ISO dates), the oldest first
   * @param rates churn rate per period, NaN where not defined
   * @param complete per period, whether it was complete at the run date
   */
  record ChurnTrend(boolean weeks, List<String> periods, double[] rates, boolean[] complete) {}

  static Survival query(ReportTables tables) {
    return new Survival(tables.query(CohortSurvivalTable.DEF, "the survival curve", SurvivalSection::curve),
        tables.query(ChurnRatesTable.DEF, "the churn trend", churn -> {
          // Bounded: One row per calendar period, the latest MAX_PERIODS.
          List<Row> periods = churn.where(col(ChurnRatesTable.SEGMENT_TYPE).equalTo(ChurnRatesTable.OVERALL))
              .select(col(ChurnRatesTable.PERIOD).cast("string"), col(ChurnRatesTable.CHURN_RATE), col(ChurnRatesTable.PERIOD_COMPLETE))
              .orderBy(col(ChurnRatesTable.PERIOD).desc()).limit(MAX_PERIODS).collectAsList();
          if (periods.isEmpty()) {
            return Part.missing("Table churn_rates has no overall rows.");
          }
          List<Row> ordered = new ArrayList<>(periods);
          Collections.reverse(ordered);
          boolean[] complete = new boolean[ordered.size()];
          for (int i = 0; i < complete.length; i++) {
            complete[i] = ordered.get(i).getBoolean(2);
          }
          return Part.of(new ChurnTrend(tables.config().cohorts().period() == LifecycleConfig.Cohorts.Period.WEEK,
              ordered.stream().map(p -> p.getString(0)).toList(),
              ordered.stream().mapToDouble(p -> p.isNullAt(1) ? Double.NaN : p.getDouble(1)).toArray(), complete));
        }));
  }

  private static Part<Curve> curve(Dataset<Row> survival) {
    // One row per distinct tenure with a churn or censoring: bounded by the days of history.
    List<Row> points = survival.where(col(CohortSurvivalTable.COHORT).equalTo(CohortSurvivalTable.ALL_COHORTS))
        .select(CohortSurvivalTable.TENURE_DAYS, CohortSurvivalTable.SURVIVAL, CohortSurvivalTable.CI_LOWER,
            CohortSurvivalTable.CI_UPPER, CohortSurvivalTable.MEDIAN_YEARS, CohortSurvivalTable.RMST_YEARS)
        .orderBy(CohortSurvivalTable.TENURE_DAYS).collectAsList();
    if (points.isEmpty()) {
      return Part.missing("Table cohort_survival has no rows for all customers: no lifetimes to estimate.");
    }
    Row last = points.get(points.size() - 1);
    return Part.of(new Curve(points.stream().mapToDouble(p -> p.getInt(0)).toArray(),
        points.stream().mapToDouble(p -> p.getDouble(1)).toArray(),
        points.stream().mapToDouble(p -> p.isNullAt(2) ? Double.NaN : p.getDouble(2)).toArray(),
        points.stream().mapToDouble(p -> p.isNullAt(3) ? Double.NaN : p.getDouble(3)).toArray(),
        last.isNullAt(4) ? null : last.getDouble(4), last.getDouble(5)));
  }

  static void render(HtmlPage page, Survival survival) {
    survival.curve().draw(page, c -> curve(page, c));
    survival.churn().draw(page, c -> {
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < c.periods().size(); i++) {
        labels.add(Markup.period(c.periods().get(i), c.weeks()) + (c.complete()[i] ? "" : "*"));
      }
      page.chart(SvgChart.bars("churn-trend", "Churn rate per " + (c.weeks() ? "week" : "month")
              + " (churned / customers at start)", labels,
          "Period (* = not complete at the run date)", Axis.fromZero("Churn rate (%)", Markup::percentShort),
          List.of(new Bars("churn rate", c.rates())), false));
    });
  }

  /** The curve starts at tenure 0 with everybody still a customer. */
  private static void curve(HtmlPage page, Curve c) {
    int n = c.tenureDays().length + 1;
    double[] x = new double[n];
    double[] y = new double[n];
    double[] lo = new double[n];
    double[] hi = new double[n];
    x[0] = 0;
    y[0] = 1;
    lo[0] = 1;
    hi[0] = 1;
    System.arraycopy(c.tenureDays(), 0, x, 1, n - 1);
    System.arraycopy(c.survival(), 0, y, 1, n - 1);
    System.arraycopy(c.lower(), 0, lo, 1, n - 1);
    System.arraycopy(c.upper(), 0, hi, 1, n - 1);
    page.chart(SvgChart.line("survival-curve", "Customer survival (Kaplan-Meier, all cohorts)",
        Axis.fromZero("Tenure (days since first purchase)", v -> Markup.compact(v)),
        Axis.fixed("Still a customer (%)", 0, 1, Markup::percentShort),
        List.of(new Series("survival, 95% confidence band", x, y, lo, hi, true, false)), false));
    page.note("Median lifetime: " + (c.medianYears() == null ? "not reached (survival stays above 50%)"
        : Markup.decimal(c.medianYears(), 2) + " years") + "; restricted mean lifetime: "
        + Markup.decimal(c.rmstYears(), 2) + " years.");
  }
}
