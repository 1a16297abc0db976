package io.lifecycle.models;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The next-stage search's measure: every class counts the same, unlike MLlib's frequency-weighted F1. */
class MacroF1EvaluatorTest {
  @Test
  void averagesTheClassesF1WithEqualWeight() {
    double[] actual = {0, 0, 0, 1, 1, 2};
    double[] predicted = {0, 0, 1, 1, 1, 0};
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < actual.length; i++) {
      rows.add(RowFactory.create(actual[i], predicted[i]));
    }
    Dataset<Row> scored = SharedSpark.get().createDataFrame(rows,
        new StructType().add("label", DataTypes.DoubleType).add("prediction", DataTypes.DoubleType));
    // Class 0: 2 right, 1 false alarm, 1 missed: F1 4/6. Class 1: 2 right, 1 false alarm: 4/5. Class 2: 0.
    MacroF1Evaluator macro = new MacroF1Evaluator("label", "prediction");
    assertEquals((4.0 / 6 + 4.0 / 5 + 0) / 3, macro.evaluate(scored), 1e-12);
    assertTrue(macro.isLargerBetter());
    // MLlib's F1 weights the classes by their frequency (3, 2 and 1 of 6 rows): the common ones count more.
    assertEquals((3 * 4.0 / 6 + 2 * 4.0 / 5) / 6,
        new MulticlassClassificationEvaluator().setMetricName("f1").evaluate(scored), 1e-12);
  }
}
