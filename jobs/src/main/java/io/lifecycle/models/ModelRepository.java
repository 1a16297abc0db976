package io.lifecycle.models;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Trained pipelines under {@code <output root>/models/<name>/<version>}. A version is named after the
 * run date that trained it ({@code v20260101}), so retraining the same date replaces it and the latest
 * version is the newest date.
 */
public final class ModelRepository {
  private final SparkSession spark;
  private final String root;

  public ModelRepository(SparkSession spark, String outputRoot) {
    this.spark = spark;
    this.root = io.lifecycle.io.Locations.child(outputRoot, "models");
  }

  public void save(String name, String version, PipelineModel model) {
    try {
      model.write().overwrite().save(root + "/" + name + "/" + version);
    } catch (IOException e) {
      throw new LifecycleException(ExitCode.FAILURE, "cannot save model " + name + " " + version + ": " + e.getMessage(), e);
    }
  }

  /** Loads a named version, or the latest when {@code version} is null; a clear error when there is none. */
  public Loaded load(String name, String version) {
    String chosen = version != null ? version : latest(name).orElseThrow(() -> new LifecycleException(ExitCode.USAGE_OR_CONFIG,
        "No trained " + name + " model under " + root + "/" + name + ": run the train step first (--steps train,score)"));
    String path = root + "/" + name + "/" + chosen;
    try {
      return new Loaded(chosen, PipelineModel.load(path));
    } catch (RuntimeException e) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Cannot load model " + name + " version " + chosen + " from " + path
          + ": " + e.getMessage(), e);
    }
  }

  public Optional<String> latest(String name) {
    try {
      Path dir = new Path(root, name);
      FileSystem fs = dir.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      return Arrays.stream(fs.listStatus(dir)).filter(FileStatus::isDirectory).map(s -> s.getPath().getName())
          .filter(n -> n.matches("v\\d{8}")).max(Comparator.naturalOrder());
    } catch (IOException e) {
      throw new LifecycleException(ExitCode.FAILURE, "cannot list models under " + root + ": " + e.getMessage(), e);
    }
  }

  public record Loaded(String version, PipelineModel model) {}

  /** Where a model version keeps the distribution of its training data (beside the pipeline's own folders). */
  private String referencePath(String name, String version) {
    return root + "/" + name + "/" + version + "/drift_reference";
  }

  private static final org.apache.spark.sql.types.StructType REFERENCE_SCHEMA = new org.apache.spark.sql.types.StructType()
      .add("column", org.apache.spark.sql.types.DataTypes.StringType, false)
      .add("cuts", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.DoubleType), false)
      .add("shares", org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.DoubleType), false);

  /** Saves the training distribution of a saved version ({@link PopulationStability}): a few rows, one file. */
  public void saveReference(String name, String version, List<PopulationStability.Reference> reference) {
    List<Row> rows = reference.stream().map(r -> RowFactory.create(r.column(),
        Arrays.stream(r.cuts()).boxed().toList(), Arrays.stream(r.shares()).boxed().toList())).toList();
    spark.createDataFrame(rows, REFERENCE_SCHEMA).coalesce(1).write().mode("overwrite").parquet(referencePath(name, version));
  }

  /** The training distribution saved with a version; empty for a version trained before it was kept. */
  public Optional<List<PopulationStability.Reference>> reference(String name, String version) {
    String path = referencePath(name, version);
    try {
      Path p = new Path(path);
      if (!p.getFileSystem(spark.sessionState().newHadoopConf()).exists(p)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      throw new LifecycleException(ExitCode.FAILURE, "cannot read " + path + ": " + e.getMessage(), e);
    }
    // Bounded: a row per numeric feature.
    List<PopulationStability.Reference> out = new java.util.ArrayList<>();
    for (Row r : spark.read().schema(REFERENCE_SCHEMA).parquet(path).collectAsList()) {
      out.add(new PopulationStability.Reference(r.getString(0), doubles(r.getList(1)), doubles(r.getList(2))));
    }
    out.sort(Comparator.comparing(PopulationStability.Reference::column));
    return Optional.of(out);
  }

  private static double[] doubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
