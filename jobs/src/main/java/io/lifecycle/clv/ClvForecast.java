package io.lifecycle.clv;

import static org.apache.spark.sql.functions.col;

import io.lifecycle.config.LifecycleConfig.Clv;
import io.lifecycle.stats.CustomerSummary;
import io.lifecycle.stats.PurchaseModel;
import io.lifecycle.stats.SummaryPredictions;
import io.lifecycle.tables.ClvForecastTable;
import java.sql.Date;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The clv_forecast rows: what the selected purchase model says about the customer base as a whole. A
 * new customer's purchase-count distribution needs only the model; the tracking curve needs the number
 * of customers per first-purchase day (one row per calendar day: bounded), so both are computed in the
 * driver, in plain Java.
 */
final class ClvForecast {
  private ClvForecast() {}

  /** Customers per first-purchase day of the summary. */
  static Map<LocalDate, Long> firstPurchases(Dataset<Row> summary) {
    Map<LocalDate, Long> counts = new TreeMap<>();
    // Bounded: one row per calendar day with a first purchase.
    for (Row r : summary.groupBy(col(CustomerSummary.FIRST_PURCHASE_DATE)).count().collectAsList()) {
      Object day = r.get(0); // java.sql.Date, or LocalDate with spark.sql.datetime.java8API.enabled
      counts.put(day instanceof LocalDate d ? d : ((Date) day).toLocalDate(), r.getLong(1));
    }
    return counts;
  }

  /**
   * P(n repeat purchases in t days) for n = 0..{@link ClvForecastTable#MAX_PURCHASES} (the last: that
   * many or more) and each t of
   * {@code clv.forecast_days}, then the tracking curve: every 7 days from the first acquisition to the
   * end of the CLV horizon, the expected cumulative repeat purchases of today's customers, sum over
   * first-purchase days d of customers(d) E[X(D - 1 - d)] at the as-of date D (a customer acquired on d
   * has been observed for D - 1 - d days then; at the run date that is the summary's age T). Customers
   * acquired after the run date are not in it.
   */
  static List<Row> rows(PurchaseModel model, Clv clv, Map<LocalDate, Long> firstPurchases, LocalDate runDate) {
    List<Row> rows = new ArrayList<>();
    Date run = Date.valueOf(runDate);
    double daysPerUnit = SummaryPredictions.daysPerUnit(clv);
    for (int days : clv.forecastDays()) {
      double t = days / daysPerUnit;
      double expected = model.expectedPurchases(t);
      double below = 0;
      for (int n = 0; n <= ClvForecastTable.MAX_PURCHASES; n++) {
        // The last bucket is "n or more", so each horizon's probabilities sum to 1.
        double p = n < ClvForecastTable.MAX_PURCHASES ? model.probabilityOfPurchases(t, n) : Math.max(0, 1 - below);
        below += p;
        rows.add(RowFactory.create(run, model.name(), ClvForecastTable.PURCHASE_COUNT, days, null, n, p, expected));
      }
    }
    if (firstPurchases.isEmpty()) {
      return rows;
    }
    LocalDate first = firstPurchases.keySet().iterator().next();
    int history = (int) ChronoUnit.DAYS.between(first, runDate);
    int horizonDays = (int) Math.ceil(SummaryPredictions.units(clv, clv.horizonMonths()) * daysPerUnit);
    // Points at the run date + 7k, from the first one that sees a customer to the horizon's end.
    int from = -((history - 1) / 7);
    int to = (horizonDays + 6) / 7;
    int lastLag = history + 7 * to - 1;
    // E[X(t)] once per whole-day lag: the curve's points are sums of it over the first-purchase days.
    double[] expectedByLag = new double[lastLag + 1];
    for (int lag = 1; lag <= lastLag; lag++) {
      expectedByLag[lag] = model.expectedPurchases(lag / daysPerUnit);
    }
    for (int k = from; k <= to; k++) {
      LocalDate asOf = runDate.plusDays(7L * k);
      double total = 0;
      for (Map.Entry<LocalDate, Long> e : firstPurchases.entrySet()) {
        long lag = ChronoUnit.DAYS.between(e.getKey(), asOf) - 1;
        if (lag > 0) {
          total += e.getValue() * expectedByLag[(int) lag];
        }
      }
      rows.add(RowFactory.create(run, model.name(), ClvForecastTable.TRACKING, 7 * k, Date.valueOf(asOf), null, null, total));
    }
    return rows;
  }
}
