package io.lifecycle.clv;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.CustomerSummary;
import io.lifecycle.stats.GammaGammaModel;
import io.lifecycle.stats.MleResult;
import io.lifecycle.stats.ParameterDraws;
import io.lifecycle.stats.PurchaseModel;
import io.lifecycle.stats.SummaryIntervals;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerValueTable;
import io.lifecycle.tables.SegmentValueTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The intervals through Spark on seven hand-written customer summaries (weeks), at CDNOW's published BG/NBD
 * and Gamma-Gamma estimates with hand-set log-space standard errors (r 10%, alpha 8%, a 15%, b 20%; p, q,
 * v 5%, 6%, 7%, q and v correlated 0.5), 50 draws: a and b share (x, t_x, T) with different spends, c and
 * d share it and the spend, e has no repeat purchase, f is another summary, g shares a's x and T but not
 * its t_x (the expensive part is computed once per (x, T)); cohorts January (a, b, e, g) and February
 * (c, d, f). Each customer's percentiles and the 'all' segment's are checked against the same
 * draws evaluated here, and the point values at the estimates (the step's path, through customer_value,
 * is checked on CDNOW by {@link ClvOnCdnowTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClvIntervalsTest {
  private static final int DRAWS = 50;
  private static final double MARGIN = 0.3;
  private final SparkSession spark = SharedSpark.get();
  private final LifecycleConfig config = TestSupport.config();
  private final BgNbdModel bg = new BgNbdModel(0.243, 4.414, 0.793, 2.426);
  private final GammaGammaModel gg = new GammaGammaModel(6.25, 3.74, 15.44);
  private ClvIntervals intervals;
  private Dataset<Row> summary;
  private Dataset<Row> perSummary;
  private Map<String, Row> customers;
  private Map<String, Row> segments;
  private Dataset<Row> segmentIntervals;

  private static Row customer(String id, long x, double tx, double age, Double m, String firstDay) {
    LocalDate first = LocalDate.parse(firstDay);
    return RowFactory.create(id, x, tx, age, m, Date.valueOf(first.withDayOfMonth(1)), "organic");
  }

  private static MleResult mle(double[] theta, double[][] logCovariance) {
    int k = theta.length;
    double[][] cov = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        cov[i][j] = logCovariance[i][j] * theta[i] * theta[j];
      }
    }
    return new MleResult(List.of("1", "2", "3", "4").subList(0, k), theta, new double[k], cov, -1, 1, true, false, "test");
  }

  @BeforeAll
  void evaluate() {
    StructType schema = new StructType().add(Columns.CUSTOMER_ID, DataTypes.StringType).add(CustomerSummary.FREQUENCY, DataTypes.LongType)
        .add(CustomerSummary.RECENCY, DataTypes.DoubleType).add(CustomerSummary.AGE, DataTypes.DoubleType)
        .add(CustomerSummary.MONETARY_VALUE, DataTypes.DoubleType).add(CustomerValueTable.COHORT, DataTypes.DateType)
        .add(CustomerValueTable.CHANNEL, DataTypes.StringType);
    summary = spark.createDataFrame(List.of(
        customer("a", 2, 30.43, 38.86, 20.0, "1997-01-01"),
        customer("b", 2, 30.43, 38.86, 55.5, "1997-01-01"),
        customer("c", 5, 25.0, 35.0, 12.0, "1997-02-03"),
        customer("d", 5, 25.0, 35.0, 12.0, "1997-02-03"),
        customer("e", 0, 0.0, 38.0, null, "1997-01-06"),
        customer("f", 1, 2.0, 33.0, 80.0, "1997-02-17"),
        customer("g", 2, 10.0, 38.86, 20.0, "1997-01-20")), schema);
    List<double[]> purchase = ParameterDraws.of(mle(bg.toArray(), new double[][] {
        {0.01, 0, 0, 0}, {0, 0.0064, 0, 0}, {0, 0, 0.0225, 0}, {0, 0, 0, 0.04}}), DRAWS, 1);
    List<double[]> spend = ParameterDraws.of(mle(gg.toArray(), new double[][] {
        {0.0025, 0, 0}, {0, 0.0036, 0.5 * 0.06 * 0.07}, {0, 0.5 * 0.06 * 0.07, 0.0049}}), DRAWS, 2);
    intervals = new ClvIntervals(purchase.stream().map(t -> (PurchaseModel) new BgNbdModel(t[0], t[1], t[2], t[3])).toList(),
        spend.stream().map(t -> new GammaGammaModel(t[0], t[1], t[2])).toList());
    // Read by the customers' and the segments' intervals: computed once.
    Dataset<Row> evaluated = intervals.evaluate(summary, null, config.clv()).localCheckpoint();
    perSummary = ClvIntervals.perSummary(evaluated);
    customers = new HashMap<>();
    // Bounded: seven customers.
    ClvIntervals.withCustomerIntervals(summary, evaluated).collectAsList().forEach(r -> customers.put(r.getAs(Columns.CUSTOMER_ID), r));
    segmentIntervals = intervals.segments(evaluated).localCheckpoint();
    segments = new HashMap<>();
    // Bounded: the overall, two cohorts and one channel.
    segmentIntervals.collectAsList().forEach(r -> segments.put(r.getAs(SegmentValueTable.SEGMENT_TYPE) + "=" + r.getAs(SegmentValueTable.SEGMENT), r));
  }

  /** margin x expected spend x discounted purchases at one draw, written out here (12 months, 10% a year). */
  private static double clv(BgNbdModel m, GammaGammaModel s, double x, double tx, double age, Double spend) {
    double monthly = Math.pow(1.1, 1.0 / 12) - 1;
    double discounted = 0;
    double previous = 0;
    for (int month = 1; month <= 12; month++) {
      double cumulative = m.conditionalExpectedPurchases(month * 365.25 / 12 / 7, x, tx, age);
      discounted += (cumulative - previous) / Math.pow(1 + monthly, month);
      previous = cumulative;
    }
    double expectedSpend = s.p() * (s.v() + (x > 0 ? x * spend : 0)) / (s.p() * x + s.q() - 1);
    return MARGIN * expectedSpend * discounted;
  }

  /** The point value at the estimates: predicted CLV or P(alive). */
  private double point(Row c, boolean clv) {
    long x = c.getAs(CustomerValueTable.FREQUENCY);
    double tx = c.getAs(CustomerValueTable.RECENCY);
    double age = c.getAs(CustomerValueTable.AGE);
    return clv ? clv(bg, gg, x, tx, age, c.getAs(CustomerValueTable.MONETARY_VALUE)) : bg.probabilityAlive(x, tx, age);
  }

  private double[] draws(Row c, boolean clv) {
    double[] out = new double[DRAWS];
    long x = c.getAs(CustomerValueTable.FREQUENCY);
    double tx = c.getAs(CustomerValueTable.RECENCY);
    double age = c.getAs(CustomerValueTable.AGE);
    for (int d = 0; d < DRAWS; d++) {
      BgNbdModel m = (BgNbdModel) intervals.purchase().get(d);
      out[d] = clv ? clv(m, intervals.spend().get(d), x, tx, age, c.getAs(CustomerValueTable.MONETARY_VALUE)) : m.probabilityAlive(x, tx, age);
    }
    return out;
  }

  @Test
  void everyCustomersIntervalHoldsThePointValueAndIsTheDrawsPercentiles() {
    assertEquals(7, customers.size());
    for (Row c : customers.values()) {
      String id = c.getAs(Columns.CUSTOMER_ID);
      double alive = point(c, false);
      double clv = point(c, true);
      double aliveLow = c.getAs(CustomerValueTable.P_ALIVE_LOW);
      double aliveHigh = c.getAs(CustomerValueTable.P_ALIVE_HIGH);
      double clvLow = c.getAs(CustomerValueTable.PREDICTED_CLV_LOW);
      double clvHigh = c.getAs(CustomerValueTable.PREDICTED_CLV_HIGH);
      assertTrue(aliveLow <= alive && alive <= aliveHigh, id + ": " + aliveLow + " <= " + alive + " <= " + aliveHigh);
      assertTrue(clvLow < clv && clv < clvHigh, id + ": " + clvLow + " < " + clv + " < " + clvHigh);
      double[] a = ParameterDraws.percentiles(draws(c, false), SummaryIntervals.LOW, SummaryIntervals.HIGH);
      double[] v = ParameterDraws.percentiles(draws(c, true), SummaryIntervals.LOW, SummaryIntervals.HIGH);
      assertEquals(a[0], aliveLow, 1e-12, id);
      assertEquals(a[1], aliveHigh, 1e-12, id);
      assertEquals(v[0], clvLow, 1e-9 * v[0], id);
      assertEquals(v[1], clvHigh, 1e-9 * v[1], id);
    }
    // Without a repeat purchase BG/NBD has the customer alive for sure, at every draw.
    assertEquals(1.0, customers.get("e").<Double>getAs(CustomerValueTable.P_ALIVE_LOW));
    assertEquals(1.0, customers.get("e").<Double>getAs(CustomerValueTable.P_ALIVE_HIGH));
    // a and b share a summary, not a spend: one P(alive) interval, two CLV intervals.
    assertEquals(customers.get("a").<Double>getAs(CustomerValueTable.P_ALIVE_LOW), customers.get("b").<Double>getAs(CustomerValueTable.P_ALIVE_LOW));
    assertNotEquals(customers.get("a").<Double>getAs(CustomerValueTable.PREDICTED_CLV_LOW), customers.get("b").<Double>getAs(CustomerValueTable.PREDICTED_CLV_LOW));
    assertEquals(5, perSummary.count(), "per distinct (x, t_x, T): a and b share one, c and d another");
    // g has a's x, T and spend but an earlier last purchase: a lower P(alive), so a lower CLV.
    assertTrue(customers.get("g").<Double>getAs(CustomerValueTable.P_ALIVE_HIGH) < customers.get("a").<Double>getAs(CustomerValueTable.P_ALIVE_LOW));
  }

  /** A segment's interval is the percentiles of its per-draw totals, not the sum of its customers' percentiles. */
  @Test
  void segmentIntervalsArePercentilesOfTheDrawsTotals() {
    double[] clv = new double[DRAWS];
    double[] risk = new double[DRAWS];
    double sumOfLows = 0;
    for (Row c : customers.values()) {
      double[] value = draws(c, true);
      double[] alive = draws(c, false);
      for (int d = 0; d < DRAWS; d++) {
        clv[d] += value[d];
        risk[d] += value[d] * (1 - alive[d]);
      }
      sumOfLows += c.<Double>getAs(CustomerValueTable.PREDICTED_CLV_LOW);
    }
    Row all = segments.get("all=all");
    double[] q = ParameterDraws.percentiles(clv, SummaryIntervals.LOW, SummaryIntervals.HIGH);
    double[] r = ParameterDraws.percentiles(risk, SummaryIntervals.LOW, SummaryIntervals.HIGH);
    assertEquals(q[0], all.<Double>getAs(SegmentValueTable.PREDICTED_CLV_LOW), 1e-6);
    assertEquals(q[1], all.<Double>getAs(SegmentValueTable.PREDICTED_CLV_HIGH), 1e-6);
    assertEquals(r[0], all.<Double>getAs(SegmentValueTable.REVENUE_AT_RISK_LOW), 1e-6);
    assertEquals(r[1], all.<Double>getAs(SegmentValueTable.REVENUE_AT_RISK_HIGH), 1e-6);
    // The draws move the customers together, but not in lockstep: the total's 5th percentile is above the sum of theirs.
    assertTrue(q[0] > sumOfLows + 0.1, q[0] + " vs the sum of the customers' 5th percentiles " + sumOfLows);
    assertEquals(List.of("all=all", "channel=organic", "cohort=1997-01-01", "cohort=1997-02-01"), segments.keySet().stream().sorted().toList());
    // Each segment's interval holds its point total (the customers' values summed here).
    for (Row s : segments.values()) {
      String key = s.getAs(SegmentValueTable.SEGMENT_TYPE) + "=" + s.getAs(SegmentValueTable.SEGMENT);
      double total = 0;
      double atRisk = 0;
      for (Row c : customers.values()) {
        String cohort = "cohort=" + c.getAs(CustomerValueTable.COHORT);
        if (key.equals("all=all") || key.equals("channel=organic") || key.equals(cohort)) {
          total += point(c, true);
          atRisk += point(c, true) * (1 - point(c, false));
        }
      }
      assertTrue(s.<Double>getAs(SegmentValueTable.PREDICTED_CLV_LOW) < total && total < s.<Double>getAs(SegmentValueTable.PREDICTED_CLV_HIGH), s + " " + total);
      assertTrue(s.<Double>getAs(SegmentValueTable.REVENUE_AT_RISK_LOW) < atRisk && atRisk < s.<Double>getAs(SegmentValueTable.REVENUE_AT_RISK_HIGH), s + " " + atRisk);
    }
  }

  @Test
  void intervalsNoneLeavesTheColumnsNull() {
    LifecycleConfig none = TestSupport.config("lifecycle.clv.intervals = none");
    assertNull(ClvIntervals.draw(none.clv(), 42, bg, null, null, null));
    Row nulls = ClvIntervals.withCustomerIntervals(summary, null)
        .selectExpr("count(p_alive_low)", "count(p_alive_high)", "count(predicted_clv_low)", "count(predicted_clv_high)", "count(*)").head();
    assertEquals(RowFactory.create(0L, 0L, 0L, 0L, 7L), nulls);
    Row segment = ClvIntervals.withSegmentIntervals(segmentIntervals.select(SegmentValueTable.SEGMENT_TYPE, SegmentValueTable.SEGMENT), null)
        .selectExpr("count(predicted_clv_total_low) + count(predicted_clv_total_high) + count(revenue_at_risk_low) + count(revenue_at_risk_high)", "count(*)").head();
    assertEquals(RowFactory.create(0L, 4L), segment);
  }
}
