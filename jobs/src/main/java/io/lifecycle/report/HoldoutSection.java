package io.lifecycle.report;

import static org.apache.spark.sql.functions.col;

import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.tables.ClvHoldoutTable;
import io.lifecycle.tables.ClvModelsTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The CLV holdout check: the purchase models fitted on a calibration period, their predicted repeat purchases
 * in the holdout against the actual ones per frequency bucket, and the full-history fits in use. The query
 * reads one row per model and bucket and one per fit; the renderer draws them.
 */
final class HoldoutSection {
  private HoldoutSection() {}

  /**
   * @param buckets the frequency buckets in the calibration period (0, 1, .., 7+)
   * @param actual repeat purchase days per customer in the holdout, per bucket (NaN where no customer)
   * @param models the models checked, by name
   * @param predicted per model, its predicted repeat purchase days per customer, per bucket
   * @param calibrationEnd the first day of the holdout (ISO date)
   * @param totals each model's totals over all buckets
   * @param fits the overall full-history fits of the run date, by model
   */
  record Holdout(List<String> buckets, double[] actual, List<String> models, List<double[]> predicted, String calibrationEnd,
      List<Total> totals, List<Fit> fits) {}

  record Total(String model, long customers, double predicted, double actual) {}

  record Fit(String model, SortedMap<String, Double> parameters, double logLikelihood, boolean converged, boolean selected,
      long customers) {}

  static Part<Holdout> query(ReportTables tables) {
    return tables.query(ClvHoldoutTable.DEF, "the holdout check", holdout -> {
      // Bounded: One row per model and frequency bucket (0..6, 7+, all).
      List<Row> rows = holdout.where(tables.onValuationDate())
          .select(col(ClvHoldoutTable.MODEL), col(ClvHoldoutTable.BUCKET), col(ClvHoldoutTable.CUSTOMERS),
              col(ClvHoldoutTable.PREDICTED), col(ClvHoldoutTable.ACTUAL), col(ClvHoldoutTable.CALIBRATION_END).cast("string"))
          .collectAsList();
      if (rows.isEmpty()) {
        return Part.missing("Table clv_holdout has no rows for run date " + tables.valuationDate()
            + ": the calibration/holdout check did not run (clv.holdout_weeks = 0, or too little history).");
      }
      Map<String, Integer> order = new TreeMap<>();
      rows.stream().map(r -> r.getString(1)).filter(b -> !b.equals(ClvHoldoutTable.ALL_BUCKETS)).distinct()
          .forEach(b -> order.put(b, b.endsWith("+") ? 1000 : Integer.parseInt(b)));
      List<String> buckets = order.keySet().stream().sorted(Comparator.comparingInt(order::get)).toList();
      List<String> models = rows.stream().map(r -> r.getString(0)).distinct().sorted().toList();
      List<double[]> predicted = new ArrayList<>();
      double[] actual = new double[buckets.size()];
      Arrays.fill(actual, Double.NaN);
      for (String model : models) {
        double[] p = new double[buckets.size()];
        Arrays.fill(p, Double.NaN);
        for (Row r : rows) {
          int i = buckets.indexOf(r.getString(1));
          if (r.getString(0).equals(model) && i >= 0 && r.getLong(2) > 0) {
            p[i] = r.getDouble(3) / r.getLong(2);
            actual[i] = r.getDouble(4) / r.getLong(2);
          }
        }
        predicted.add(p);
      }
      List<Total> totals = rows.stream().filter(r -> r.getString(1).equals(ClvHoldoutTable.ALL_BUCKETS))
          .map(r -> new Total(r.getString(0), r.getLong(2), r.getDouble(3), r.getDouble(4))).toList();
      return Part.of(new Holdout(buckets, actual, models, predicted, rows.get(0).getString(5), totals, fits(tables)));
    });
  }

  private static List<Fit> fits(ReportTables tables) {
    if (!tables.exists(ClvModelsTable.DEF)) {
      return List.of();
    }
    // Bounded: The overall full-history fits: one row per model.
    List<Row> fits = tables.read(ClvModelsTable.DEF).where(tables.onValuationDate()
            .and(col(ClvModelsTable.PURPOSE).equalTo(ClvModelsTable.PURPOSE_FULL))
            .and(col(ClvModelsTable.SEGMENT).equalTo(ClvModelsTable.SEGMENT_ALL)))
        .select(col(ClvModelsTable.MODEL), col(ClvModelsTable.PARAMETERS), col(ClvModelsTable.LOG_LIKELIHOOD),
            col(ClvModelsTable.CONVERGED), col(ClvModelsTable.SELECTED), col(ClvModelsTable.CUSTOMERS))
        .orderBy(ClvModelsTable.MODEL).collectAsList();
    return fits.stream().map(f -> new Fit(f.getString(0), new TreeMap<>(f.<String, Double>getJavaMap(1)), f.getDouble(2),
        f.getBoolean(3), f.getBoolean(4), f.getLong(5))).toList();
  }

  static void render(HtmlPage page, Part<Holdout> holdout) {
    holdout.draw(page, h -> {
      List<Bars> series = new ArrayList<>();
      series.add(new Bars("actual", h.actual()));
      for (int m = 0; m < h.models().size(); m++) {
        series.add(new Bars("predicted, " + h.models().get(m), h.predicted().get(m)));
      }
      page.chart(SvgChart.bars("clv-holdout", "Holdout: repeat purchase days per customer, predicted against actual",
          h.buckets(), "Repeat purchase days in the calibration period (before " + h.calibrationEnd() + ")",
          Axis.fromZero("Repeat purchase days in holdout", v -> Markup.decimal(v, 1)), series, false));
      page.table(List.of("model", "customers", "predicted purchases", "actual purchases", "error"), h.totals().stream()
          .map(t -> List.of(t.model(), Markup.count(t.customers()), Markup.decimal(t.predicted(), 0), Markup.decimal(t.actual(), 0),
              t.actual() > 0 ? Markup.percent(t.predicted() / t.actual() - 1) : "n/a")).toList());
      if (!h.fits().isEmpty()) {
        page.table(List.of("fit on all history", "parameters", "log-likelihood", "converged", "used", "customers"),
            h.fits().stream().map(f -> List.of(f.model(), parameters(f.parameters()), Markup.decimal(f.logLikelihood(), 1),
                f.converged() ? "yes" : "no", f.selected() ? "yes" : "no", Markup.count(f.customers()))).toList());
      }
    });
  }

  private static String parameters(SortedMap<String, Double> p) {
    List<String> parts = new ArrayList<>();
    p.forEach((k, v) -> parts.add(k + " = " + Markup.compact(v)));
    return String.join(", ", parts);
  }
}
