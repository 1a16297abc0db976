package io.lifecycle.report;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.tables.CustomerValueTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The customers' predicted lifetime value: its distribution by value tier, a summary per tier, and the
 * purchase model's P(alive) and expected purchases by frequency and recency. The query turns customer_value
 * into a histogram of CLV_BUCKETS buckets (the last one above the 99th percentile), one row per tier and the
 * {@link FrequencyRecencyMatrix}, so nothing per customer reaches the driver.
 */
final class ClvSection {
  private ClvSection() {}

  private static final int CLV_BUCKETS = 20;
  private static final int FR_MAX_FREQUENCY = 10;
  private static final int FR_RECENCY_BUCKETS = 12;

  /**
   * @param horizonMonths the CLV horizon (clv.horizon_months)
   * @param timeUnit the purchase model's time unit, in words
   * @param low the first bucket's start (0 or the lowest CLV, below 0)
   * @param width the buckets' width; the last bucket holds what is at or above {@code high}
   * @param high the 99th percentile of the predicted CLV
   * @param customers per tier of {@link CustomerValueTable#TIERS} and bucket
   * @param tiers the summary of each tier that has customers, in tier order
   * @param matrix the frequency-recency matrix, or nothing when no customer has a P(alive)
   */
  record Clv(int horizonMonths, String timeUnit, double low, double width, double high, List<double[]> customers, List<Tier> tiers,
      Part<FrequencyRecencyMatrix> matrix) {}

  /** @param predictedTotal NaN when no customer of the tier has a prediction (likewise the means) */
  record Tier(String tier, long customers, double predictedTotal, double predictedMean, double pAlive, double historicalTotal) {}

  static Part<Clv> query(ReportTables tables) {
    return tables.query(CustomerValueTable.DEF, "the CLV distribution", values -> {
      Dataset<Row> predicted = values.where(col(CustomerValueTable.PREDICTED_CLV).isNotNull());
      // One row: the bucket range.
      Row range = predicted.agg(count(lit(1)), expr("percentile_approx(" + CustomerValueTable.PREDICTED_CLV + ", 0.99, 10000)"),
          min(CustomerValueTable.PREDICTED_CLV)).head();
      if (range.getLong(0) == 0) {
        return Part.missing("Table customer_value has no predicted CLV: no purchase model fit could be used for run date "
            + tables.runDate() + ".");
      }
      double low = Math.min(0, range.getDouble(2));
      double high = Math.max(range.getDouble(1), low + 1e-9);
      double width = (high - low) / CLV_BUCKETS;
      Column bucket = least(floor(col(CustomerValueTable.PREDICTED_CLV).minus(low).divide(width)), lit(CLV_BUCKETS)).cast("int");
      // Histogram in Spark: bounded by (CLV_BUCKETS + 1) x tiers.
      List<Row> hist = predicted.groupBy(bucket.as("b"), col(CustomerValueTable.VALUE_TIER)).count().collectAsList();
      List<double[]> customers = new ArrayList<>();
      for (String tier : CustomerValueTable.TIERS) {
        double[] counts = new double[CLV_BUCKETS + 1];
        hist.stream().filter(h -> tier.equals(h.getString(1))).forEach(h -> counts[h.getInt(0)] += h.getLong(2));
        customers.add(counts);
      }
      // Bounded: One row per tier.
      List<Row> summary = values.groupBy(CustomerValueTable.VALUE_TIER)
          .agg(count(lit(1)), sum(CustomerValueTable.PREDICTED_CLV), avg(CustomerValueTable.PREDICTED_CLV),
              avg(CustomerValueTable.P_ALIVE), sum(CustomerValueTable.HISTORICAL_CLV))
          .collectAsList();
      List<Tier> tiers = new ArrayList<>();
      for (String tier : CustomerValueTable.TIERS) {
        summary.stream().filter(s -> tier.equals(s.getString(0))).findFirst().ifPresent(s -> tiers.add(new Tier(tier, s.getLong(1),
            orNaN(s, 2), orNaN(s, 3), orNaN(s, 4), s.getDouble(5))));
      }
      Part<FrequencyRecencyMatrix> matrix = FrequencyRecencyMatrix.of(values, FR_MAX_FREQUENCY, FR_RECENCY_BUCKETS)
          .map(Part::of).orElse(Part.none());
      LifecycleConfig.Clv clv = tables.config().clv();
      return Part.of(new Clv(clv.horizonMonths(), clv.timeUnit().name().toLowerCase(Locale.ROOT), low, width, high, customers, tiers,
          matrix));
    });
  }

  private static double orNaN(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }

  static void render(HtmlPage page, Part<Clv> clv) {
    clv.draw(page, c -> {
      List<String> categories = new ArrayList<>();
      for (int b = 0; b <= CLV_BUCKETS; b++) {
        categories.add(b < CLV_BUCKETS
            ? Markup.compact(c.low() + b * c.width()) + "\u2013" + Markup.compact(c.low() + (b + 1) * c.width())
            : "\u2265 " + Markup.compact(c.high()));
      }
      List<Bars> tiers = new ArrayList<>();
      for (int t = 0; t < CustomerValueTable.TIERS.size(); t++) {
        tiers.add(new Bars(CustomerValueTable.TIERS.get(t), c.customers().get(t)));
      }
      page.chart(SvgChart.bars("clv-distribution", "Predicted CLV over " + c.horizonMonths() + " months, by value tier",
          categories, "Predicted CLV (margin, source currency; the last bar: above the 99th percentile)",
          Axis.fromZero("Customers", Markup::compact), tiers, true));
      page.table(List.of("value tier", "customers", "predicted CLV, total", "predicted CLV, mean", "mean P(alive)",
          "historical CLV, total"), c.tiers().stream().map(s -> List.of(s.tier(), Markup.count(s.customers()),
              Markup.decimal(s.predictedTotal(), 0), Markup.decimal(s.predictedMean(), 2), Markup.percent(s.pAlive()),
              Markup.decimal(s.historicalTotal(), 0))).toList());
      c.matrix().draw(page, m -> matrix(page, m, c));
    });
  }

  /** The purchase model's P(alive) and expected purchases by frequency and recency ({@link FrequencyRecencyMatrix}). */
  private static void matrix(HtmlPage page, FrequencyRecencyMatrix m, Clv c) {
    String x = "Recency: last purchase after the first (" + c.timeUnit() + ")";
    String y = "Frequency (repeat purchase days)";
    page.chart(SvgChart.heatmap("clv-alive-matrix", "P(alive) by frequency and recency (the purchase model's mean per cell)",
        m.frequencies(), m.recencies(), m.pAlive(), null, 0, 1, x, y, Markup::percentShort, "Mean P(alive)", null));
    double top = Math.max(m.maxExpectedPurchases(), 1e-9);
    page.chart(SvgChart.heatmap("clv-expected-matrix", "Expected repeat purchases over " + c.horizonMonths()
            + " months by frequency and recency", m.frequencies(), m.recencies(), m.expectedPurchases(), null, 0, top, x, y,
        v -> Markup.decimal(v, 1), "Mean expected purchases", null));
    page.note("Each cell holds the customers with that many repeat purchase days whose last purchase came that long after "
        + "their first (empty: none). Among customers of the same age, a short recency means the last purchase was long "
        + "ago: the model believes frequent buyers who then stopped are likely gone.");
  }
}
