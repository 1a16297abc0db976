package io.lifecycle.report;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.tables.CustomerValueTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The frequency-recency matrix analysts show beside a BG/NBD or Pareto/NBD fit: customers grouped by their
 * repeat purchase days (rows, the top one "this many or more") and the time of their last purchase after
 * the first (columns, equal-width buckets up to the oldest customer's age), with the model's mean P(alive)
 * and mean expected purchases over the horizon in each cell. It shows what the model believes: a customer
 * who bought often but long ago is likely gone, one who bought once and recently is not. Spark aggregates
 * the customers to the cells; only the bounded grid reaches the driver.
 *
 * @param frequencies row labels, the highest frequency first
 * @param recencies column labels: the bucket's range in the CLV time unit
 * @param customers customers per cell
 * @param pAlive mean P(alive) per cell, NaN where no customer
 * @param expectedPurchases mean expected purchases per cell, NaN where no customer
 */
public record FrequencyRecencyMatrix(List<String> frequencies, List<String> recencies, long[][] customers,
    double[][] pAlive, double[][] expectedPurchases) {

  /**
   * The matrix of {@code customerValue}'s rows that have a P(alive), with frequencies 0 to {@code
   * maxFrequency} (the last row: that many or more) and {@code recencyBuckets} columns; empty when no row has one.
   */
  public static java.util.Optional<FrequencyRecencyMatrix> of(Dataset<Row> customerValue, int maxFrequency, int recencyBuckets) {
    Dataset<Row> fitted = customerValue.where(col(CustomerValueTable.P_ALIVE).isNotNull());
    // Bounded: One row.
    Row span = fitted.agg(count(lit(1)), max(CustomerValueTable.AGE)).head();
    if (span.getLong(0) == 0) {
      return java.util.Optional.empty();
    }
    // Whole time units, at least one: the labels stay readable.
    double width = Math.max(1, Math.ceil(span.getDouble(1) / recencyBuckets));
    Column f = least(col(CustomerValueTable.FREQUENCY), lit((long) maxFrequency)).cast("int");
    Column r = least(floor(col(CustomerValueTable.RECENCY).divide(width)), lit((long) recencyBuckets - 1)).cast("int");
    // Bounded: at most (maxFrequency + 1) x recencyBuckets cells.
    List<Row> cells = fitted.groupBy(f.as("f"), r.as("r"))
        .agg(count(lit(1)), avg(CustomerValueTable.P_ALIVE), avg(CustomerValueTable.EXPECTED_PURCHASES))
        .collectAsList();
    int rows = maxFrequency + 1;
    long[][] customers = new long[rows][recencyBuckets];
    double[][] alive = new double[rows][recencyBuckets];
    double[][] expected = new double[rows][recencyBuckets];
    for (int i = 0; i < rows; i++) {
      java.util.Arrays.fill(alive[i], Double.NaN);
      java.util.Arrays.fill(expected[i], Double.NaN);
    }
    for (Row c : cells) {
      int i = maxFrequency - c.getInt(0);
      int j = c.getInt(1);
      customers[i][j] = c.getLong(2);
      alive[i][j] = c.getDouble(3);
      expected[i][j] = c.isNullAt(4) ? Double.NaN : c.getDouble(4);
    }
    List<String> frequencies = new ArrayList<>();
    for (int x = maxFrequency; x >= 0; x--) {
      frequencies.add(x == maxFrequency ? x + "+" : Integer.toString(x));
    }
    List<String> recencies = new ArrayList<>();
    for (int j = 0; j < recencyBuckets; j++) {
      recencies.add(Markup.decimal(j * width, 0) + "\u2013" + Markup.decimal((j + 1) * width, 0));
    }
    return java.util.Optional.of(new FrequencyRecencyMatrix(frequencies, recencies, customers, alive, expected));
  }

  /** The largest mean expected purchases of any cell (0 when none): the top of the colour scale. */
  public double maxExpectedPurchases() {
    double top = 0;
    for (double[] row : expectedPurchases) {
      for (double v : row) {
        top = Double.isFinite(v) ? Math.max(top, v) : top;
      }
    }
    return top;
  }
}
