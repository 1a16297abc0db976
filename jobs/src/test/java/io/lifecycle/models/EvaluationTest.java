package io.lifecycle.models;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The ROC points written to model_metrics. */
class EvaluationTest {
  static final StructType SCHEMA = new StructType().add("y", DataTypes.DoubleType).add("p", DataTypes.DoubleType);

  static Dataset<Row> scores(double[] y, double[] p) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < y.length; i++) {
      rows.add(RowFactory.create(y[i], p[i]));
    }
    return SharedSpark.get().createDataFrame(rows, SCHEMA);
  }

  @Test
  void rocRunsFromNobodyToEverybodyFlaggedAndIsMonotone() {
    // 20 customers: the 5 churners score highest, so a perfect ranking.
    double[] y = new double[20];
    double[] p = new double[20];
    for (int i = 0; i < 20; i++) {
      p[i] = (20 - i) / 20.0;
      y[i] = i < 5 ? 1 : 0;
    }
    Map<String, Double> roc = Evaluation.rocPoints(scores(y, p));
    assertEquals(2 * (Evaluation.ROC_POINTS + 1), roc.size());
    assertEquals(0.0, roc.get("roc_fpr_0"));
    assertEquals(0.0, roc.get("roc_tpr_0"));
    assertEquals(1.0, roc.get("roc_fpr_20"));
    assertEquals(1.0, roc.get("roc_tpr_20"));
    for (int k = 1; k <= Evaluation.ROC_POINTS; k++) {
      assertTrue(roc.get("roc_fpr_" + k) >= roc.get("roc_fpr_" + (k - 1)), "fpr not monotone at " + k);
      assertTrue(roc.get("roc_tpr_" + k) >= roc.get("roc_tpr_" + (k - 1)), "tpr not monotone at " + k);
    }
    // Flagging the top quarter (K = 5: scores at or above the 75th percentile) finds every churner and no one else.
    assertEquals(1.0, roc.get("roc_tpr_5"), 1e-9);
    assertEquals(0.0, roc.get("roc_fpr_4"), 1e-9);
  }

  @Test
  void bothAreasAreThoseOfSparksEvaluatorAndTheLossesThoseOfTheirFormulas() {
    // Ties and mis-ranked pairs, so the two curves are not trivial.
    double[] y = {1, 0, 1, 0, 0, 1, 0, 0};
    double[] p = {0.9, 0.8, 0.8, 0.4, 0.3, 0.3, 0.2, 0.1};
    Dataset<Row> s = scores(y, p);
    Map<String, Double> m = Evaluation.binary(s, "y", "p", true);
    org.apache.spark.ml.evaluation.BinaryClassificationEvaluator e =
        new org.apache.spark.ml.evaluation.BinaryClassificationEvaluator().setLabelCol("y").setRawPredictionCol("p");
    assertEquals(e.setMetricName("areaUnderROC").evaluate(s), m.get("auc_roc"), 0.0);
    assertEquals(e.setMetricName("areaUnderPR").evaluate(s), m.get("auc_pr"), 0.0);
    // 15 pairs of a churner and a stayer: 11 ranked right, 2 tied (half each), 2 wrong.
    assertEquals(12.0 / 15, m.get("auc_roc"), 1e-12);
    double logLoss = 0;
    double brier = 0;
    for (int i = 0; i < y.length; i++) {
      logLoss -= y[i] * Math.log(p[i]) + (1 - y[i]) * Math.log(1 - p[i]);
      brier += (p[i] - y[i]) * (p[i] - y[i]);
    }
    assertEquals(logLoss / y.length, m.get("log_loss"), 1e-12);
    assertEquals(brier / y.length, m.get("brier"), 1e-12);
    assertEquals(8.0, m.get("test_rows"));
    assertEquals(3.0 / 8, m.get("positive_rate"), 1e-12);
  }
}
