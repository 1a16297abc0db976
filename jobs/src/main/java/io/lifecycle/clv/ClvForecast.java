package io.lifecycle.clv;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;

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
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The clv_forecast rows: what the selected purchase model says about the customer base as a whole, and
 * how that compares with what the customers did. A new customer's purchase-count distribution needs only
 * the model; the tracking curve needs the customers per first-purchase day and the repeat purchase days
 * per calendar day, the repeat-count histogram the customers per age and repeat purchase days. Spark
 * aggregates the customers to those (bounded by the days of history) and the curves are computed in the
 * driver, in plain Java.
 */
final class ClvForecast {
  private ClvForecast() {}

  /**
   * The customers aggregated for the curves.
   *
   * @param firstPurchases customers per first-purchase day
   * @param repeatPurchases repeat purchase days per calendar day (days with none left out)
   * @param byAge per distinct age T (in the model's time unit): customers per repeat purchase days n =
   *     0..{@link ClvForecastTable#MAX_PURCHASES}, the last "that many or more"
   */
  record Customers(NavigableMap<LocalDate, Long> firstPurchases, NavigableMap<LocalDate, Long> repeatPurchases, Map<Double, long[]> byAge) {
    /**
     * From the summary ({@link CustomerSummary}) and the customers per purchase day of the same purchases
     * ({@link CustomerSummary#customersPerPurchaseDay}): a day's repeat purchase days are its customers less
     * those acquired on it.
     */
    static Customers of(Dataset<Row> summary, Dataset<Row> customersPerPurchaseDay) {
      NavigableMap<LocalDate, Long> first = perDay(summary.groupBy(col(CustomerSummary.FIRST_PURCHASE_DATE)).count());
      NavigableMap<LocalDate, Long> repeat = new TreeMap<>();
      perDay(customersPerPurchaseDay.select(col(CustomerSummary.PURCHASE_DAY), col(CustomerSummary.CUSTOMERS))).forEach((day, customers) -> {
        long n = customers - first.getOrDefault(day, 0L);
        if (n > 0) {
          repeat.put(day, n);
        }
      });
      Map<Double, long[]> byAge = new TreeMap<>();
      // Bounded: one row per distinct age (a whole number of days of history) and repeat count 0..MAX_PURCHASES.
      for (Row r : summary.groupBy(col(CustomerSummary.AGE).cast("double"),
              least(col(CustomerSummary.FREQUENCY), lit((long) ClvForecastTable.MAX_PURCHASES)).cast("int"))
          .count().collectAsList()) {
        byAge.computeIfAbsent(r.getDouble(0), t -> new long[ClvForecastTable.MAX_PURCHASES + 1])[r.getInt(1)] += r.getLong(2);
      }
      return new Customers(first, repeat, byAge);
    }

    /** A (day, count) aggregate as a sorted map. */
    private static NavigableMap<LocalDate, Long> perDay(Dataset<Row> counts) {
      NavigableMap<LocalDate, Long> days = new TreeMap<>();
      // Bounded: one row per calendar day of history.
      for (Row r : counts.collectAsList()) {
        Object day = r.get(0); // java.sql.Date, or LocalDate with spark.sql.datetime.java8API.enabled
        days.put(day instanceof LocalDate d ? d : ((Date) day).toLocalDate(), r.getLong(1));
      }
      return days;
    }
  }

  /**
   * P(n repeat purchases in t days) for n = 0..{@link ClvForecastTable#MAX_PURCHASES} (the last: that
   * many or more) and each t of {@code clv.forecast_days}; the tracking curve ({@link #tracking}); the
   * repeat-count histogram ({@link #repeatCounts}).
   */
  static List<Row> rows(PurchaseModel model, Clv clv, Customers customers, LocalDate runDate) {
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
        rows.add(RowFactory.create(run, model.name(), ClvForecastTable.PURCHASE_COUNT, days, null, n, p, expected, null, null, null));
      }
    }
    rows.addAll(tracking(model, clv, customers, runDate));
    rows.addAll(repeatCounts(model, customers, runDate));
    return rows;
  }

  /**
   * Every 7 days from the first acquisition to the end of the CLV horizon, the expected cumulative repeat
   * purchases of today's customers, sum over first-purchase days d of customers(d) E[X(D - 1 - d)] at the
   * as-of date D (a customer acquired on d has been observed for D - 1 - d days then; at the run date that
   * is the summary's age T), and up to the run date the actual ones, the repeat purchase days before D.
   * Customers acquired after the run date are not in it.
   */
  private static List<Row> tracking(PurchaseModel model, Clv clv, Customers customers, LocalDate runDate) {
    List<Row> rows = new ArrayList<>();
    if (customers.firstPurchases().isEmpty()) {
      return rows;
    }
    double daysPerUnit = SummaryPredictions.daysPerUnit(clv);
    LocalDate first = customers.firstPurchases().firstKey();
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
      for (Map.Entry<LocalDate, Long> e : customers.firstPurchases().entrySet()) {
        long lag = ChronoUnit.DAYS.between(e.getKey(), asOf) - 1;
        if (lag > 0) {
          total += e.getValue() * expectedByLag[(int) lag];
        }
      }
      Long actual = null;
      if (k <= 0) {
        long sum = 0;
        for (long n : customers.repeatPurchases().headMap(asOf, false).values()) {
          sum += n;
        }
        actual = sum;
      }
      rows.add(RowFactory.create(Date.valueOf(runDate), model.name(), ClvForecastTable.TRACKING, 7 * k, Date.valueOf(asOf), null, null,
          total, actual, null, null));
    }
    return rows;
  }

  /**
   * The current customers by repeat purchase days n = 0..{@link ClvForecastTable#MAX_PURCHASES} (the last:
   * that many or more), as observed and as the model expects them: sum over customers of P(X(T) = n) at
   * each one's age T, the last bucket the customers less the others, so the expected counts sum to the
   * customers as the actual ones do.
   */
  private static List<Row> repeatCounts(PurchaseModel model, Customers customers, LocalDate runDate) {
    List<Row> rows = new ArrayList<>();
    if (customers.byAge().isEmpty()) {
      return rows;
    }
    int buckets = ClvForecastTable.MAX_PURCHASES + 1;
    long[] actual = new long[buckets];
    double[] expected = new double[buckets];
    long all = 0;
    for (Map.Entry<Double, long[]> e : customers.byAge().entrySet()) {
      long atAge = 0;
      for (int n = 0; n < buckets; n++) {
        actual[n] += e.getValue()[n];
        atAge += e.getValue()[n];
      }
      all += atAge;
      for (int n = 0; n < ClvForecastTable.MAX_PURCHASES; n++) {
        expected[n] += atAge * model.probabilityOfPurchases(e.getKey(), n);
      }
    }
    double below = 0;
    for (int n = 0; n < ClvForecastTable.MAX_PURCHASES; n++) {
      below += expected[n];
    }
    expected[ClvForecastTable.MAX_PURCHASES] = Math.max(0, all - below);
    Date run = Date.valueOf(runDate);
    for (int n = 0; n < buckets; n++) {
      rows.add(RowFactory.create(run, model.name(), ClvForecastTable.REPEAT_COUNT, 0, run, n, null, null, null, actual[n], expected[n]));
    }
    return rows;
  }
}
