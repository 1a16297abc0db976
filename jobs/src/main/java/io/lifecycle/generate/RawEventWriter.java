package io.lifecycle.generate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Writes generated events (csv with a header, json lines or parquet), and beside them the ground truth,
 * the customers' properties and, with a positive anonymous share, the identity truth (csv).
 */
public final class RawEventWriter {
  public static final String GROUND_TRUTH = "_ground_truth";
  /** The customers' properties (country, plan), for input.customer_properties. */
  public static final String CUSTOMER_PROPERTIES = "_customer_properties";
  /** Each person's customer and anonymous ids, the answer identity stitching should find. */
  public static final String IDENTITY_TRUTH = "_identity_truth";

  private RawEventWriter() {}

  public static void write(SparkSession spark, GeneratorSettings settings, String path, String format) {
    Dataset<Row> events = SyntheticEventGenerator.events(spark, settings);
    var writer = events.write().mode(SaveMode.Overwrite);
    switch (format) {
      case "csv" -> writer.option("header", "true").csv(path);
      case "json" -> writer.json(path);
      case "parquet" -> writer.parquet(path);
      default -> throw new IllegalArgumentException("unknown format " + format);
    }
    // Spark skips folders starting with '_' when reading the events back.
    SyntheticEventGenerator.groundTruth(spark, settings).coalesce(1)
        .write().mode(SaveMode.Overwrite).option("header", "true").csv(path + "/" + GROUND_TRUTH);
    SyntheticEventGenerator.customerProperties(spark, settings).coalesce(1)
        .write().mode(SaveMode.Overwrite).option("header", "true").csv(path + "/" + CUSTOMER_PROPERTIES);
    if (settings.anonymousIds()) {
      SyntheticEventGenerator.identityTruth(spark, settings).coalesce(1)
          .write().mode(SaveMode.Overwrite).option("header", "true").csv(path + "/" + IDENTITY_TRUTH);
    }
  }
}
