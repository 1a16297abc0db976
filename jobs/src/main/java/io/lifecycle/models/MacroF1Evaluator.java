package io.lifecycle.models;

import static org.apache.spark.sql.functions.col;

import io.lifecycle.tables.ModelMetricsTable;
import org.apache.spark.ml.evaluation.Evaluator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.Dataset;

/**
 * Macro-averaged F1 of predicted against actual classes, unweighted, for the grid search of the
 * next-stage model: the measure {@code model_metrics} reports and compares with the baselines
 * ({@link Evaluation#multiclass}), where MLlib's own F1 weights each class by its frequency and so
 * favours the common stages that the class weights train against.
 */
final class MacroF1Evaluator extends Evaluator {
  private final String uid = Identifiable.randomUID("macroF1");
  private final String label;
  private final String prediction;

  /** Over the numeric class indices in {@code label} and {@code prediction}. */
  MacroF1Evaluator(String label, String prediction) {
    this.label = label;
    this.prediction = prediction;
  }

  @Override
  public double evaluate(Dataset<?> dataset) {
    return Evaluation.multiclass(dataset.select(col(label).cast("string").as("a"), col(prediction).cast("string").as("p")), "a", "p")
        .get(ModelMetricsTable.MACRO_F1);
  }

  @Override
  public boolean isLargerBetter() {
    return true;
  }

  @Override
  public Evaluator copy(ParamMap extra) {
    return this;
  }

  @Override
  public String uid() {
    return uid;
  }
}
