package io.lifecycle.report;

import static org.apache.spark.sql.functions.col;

import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.report.SvgChart.Series;
import io.lifecycle.tables.ClvForecastTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The clv_forecast curves: a new customer's repeat purchases in each forecast horizon (what one acquisition
 * buys), then the purchase model's two fit diagnostics, the tracking plot and the repeat-count histogram. The
 * table already holds the curves point by point, so the query only reads the run date's few rows; without a
 * forecast the diagnostics are not looked for.
 */
final class ForecastsSection {
  private ForecastsSection() {}

  /** Repeat purchase days 0 .. MAX_PURCHASES, the last one "or more". */
  private static final int BUCKETS = ClvForecastTable.MAX_PURCHASES + 1;

  /** @param diagnostics the fit diagnostics, or why they are not shown; nothing when there is no forecast */
  record Forecasts(Part<PurchaseCounts> purchaseCounts, Part<Diagnostics> diagnostics) {}

  /**
   * @param model the purchase model used
   * @param days the forecast horizons, in days after the first purchase
   * @param probability per horizon, the chance of each number of repeat purchase days
   * @param expected per horizon, the expected repeat purchase days
   */
  record PurchaseCounts(String model, int[] days, List<double[]> probability, double[] expected) {}

  record Diagnostics(Part<Tracking> tracking, Part<RepeatCounts> repeatCounts) {}

  /**
   * @param days the as-of dates, in days after the run date (one a week)
   * @param expected cumulative repeat purchase days the model expects by then
   * @param actual those that happened, NaN after the run date
   * @param nowActual at the run date, the actual ones (likewise nowExpected)
   * @param endDays the horizon's end, in days after the run date; {@code endExpected}: the expected ones by then
   */
  record Tracking(LocalDate runDate, String model, double[] days, double[] expected, double[] actual, long nowActual,
      double nowExpected, int endDays, double endExpected) {}

  /** @param actual customers per number of repeat purchase days (likewise expected, the model's) */
  record RepeatCounts(String model, double[] actual, double[] expected) {}

  static Part<Forecasts> query(ReportTables tables) {
    String what = "the purchase forecasts, the tracking plot and the repeat-count histogram";
    return tables.query(ClvForecastTable.DEF, what, forecast -> {
      Dataset<Row> onDate = forecast.where(tables.onValuationDate());
      Part<PurchaseCounts> counts = purchaseCounts(tables, onDate);
      if (counts.data() == null) {
        return Part.of(new Forecasts(counts, Part.none()));
      }
      if (!Arrays.asList(onDate.columns()).contains(ClvForecastTable.ACTUAL_CUSTOMERS)) {
        return Part.of(new Forecasts(counts, Part.missing("Table clv_forecast was written before it held the actual purchases: rerun"
            + " the clv step for " + tables.valuationDate() + " to see the tracking plot and the repeat-count histogram.")));
      }
      return Part.of(new Forecasts(counts, Part.of(new Diagnostics(tracking(tables, onDate), repeatCounts(tables, onDate)))));
    });
  }

  private static Part<PurchaseCounts> purchaseCounts(ReportTables tables, Dataset<Row> forecast) {
    // Bounded: 11 rows per horizon of clv.forecast_days.
    List<Row> rows = forecast.where(col(ClvForecastTable.CURVE).equalTo(ClvForecastTable.PURCHASE_COUNT))
        .select(col(ClvForecastTable.DAYS), col(ClvForecastTable.PURCHASES), col(ClvForecastTable.PROBABILITY),
            col(ClvForecastTable.EXPECTED_REPEAT_PURCHASES), col(ClvForecastTable.PURCHASE_MODEL))
        .orderBy(ClvForecastTable.DAYS, ClvForecastTable.PURCHASES).collectAsList();
    if (rows.isEmpty()) {
      return Part.missing("Table clv_forecast has no rows for run date " + tables.valuationDate()
          + ": no purchase model fit could be used.");
    }
    int[] days = rows.stream().mapToInt(r -> r.getInt(0)).distinct().toArray();
    List<double[]> probability = new ArrayList<>();
    double[] expected = new double[days.length];
    for (int d = 0; d < days.length; d++) {
      int horizon = days[d];
      double[] p = new double[BUCKETS];
      rows.stream().filter(r -> r.getInt(0) == horizon).forEach(r -> p[r.getInt(1)] = r.getDouble(2));
      probability.add(p);
      expected[d] = rows.stream().filter(r -> r.getInt(0) == horizon).findFirst().orElseThrow().getDouble(3);
    }
    return Part.of(new PurchaseCounts(rows.get(0).getString(4), days, probability, expected));
  }

  private static Part<Tracking> tracking(ReportTables tables, Dataset<Row> forecast) {
    // Bounded: one row a week from the first acquisition to the end of the CLV horizon.
    List<Row> rows = forecast.where(col(ClvForecastTable.CURVE).equalTo(ClvForecastTable.TRACKING))
        .select(col(ClvForecastTable.DAYS), col(ClvForecastTable.EXPECTED_REPEAT_PURCHASES),
            col(ClvForecastTable.ACTUAL_REPEAT_PURCHASES), col(ClvForecastTable.PURCHASE_MODEL))
        .orderBy(ClvForecastTable.DAYS).collectAsList();
    if (rows.isEmpty()) {
      return Part.missing("Table clv_forecast has no tracking curve for run date " + tables.valuationDate()
          + ": no customer had purchased before it.");
    }
    Row now = rows.stream().filter(r -> r.getInt(0) == 0).findFirst().orElseThrow();
    Row end = rows.get(rows.size() - 1);
    return Part.of(new Tracking(tables.valuationDate(), rows.get(0).getString(3), rows.stream().mapToDouble(r -> r.getInt(0)).toArray(),
        rows.stream().mapToDouble(r -> r.getDouble(1)).toArray(),
        rows.stream().mapToDouble(r -> r.isNullAt(2) ? Double.NaN : r.getLong(2)).toArray(),
        now.getLong(2), now.getDouble(1), end.getInt(0), end.getDouble(1)));
  }

  private static Part<RepeatCounts> repeatCounts(ReportTables tables, Dataset<Row> forecast) {
    // Bounded: one row per bucket, 0 .. MAX_PURCHASES.
    List<Row> rows = forecast.where(col(ClvForecastTable.CURVE).equalTo(ClvForecastTable.REPEAT_COUNT))
        .select(col(ClvForecastTable.PURCHASES), col(ClvForecastTable.ACTUAL_CUSTOMERS), col(ClvForecastTable.EXPECTED_CUSTOMERS),
            col(ClvForecastTable.PURCHASE_MODEL))
        .collectAsList();
    if (rows.isEmpty()) {
      return Part.missing("Table clv_forecast has no repeat-count histogram for run date " + tables.valuationDate()
          + ": no customer had purchased before it.");
    }
    double[] actual = new double[BUCKETS];
    double[] expected = new double[BUCKETS];
    rows.forEach(r -> {
      actual[r.getInt(0)] = r.getLong(1);
      expected[r.getInt(0)] = r.getDouble(2);
    });
    return Part.of(new RepeatCounts(rows.get(0).getString(3), actual, expected));
  }

  static void render(HtmlPage page, Part<Forecasts> forecasts) {
    forecasts.draw(page, f -> {
      f.purchaseCounts().draw(page, c -> purchaseCounts(page, c));
      f.diagnostics().draw(page, d -> {
        d.tracking().draw(page, t -> tracking(page, t));
        d.repeatCounts().draw(page, r -> repeatCounts(page, r));
      });
    });
  }

  private static void purchaseCounts(HtmlPage page, PurchaseCounts c) {
    List<Bars> series = new ArrayList<>();
    List<List<String>> table = new ArrayList<>();
    for (int d = 0; d < c.days().length; d++) {
      double[] p = c.probability().get(d);
      series.add(new Bars("within " + c.days()[d] + " days", p));
      table.add(List.of(Integer.toString(c.days()[d]), Markup.percent(p[0]), Markup.decimal(c.expected()[d], 2)));
    }
    page.chart(SvgChart.bars("clv-purchase-count", "A new customer's repeat purchase days (" + c.model() + ")",
        repeatPurchaseBuckets(), "Repeat purchase days after the first purchase", Axis.fromZero("Probability", Markup::percent),
        series, false));
    page.table(List.of("days after the first purchase", "P(no repeat purchase)", "expected repeat purchase days"), table);
  }

  /** The buckets of repeat purchase days: 0 .. 9 and "10+". */
  private static List<String> repeatPurchaseBuckets() {
    List<String> categories = new ArrayList<>();
    for (int n = 0; n <= ClvForecastTable.MAX_PURCHASES; n++) {
      categories.add(n < ClvForecastTable.MAX_PURCHASES ? Integer.toString(n) : n + "+");
    }
    return categories;
  }

  /** The tracking plot: the customers' cumulative repeat purchases, actual to the run date and expected to the horizon's end. */
  private static void tracking(HtmlPage page, Tracking t) {
    LocalDate runDate = t.runDate();
    double top = Arrays.stream(t.expected()).max().orElse(0);
    page.chart(SvgChart.line("clv-tracking",
        "Tracking: cumulative repeat purchase days of today's customers, actual against " + t.model(),
        Axis.of("As-of date (the vertical line: the run date)", v -> runDate.plusDays(Math.round(v)).toString()),
        Axis.fromZero("Cumulative repeat purchase days", Markup::compact),
        List.of(Series.of("actual", t.days(), t.actual()), Series.of("expected, " + t.model(), t.days(), t.expected()).asDashed(),
            Series.of("run date", new double[] {0, 0}, new double[] {0, top}).asDashed()), false));
    page.table(List.of("as of", "actual", "expected", "gap (expected / actual - 1)"), List.of(
        List.of(runDate + " (run date)", Markup.count(t.nowActual()), Markup.decimal(t.nowExpected(), 0),
            t.nowActual() > 0 ? Markup.percent(t.nowExpected() / t.nowActual() - 1) : "n/a"),
        List.of(runDate.plusDays(t.endDays()) + " (horizon's end)", "", Markup.decimal(t.endExpected(), 0), "")));
    page.note("The model fitted on today's customers, replayed over the calendar: where the actual line leaves the dashed one,"
        + " the model misses how these customers bought; a gap that opens lately is a change in buying that the fit averages away.");
  }

  /**
   * The repeat-count histogram: today's customers by repeat purchase days, actual against the model's expectation at
   * their ages.
   */
  private static void repeatCounts(HtmlPage page, RepeatCounts r) {
    page.chart(SvgChart.bars("clv-repeat-count", "Today's customers by repeat purchase days, actual against " + r.model(),
        repeatPurchaseBuckets(), "Repeat purchase days to the run date (10+: 10 or more)", Axis.fromZero("Customers", Markup::compact),
        List.of(new Bars("actual", r.actual()), new Bars("expected, " + r.model(), r.expected())), false));
    page.note("Expected: each customer's chance of exactly n repeat purchase days at their age, summed; bars that differ"
        + " show which buyers the model gets wrong (e.g. more actual 0s: more one-time buyers than the model allows).");
  }
}
