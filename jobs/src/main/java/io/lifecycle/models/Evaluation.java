package io.lifecycle.models;

import io.lifecycle.tables.ModelMetricsTable;
import static org.apache.spark.sql.functions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.feature.QuantileDiscretizer;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple3;

/**
 * Evaluation numbers on held-out rows, the same for a model and for its baselines so they compare
 * fairly. Only aggregates reach the driver (a few numbers per metric).
 */
public final class Evaluation {
  private Evaluation() {}

  /**
   * Binary metrics of a score against a 0/1 label. {@code probability} is true when the score is a
   * calibrated probability (then log loss, Brier and calibration are defined); a ranking-only score
   * (recency in days) gets the ranking metrics.
   */
  public static Map<String, Double> binary(Dataset<Row> scored, String label, String score, boolean probability) {
    Map<String, Double> m = new LinkedHashMap<>();
    Dataset<Row> s = scored.select(col(label).cast("double").as("y"), col(score).cast("double").as("p")).where(col("p").isNotNull()).cache();
    try {
      // Both areas from one curve: what BinaryClassificationEvaluator computes (its default 1,000 bins, unit
      // weights), which builds the curve again for each metric.
      BinaryClassificationMetrics curve = new BinaryClassificationMetrics(
          s.javaRDD().map(r -> new Tuple3<Object, Object, Object>(r.getDouble(1), r.getDouble(0), 1.0)).rdd(), 1000);
      try {
        m.put(ModelMetricsTable.AUC_ROC, curve.areaUnderROC());
        m.put(ModelMetricsTable.AUC_PR, curve.areaUnderPR());
      } finally {
        curve.unpersist();
      }
      // The counts and, for a probability, the losses in one pass.
      Column p = least(greatest(col("p"), lit(1e-15)), lit(1 - 1e-15));
      Row base = s.agg(count(lit(1)), avg("y"), expr("percentile_approx(p, 0.9, 10000)"),
          avg(col("y").multiply(log(p)).plus(lit(1).minus(col("y")).multiply(log(lit(1).minus(p)))).multiply(-1)),
          avg(pow(col("p").minus(col("y")), 2))).head();
      double rate = base.getDouble(1);
      m.put(ModelMetricsTable.TEST_ROWS, (double) base.getLong(0));
      m.put(ModelMetricsTable.POSITIVE_RATE, rate);
      double top = s.where(col("p").geq(base.getDouble(2))).agg(avg("y")).head().getDouble(0);
      m.put(ModelMetricsTable.LIFT_TOP_DECILE, rate > 0 ? top / rate : Double.NaN);
      m.putAll(rocPoints(s));
      if (probability) {
        m.put(ModelMetricsTable.LOG_LOSS, base.getDouble(3));
        m.put(ModelMetricsTable.BRIER, base.getDouble(4));
        Dataset<Row> deciles = new QuantileDiscretizer().setInputCol("p").setOutputCol("decile").setNumBuckets(10)
            .setRelativeError(0.001).fit(s).transform(s);
        // Bounded: ten deciles.
        for (Row d : deciles.groupBy("decile").agg(avg("p"), avg("y")).orderBy("decile").collectAsList()) {
          int k = (int) d.getDouble(0) + 1;
          m.put(ModelMetricsTable.calibrationPredicted(k), d.getDouble(1));
          m.put(ModelMetricsTable.calibrationObserved(k), d.getDouble(2));
        }
      }
    } finally {
      s.unpersist();
    }
    return m;
  }

  /** Points of the ROC curve: {@value #ROC_POINTS} + 1, from (0, 0) to (1, 1). */
  public static final int ROC_POINTS = ModelMetricsTable.ROC_POINTS;

  /**
   * The ROC curve at fixed score quantiles (thresholds at the 95th, 90th, ... 5th percentile of the
   * score), so every model and baseline gets the same number of points whatever its score's ties:
   * {@code roc_fpr_K} and {@code roc_tpr_K} for K = 0 (nobody flagged) to {@value #ROC_POINTS} (everybody).
   * Two passes over the rows; one aggregate row reaches the driver.
   */
  static Map<String, Double> rocPoints(Dataset<Row> s) {
    double[] levels = new double[ROC_POINTS - 1];
    for (int k = 1; k < ROC_POINTS; k++) {
      levels[k - 1] = 1.0 - (double) k / ROC_POINTS;
    }
    double[] thresholds = s.stat().approxQuantile("p", levels, 0.001);
    List<Column> sums = new ArrayList<>();
    sums.add(sum(col("y")));
    sums.add(sum(lit(1.0).minus(col("y"))));
    for (double t : thresholds) {
      sums.add(sum(when(col("p").geq(t), col("y")).otherwise(0.0)));
      sums.add(sum(when(col("p").geq(t), lit(1.0).minus(col("y"))).otherwise(0.0)));
    }
    Row r = s.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).head();
    double positives = r.isNullAt(0) ? 0 : r.getDouble(0);
    double negatives = r.isNullAt(1) ? 0 : r.getDouble(1);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put(ModelMetricsTable.rocFpr(0), 0.0);
    m.put(ModelMetricsTable.rocTpr(0), 0.0);
    for (int k = 1; k < ROC_POINTS; k++) {
      double tp = r.isNullAt(2 * k) ? 0 : r.getDouble(2 * k);
      double fp = r.isNullAt(2 * k + 1) ? 0 : r.getDouble(2 * k + 1);
      m.put(ModelMetricsTable.rocFpr(k), negatives > 0 ? fp / negatives : Double.NaN);
      m.put(ModelMetricsTable.rocTpr(k), positives > 0 ? tp / positives : Double.NaN);
    }
    m.put(ModelMetricsTable.rocFpr(ROC_POINTS), 1.0);
    m.put(ModelMetricsTable.rocTpr(ROC_POINTS), 1.0);
    return m;
  }

  /** Accuracy, macro-F1 and the confusion matrix of predicted against actual classes. */
  public static Map<String, Double> multiclass(Dataset<Row> scored, String label, String predicted) {
    Map<String, Double> m = new LinkedHashMap<>();
    // One row per (actual, predicted) pair: bounded by the number of stages squared.
    List<Row> confusion = scored.groupBy(col(label).as("a"), col(predicted).as("p")).count().collectAsList();
    Map<String, long[]> perClass = new LinkedHashMap<>(); // tp, fp, fn
    long total = 0;
    long correct = 0;
    List<String> cells = new ArrayList<>();
    for (Row r : confusion) {
      String a = r.getString(0);
      String p = r.getString(1);
      long n = r.getLong(2);
      total += n;
      perClass.computeIfAbsent(a, k -> new long[3]);
      perClass.computeIfAbsent(p, k -> new long[3]);
      if (a.equals(p)) {
        correct += n;
        perClass.get(a)[0] += n;
      } else {
        perClass.get(p)[1] += n;
        perClass.get(a)[2] += n;
      }
      cells.add(a + ">" + p);
      m.put(ModelMetricsTable.confusion(a, p), (double) n);
    }
    double f1Sum = 0;
    for (long[] c : perClass.values()) {
      f1Sum += (2.0 * c[0] + c[1] + c[2]) == 0 ? 0 : 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
    }
    m.put(ModelMetricsTable.ACCURACY, total == 0 ? Double.NaN : (double) correct / total);
    m.put(ModelMetricsTable.MACRO_F1, perClass.isEmpty() ? Double.NaN : f1Sum / perClass.size());
    m.put(ModelMetricsTable.TEST_ROWS, (double) total);
    return m;
  }
}
