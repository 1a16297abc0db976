package io.lifecycle.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lifecycle.SharedSpark;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Row;

/** A model_metrics table's non-null values by "model/metric", for the tests that assert on them. */
final class MetricValues {
  private final Map<String, Double> values = new HashMap<>();

  /** Reads the table at {@code table}: a few hundred metric rows, bounded. */
  MetricValues(Path table) {
    for (Row r : SharedSpark.get().read().format("delta").load(table.toString()).collectAsList()) {
      if (!r.isNullAt(r.fieldIndex("value"))) {
        values.put(r.<String>getAs("model") + "/" + r.<String>getAs("metric"), r.<Double>getAs("value"));
      }
    }
  }

  double get(String model, String metric) {
    assertTrue(values.containsKey(model + "/" + metric), "missing " + model + "/" + metric + " in " + values.keySet());
    return values.get(model + "/" + metric);
  }
}
