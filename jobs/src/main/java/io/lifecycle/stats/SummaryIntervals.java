package io.lifecycle.stats;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig.Clv;
import io.lifecycle.tables.SegmentValueTable;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * The predictions of every parameter draw ({@link ParameterDraws}) per distinct (x, t_x, T), computed by
 * Spark tasks as {@link SummaryPredictions} computes the point values: a customer's 90% interval is the
 * 5th and 95th percentile of the draws' predictions for the customer's summary. The expensive part
 * (the hypergeometric function, once per month of the horizon and per draw) is the expected purchases
 * of a customer still alive, which depend on (x, T) only: it runs once per distinct (x, T), for all its
 * t_x (at 10M generated events, 15,680 of them against 267,366 distinct (x, t_x, T)). P(alive) depends
 * on (x, t_x, T); the CLV also on the mean spend m, which enters each
 * draw's Gamma-Gamma expected spend linearly: the CLV's percentiles are computed per distinct m of the
 * summary, from its per-draw discounted purchases, in the same task.
 *
 * <p>The same tasks sum the segments' per-draw totals ({@link #of} with cells): each (segment, x, t_x, T)
 * cell's customers share the draw's P(alive) and discounted purchases and their expected spend is linear
 * in their summed mean spend, so the draws' values are used where they are computed and never leave the
 * task. Shipping them instead (two arrays of {@code clv.interval_draws} doubles per summary, joined to
 * every cell of it) made the segments' intervals the costliest part of the 10M-event clv step.
 *
 * <p>The intervals reflect the parameters' estimation uncertainty only, not the randomness of the
 * customers' future purchases.
 */
public final class SummaryIntervals {
  public static final double LOW = 0.05;
  public static final double HIGH = 0.95;
  /** P(alive)'s 5th and 95th percentile over the draws. */
  public static final String P_ALIVE_LOW = "_p_alive_low";
  public static final String P_ALIVE_HIGH = "_p_alive_high";
  /** Per distinct mean spend of the summary: {@link #SPEND} and the CLV's percentiles. */
  public static final String BY_SPEND = "_by_spend";
  public static final String SPEND = "_spend";
  public static final String CLV_LOW = "_clv_low";
  public static final String CLV_HIGH = "_clv_high";
  /** A cell's customers and their summed mean spend (0 without repeat purchases): input columns of {@link #of}. */
  public static final String CUSTOMERS = "_n";
  public static final String SPEND_SUM = "_m";
  /**
   * A segment's partial totals over one task's cells, per draw: the draw, its exact sums of CLV and of
   * revenue at risk, and how many cells it could not value (or that overflowed 9.2e12 in one task).
   */
  public static final String DRAW = "_d";
  public static final String CLV_TOTAL = "_clv";
  public static final String RISK_TOTAL = "_risk";
  public static final String MISSING = "_missing";

  private static final DecimalType EXACT = DataTypes.createDecimalType(38, 9);
  /** The partial sums' unit: a millionth, counted in a long (exact, so independent of the order of the cells). */
  private static final double MICROS = 1e6;

  private SummaryIntervals() {}

  /**
   * Two kinds of rows: per distinct (x, t_x, T) of {@code summary} (a {@link CustomerSummary}), the
   * P(alive) percentiles and {@link #BY_SPEND} with the segment columns null; and, with {@code cells},
   * per task, segment and draw, the segment's partial totals ({@link SegmentValueTable#SEGMENT_TYPE},
   * {@link SegmentValueTable#SEGMENT}, {@link #DRAW} and the sums) with the summary columns null.
   * {@code spend} null (no usable Gamma-Gamma fit) leaves the CLV percentiles null and sums nothing.
   *
   * @param cells null, or rows of (segment_type, segment, x, t_x, T, {@link #CUSTOMERS}, {@link #SPEND_SUM}),
   *     one per segment and summary of the summary's customers
   */
  public static Dataset<Row> of(Dataset<Row> summary, Dataset<Row> cells, Clv clv, List<PurchaseModel> purchase,
      List<GammaGammaModel> spend) {
    double[][] spends = spend == null ? null : spend.stream().map(GammaGammaModel::toArray).toArray(double[][]::new);
    StructType bySpend = new StructType().add(SPEND, DataTypes.DoubleType)
        .add(CLV_LOW, DataTypes.DoubleType).add(CLV_HIGH, DataTypes.DoubleType);
    StructType schema = SummaryPredictions.KEYS.add(P_ALIVE_LOW, DataTypes.DoubleType).add(P_ALIVE_HIGH, DataTypes.DoubleType)
        .add(BY_SPEND, DataTypes.createArrayType(bySpend, false))
        .add(SegmentValueTable.SEGMENT_TYPE, DataTypes.StringType).add(SegmentValueTable.SEGMENT, DataTypes.StringType)
        .add(DRAW, DataTypes.IntegerType).add(CLV_TOTAL, EXACT).add(RISK_TOTAL, EXACT).add(MISSING, DataTypes.LongType);
    // Per (x, T): its distinct (t_x, mean spend) pairs and its cells. The draws' expected purchases given
    // alive over the horizon's months depend on (x, T) only: computed once for all its t_x, and P(alive) per t_x.
    String[] xT = {CustomerSummary.FREQUENCY, CustomerSummary.AGE};
    Dataset<Row> grouped = summary.groupBy(CustomerSummary.FREQUENCY, CustomerSummary.AGE)
        .agg(collect_set(struct(col(CustomerSummary.RECENCY), col(CustomerSummary.MONETARY_VALUE))).as("_pairs"));
    boolean sums = cells != null && spends != null;
    if (sums) {
      grouped = grouped.join(cells.groupBy(CustomerSummary.FREQUENCY, CustomerSummary.AGE)
          .agg(collect_list(struct(col(CustomerSummary.RECENCY), col(SegmentValueTable.SEGMENT_TYPE), col(SegmentValueTable.SEGMENT),
              col(CUSTOMERS), col(SPEND_SUM))).as("_cells")), xT, "left");
    }
    Evaluator evaluator = new Evaluator(new ArrayList<>(purchase), spends, SummaryPredictions.Horizon.of(clv), clv.grossMargin(),
        schema.size(), sums);
    return grouped.mapPartitions((MapPartitionsFunction<Row, Row>) evaluator::rows, Encoders.row(schema));
  }

  /** What one task needs to evaluate its (x, T) groups: the draws, the horizon and the margin. */
  private record Evaluator(List<PurchaseModel> models, double[][] spends, SummaryPredictions.Horizon months, double margin,
      int width, boolean sums) implements java.io.Serializable {

    /** The task's summary rows as its groups are evaluated, then its segments' partial totals. */
    Iterator<Row> rows(Iterator<Row> groups) {
      Map<List<String>, long[][]> totals = new LinkedHashMap<>();
      return new Iterator<>() {
        private final ArrayDeque<Row> buffer = new ArrayDeque<>();
        private boolean flushed;

        @Override
        public boolean hasNext() {
          while (buffer.isEmpty()) {
            if (groups.hasNext()) {
              buffer.addAll(group(groups.next(), totals));
            } else if (!flushed) {
              flushed = true;
              buffer.addAll(partialTotals(totals));
            } else {
              return false;
            }
          }
          return true;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return buffer.poll();
        }
      };
    }

    /** One (x, T) group: a row per t_x, its cells added to {@code totals}. */
    private List<Row> group(Row g, Map<List<String>, long[][]> totals) {
      long frequency = g.getLong(0);
      double x = frequency;
      double age = g.getDouble(1);
      int draws = models.size();
      double[][] ifAlive = new double[draws][];
      boolean evaluable = true;
      for (int d = 0; d < draws && evaluable; d++) {
        try {
          ifAlive[d] = models.get(d).purchasesIfAlive(months.months(), x, age);
        } catch (ArithmeticException | IllegalArgumentException e) {
          evaluable = false; // a special function that did not converge at an extreme draw: no interval here
        }
      }
      // The distinct mean spends of each t_x (without repeat purchases the mean spend is null and does not
      // enter the expected spend).
      TreeMap<Double, List<Double>> spendsByRecency = new TreeMap<>();
      for (Row pair : g.<Row>getList(2)) {
        List<Double> ms = spendsByRecency.computeIfAbsent(pair.getDouble(0), k -> new ArrayList<>());
        if (!pair.isNullAt(1)) {
          ms.add(pair.getDouble(1));
        }
      }
      List<Row> rows = new ArrayList<>(spendsByRecency.size());
      // Per t_x: the draws' discounted purchases and P(alive), or absent where a draw could not be valued.
      Map<Double, double[][]> drawn = new java.util.HashMap<>();
      for (Map.Entry<Double, List<Double>> e : spendsByRecency.entrySet()) {
        double tx = e.getKey();
        List<Double> ms = x == 0 ? java.util.Collections.singletonList(null) : e.getValue();
        double[] alive = new double[draws];
        double[] purchases = new double[draws];
        boolean evaluated = evaluable;
        for (int d = 0; d < draws && evaluated; d++) {
          try {
            alive[d] = models.get(d).probabilityAlive(x, tx, age);
            purchases[d] = months.accumulate(ifAlive[d], alive[d])[1];
          } catch (ArithmeticException | IllegalArgumentException ex) {
            evaluated = false;
          }
          evaluated &= Double.isFinite(alive[d]) && Double.isFinite(purchases[d]);
        }
        if (evaluated) {
          drawn.put(tx, new double[][] {alive, purchases});
        }
        List<Row> byM = new ArrayList<>(ms.size());
        for (Double m : ms) {
          double[] q = evaluated && spends != null ? clvPercentiles(margin, frequency, m, purchases, spends) : null;
          byM.add(RowFactory.create(m, q == null ? null : q[0], q == null ? null : q[1]));
        }
        double[] a = evaluated ? ParameterDraws.percentiles(alive, LOW, HIGH) : null;
        Object[] row = new Object[width];
        row[0] = frequency;
        row[1] = tx;
        row[2] = age;
        row[3] = a == null ? null : a[0];
        row[4] = a == null ? null : a[1];
        row[5] = scala.jdk.javaapi.CollectionConverters.asScala(byM).toSeq();
        rows.add(RowFactory.create(row));
      }
      if (sums && !g.isNullAt(3)) {
        for (Row cell : g.<Row>getList(3)) {
          add(totals, cell, x, drawn.get(cell.getDouble(0)));
        }
      }
      return rows;
    }

    /**
     * A cell's customers' CLV and revenue at risk at every draw, in whole millionths; a draw the cell's
     * summary could not be valued at (or whose sum overflows) counts as missing.
     */
    private void add(Map<List<String>, long[][]> totals, Row cell, double x, double[][] drawn) {
      int draws = models.size();
      long[][] s = totals.computeIfAbsent(List.of(cell.getString(1), cell.getString(2)), k -> new long[3][draws]);
      long n = cell.getLong(3);
      double m = cell.getDouble(4);
      for (int d = 0; d < draws; d++) {
        double clv = drawn == null ? Double.NaN : margin * expectedSpend(spends[d], x, n, m) * drawn[1][d];
        double risk = drawn == null ? Double.NaN : clv * (1 - drawn[0][d]);
        try {
          if (!Double.isFinite(clv) || !Double.isFinite(risk)) {
            throw new ArithmeticException("not finite");
          }
          long c = Math.addExact(s[0][d], Math.round(clv * MICROS));
          s[1][d] = Math.addExact(s[1][d], Math.round(risk * MICROS));
          s[0][d] = c;
        } catch (ArithmeticException e) {
          s[2][d]++;
        }
      }
    }

    /** The task's partial totals: a row per segment and draw (bounded by segments x draws, whatever the customers). */
    private List<Row> partialTotals(Map<List<String>, long[][]> totals) {
      List<Row> out = new ArrayList<>();
      totals.forEach((key, s) -> {
        for (int d = 0; d < s[0].length; d++) {
          Object[] row = new Object[width];
          row[6] = key.get(0);
          row[7] = key.get(1);
          row[8] = d;
          row[9] = BigDecimal.valueOf(s[0][d], 6).setScale(9);
          row[10] = BigDecimal.valueOf(s[1][d], 6).setScale(9);
          row[11] = s[2][d];
          out.add(RowFactory.create(row));
        }
      });
      return out;
    }
  }

  /**
   * The 5th and 95th percentile over the draws of margin x expected spend x discounted purchases for a
   * customer with x repeat purchases of mean spend m; null where a draw's expected spend does not exist
   * (p x + q - 1 &lt;= 0: the posterior mean is infinite) or m is missing.
   */
  static double[] clvPercentiles(double margin, long x, Double m, double[] purchases, double[][] spends) {
    if (x > 0 && m == null) {
      return null;
    }
    double[] clv = new double[purchases.length];
    for (int d = 0; d < purchases.length; d++) {
      double spend = expectedSpend(spends[d], x, x > 0 ? m : 0);
      if (Double.isNaN(spend)) {
        return null;
      }
      clv[d] = margin * spend * purchases[d];
    }
    return ParameterDraws.percentiles(clv, LOW, HIGH);
  }

  /**
   * Gamma-Gamma's expected spend per purchase p (v + x m) / (p x + q - 1) at {p, q, v}, the formula of the
   * point estimate; NaN where the denominator is not positive.
   */
  static double expectedSpend(double[] pqv, double x, double m) {
    return expectedSpend(pqv, x, 1, m);
  }

  /**
   * The expected spend per purchase summed over n customers with x repeat purchases and mean spends
   * summing to {@code sumM}: p (n v + x sumM) / (p x + q - 1), linear in the mean spend; NaN where the
   * denominator is not positive.
   */
  public static double expectedSpend(double[] pqv, double x, long n, double sumM) {
    double den = pqv[0] * x + pqv[1] - 1;
    return den > 0 ? pqv[0] * (n * pqv[2] + x * sumM) / den : Double.NaN;
  }
}
