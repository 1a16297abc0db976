package io.lifecycle.stats;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.tables.ClvModelsTable;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.GammaGammaModel;
import io.lifecycle.stats.MleResult;
import io.lifecycle.stats.ModelFit;
import io.lifecycle.stats.ParetoNbdModel;
import io.lifecycle.stats.RfmSummary;
import io.lifecycle.stats.SpendSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits the CLV models at Spark scale. The likelihoods depend on a customer only through (x, t_x, T), or
 * (x, mean spend) for Gamma-Gamma, so Spark first aggregates customers to distinct summaries with counts
 * and only that compressed table reaches the driver, where the optimizer runs. Mean spend is rounded to
 * four significant digits for the compression (a relative change below 0.05%, far inside the estimates'
 * standard errors).
 */
public final class ModelFits {
  private static final Logger LOG = LoggerFactory.getLogger(ModelFits.class);

  /** One fit with what it ran on. */
  public record Fit<M>(String model, ModelFit<M> fit, long customers, long distinct, double seconds) {
    public MleResult mle() {
      return fit.mle();
    }

    public boolean usable() {
      return fit.model() != null && fit.converged() && !fit.mle().atBoundary();
    }
  }

  /**
   * Key under which the clv step keeps its BG/NBD fit on every customer's purchases before the run date
   * for the rest of the run (RunContext's remember): the score step's churn signals need that same fit.
   */
  public static final String BG_NBD_AT_RUN_DATE = "bg_nbd_at_run_date";

  private ModelFits() {}

  /**
   * Distinct (x, t_x, T) with counts: bounded by the distinct summaries, not by customers. In a fixed
   * order, so the likelihood sums its terms in the same order whatever order Spark's rows come in, and
   * the same customers always give the same fit: sorted here, as they are collected anyway (a Spark sort
   * costs a sampling job and a second shuffle).
   */
  public static RfmSummary triples(Dataset<Row> summary) {
    return rfm(sorted(summary.groupBy(CustomerSummary.FREQUENCY, CustomerSummary.RECENCY, CustomerSummary.AGE).count()
        .collectAsList(), 3));
  }

  /**
   * {@link #triples} per value of {@code key} (a string column with few values, the caller's to cap), from
   * one aggregation: keyed in name order, each key's triples in the fixed order.
   */
  public static java.util.Map<String, RfmSummary> triplesBy(Dataset<Row> summary, Column key) {
    java.util.Map<String, List<Row>> byKey = new java.util.TreeMap<>();
    // Bounded: distinct (key, x, t_x, T), the keys few.
    for (Row r : summary.groupBy(key.as("_key"), col(CustomerSummary.FREQUENCY), col(CustomerSummary.RECENCY), col(CustomerSummary.AGE))
        .count().collectAsList()) {
      byKey.computeIfAbsent(r.getString(0), k -> new ArrayList<>())
          .add(org.apache.spark.sql.RowFactory.create(r.getLong(1), r.getDouble(2), r.getDouble(3), r.getLong(4)));
    }
    java.util.Map<String, RfmSummary> out = new java.util.TreeMap<>();
    byKey.forEach((k, rows) -> out.put(k, rfm(sorted(rows, 3))));
    return out;
  }

  /** Rows of (x, t_x, T, count) as the likelihoods' input. */
  private static RfmSummary rfm(List<Row> rows) {
    double[] x = new double[rows.size()];
    double[] tx = new double[rows.size()];
    double[] age = new double[rows.size()];
    double[] w = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      x[i] = r.getLong(0);
      tx[i] = r.getDouble(1);
      age[i] = r.getDouble(2);
      w[i] = r.getLong(3);
    }
    return RfmSummary.of(x, tx, age, w);
  }

  /** Distinct (x, mean spend) of repeat customers, mean spend at four significant digits, in a fixed order. */
  public static SpendSummary spends(Dataset<Row> summary) {
    Column m = col(CustomerSummary.MONETARY_VALUE);
    Column magnitude = pow(lit(10.0), floor(log10(m)).minus(3));
    // Bounded: distinct (x, spend to four significant digits), not customers.
    List<Row> rows = sorted(summary.where(col(CustomerSummary.FREQUENCY).gt(0).and(m.gt(0)))
        .groupBy(col(CustomerSummary.FREQUENCY), round(m.divide(magnitude)).multiply(magnitude).as("_m"))
        .count().collectAsList(), 2);
    double[] x = new double[rows.size()];
    double[] mbar = new double[rows.size()];
    double[] w = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      x[i] = rows.get(i).getLong(0);
      mbar[i] = rows.get(i).getDouble(1);
      w[i] = rows.get(i).getLong(2);
    }
    return SpendSummary.of(x, mbar, w);
  }

  /** Rows of a long then doubles, in ascending order of their first {@code keys} columns (all distinct, none null). */
  private static List<Row> sorted(List<Row> rows, int keys) {
    Comparator<Row> order = Comparator.comparingLong(r -> r.getLong(0));
    for (int i = 1; i < keys; i++) {
      int k = i;
      order = order.thenComparingDouble(r -> r.getDouble(k));
    }
    List<Row> out = new ArrayList<>(rows);
    out.sort(order);
    return out;
  }

  public static Fit<BgNbdModel> bgNbd(RfmSummary data) {
    long t0 = System.nanoTime();
    ModelFit<BgNbdModel> fit = BgNbdModel.fit(data);
    return log(new Fit<>(ClvModelsTable.BG_NBD, fit, (long) data.totalWeight(), data.size(), (System.nanoTime() - t0) / 1e9));
  }

  public static Fit<ParetoNbdModel> paretoNbd(RfmSummary data) {
    long t0 = System.nanoTime();
    ModelFit<ParetoNbdModel> fit = ParetoNbdModel.fit(data);
    return log(new Fit<>(ClvModelsTable.PARETO_NBD, fit, (long) data.totalWeight(), data.size(), (System.nanoTime() - t0) / 1e9));
  }

  public static Fit<GammaGammaModel> gammaGamma(SpendSummary data) {
    long t0 = System.nanoTime();
    ModelFit<GammaGammaModel> fit = GammaGammaModel.fit(data);
    return log(new Fit<>(ClvModelsTable.GAMMA_GAMMA, fit, (long) data.totalWeight(), data.size(), (System.nanoTime() - t0) / 1e9));
  }

  private static <M> Fit<M> log(Fit<M> f) {
    if (f.usable()) {
      LOG.info("{} fit on {} customers ({} distinct summaries) in {} s: {}", f.model(), f.customers(), f.distinct(),
          String.format("%.2f", f.seconds()), f.fit().model());
    } else {
      LOG.warn("{} fit is not usable (converged {}, at boundary {}): {}", f.model(), f.fit().converged(),
          f.mle().atBoundary(), f.mle().message());
    }
    return f;
  }
}
