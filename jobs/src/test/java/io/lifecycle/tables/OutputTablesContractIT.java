package io.lifecycle.tables;

import static org.junit.jupiter.api.Assertions.*;

import io.delta.tables.DeltaTable;
import io.lifecycle.SampleRun;
import io.lifecycle.SharedSpark;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Steps;
import java.io.File;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on the committed sample (the README's first command in a fresh clone), checked as
 * BI users depend on it: every table's real schema equals its definition (with comments), readers other
 * than Spark (Delta Kernel) see the same rows, the protocol stays readable by conservative readers, a
 * rerun of the same date gives the same tables, and a run for another date keeps the first date's
 * per-date slices. The reruns happen on a copy of the output, so the first run's tables stay as they
 * were for the other tests that read them.
 */
class OutputTablesContractIT {
  static SparkSession spark;
  static Path out;
  static final LocalDate RUN_DATE = SampleRun.RUN_DATE;
  private static Path rerun;

  @BeforeAll
  static void runPipeline() {
    spark = SharedSpark.get();
    out = SampleRun.output();
  }

  private static String path(TableDef t) {
    return path(out, t);
  }

  private static String path(Path root, TableDef t) {
    return root.resolve(t.name()).toString();
  }

  /**
   * A copy of the first run's output after a rerun of the same date on it (registering its tables in
   * the catalog, {@link SampleRun#DATABASE}): what a scheduler's retry of the day does.
   */
  private static synchronized Path rerun() throws java.io.IOException {
    if (rerun == null) {
      Path copy = java.nio.file.Files.createTempDirectory("lifecycle-rerun").resolve("warehouse");
      try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(out)) {
        for (Path p : files.toList()) {
          Path to = copy.resolve(out.relativize(p).toString());
          if (java.nio.file.Files.isDirectory(p)) {
            java.nio.file.Files.createDirectories(to);
          } else {
            java.nio.file.Files.copy(p, to);
          }
        }
      }
      Steps.standard().run(new RunContext(spark, SampleRun.config(copy), RUN_DATE), List.of());
      rerun = copy;
    }
    return rerun;
  }

  private static List<TableDef> written() {
    return Tables.all().stream().filter(t -> new File(path(t), "_delta_log").isDirectory()).toList();
  }

  @Test
  void everyTableIsWrittenWithItsContractSchemaAndComments() {
    List<String> missing = new ArrayList<>();
    for (TableDef t : Tables.all()) {
      if (!new File(path(t), "_delta_log").isDirectory() && !t.name().equals("benchmarks")) {
        missing.add(t.name());
      }
    }
    assertEquals(List.of(), missing, "tables a default run did not write");
    for (TableDef t : written()) {
      Dataset<Row> df = spark.read().format("delta").load(path(t));
      List<String> actual = Arrays.stream(df.schema().fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList();
      List<String> expected = t.columns().stream().map(c -> c.name() + " " + c.type().simpleString()).toList();
      assertEquals(expected, actual, "schema of " + t.name());
      for (StructField f : df.schema().fields()) {
        assertTrue(f.getComment().isDefined(), t.name() + "." + f.name() + " has no comment in Delta");
      }
      Row detail = DeltaTable.forPath(spark, path(t)).detail().head();
      assertEquals(t.comment(), detail.getAs("description"), "table comment of " + t.name());
      assertTrue(detail.<Integer>getAs("minReaderVersion") <= 2, t.name() + " needs a reader newer than protocol 2");
    }
  }

  @Test
  void deltaKernelReadsEveryTableLikeSpark() throws Exception {
    KernelTableReader kernel = new KernelTableReader();
    for (TableDef t : written()) {
      Dataset<Row> df = spark.read().format("delta").load(path(t));
      List<String> sparkColumns = Arrays.stream(df.schema().fields()).map(f -> f.name() + " " + f.dataType().simpleString().replace(", ", ",")).toList();
      assertEquals(sparkColumns, kernel.columns(path(t)), "schema seen by Kernel for " + t.name());
      assertEquals(df.count(), kernel.countRows(path(t)), "rows seen by Kernel for " + t.name());
    }
  }

  @Test
  void tablesAreRegisteredInTheCatalog() throws Exception {
    Path registered = rerun();
    for (TableDef t : written()) {
      assertEquals(spark.read().format("delta").load(path(registered, t)).count(),
          spark.sql("SELECT * FROM " + SampleRun.DATABASE + "." + t.name()).count(), t.name());
    }
  }

  @Test
  void rerunOfTheSameDateGivesTheSameTablesAndAnotherDateKeepsBoth() throws Exception {
    List<TableDef> compared = written().stream().filter(t -> t.writeMode() != WriteMode.APPEND).toList();
    Path copy = rerun();
    for (int i = 0; i < compared.size(); i++) {
      TableDef t = compared.get(i);
      Dataset<Row> after = comparable(spark.read().format("delta").load(path(copy, t)).drop(volatileColumns(t)));
      Dataset<Row> b = comparable(spark.read().format("delta").load(path(t)).drop(volatileColumns(t)));
      if (MODEL_OUTPUTS.contains(t.name())) {
        // Retrained models are compared by their rows' keys: tree ensembles are not guaranteed to be
        // bit-for-bit identical across runs, the rows a rerun replaces must be.
        String[] keys = MODEL_KEYS.get(t.name());
        after = after.select(keys[0], java.util.Arrays.copyOfRange(keys, 1, keys.length));
        b = b.select(keys[0], java.util.Arrays.copyOfRange(keys, 1, keys.length));
        if (t.name().equals("model_metrics")) {
          // Which confusion cells are non-empty depends on the predictions themselves.
          after = after.where("metric not like 'confusion:%'");
          b = b.where("metric not like 'confusion:%'");
        }
      }
      assertEquals(b.count(), after.count(), "rows of " + t.name() + " after a rerun");
      assertEquals(0, b.exceptAll(after).count(), t.name() + " changed on rerun");
      assertEquals(0, after.exceptAll(b).count(), t.name() + " changed on rerun");
    }
    // The next date's run (scoring with the saved models): the per-date tables it writes keep both dates.
    Steps.standard().run(new RunContext(spark, SampleRun.config(copy), RUN_DATE.plusDays(1)), List.of("clv", "score"));
    for (TableDef t : compared) {
      if (t.writeMode() == WriteMode.REPLACE_RUN_DATE && !t.name().equals("events_quarantine") && !t.name().startsWith("model_")) {
        Dataset<Row> df = spark.read().format("delta").load(path(copy, t));
        assertTrue(df.where(t.runDateColumn() + " = DATE'" + RUN_DATE + "'").count() > 0, t.name() + " lost the first date");
        assertTrue(df.where(t.runDateColumn() + " = DATE'" + RUN_DATE.plusDays(1) + "'").count() > 0, t.name() + " lacks the second date");
      }
    }
  }

  static final java.util.Set<String> MODEL_OUTPUTS =
      java.util.Set.of("model_metrics", "model_features", "churn_predictions", "next_stage_predictions");
  static final java.util.Map<String, String[]> MODEL_KEYS = java.util.Map.of(
      "model_metrics", new String[] {"run_date", "task", "model", "metric"},
      "model_features", new String[] {"run_date", "model", "feature"},
      "churn_predictions", new String[] {"run_date", "customer_id", "model_version"},
      "next_stage_predictions", new String[] {"run_date", "customer_id", "current_stage", "model_version"});

  /** Set operations cannot compare maps: each map becomes its entries, sorted by key. */
  private static Dataset<Row> comparable(Dataset<Row> df) {
    for (StructField f : df.schema().fields()) {
      if (f.dataType() instanceof org.apache.spark.sql.types.MapType) {
        df = df.withColumn(f.name(), org.apache.spark.sql.functions.array_sort(org.apache.spark.sql.functions.map_entries(
            org.apache.spark.sql.functions.col(f.name()))));
      }
    }
    return df;
  }

  /** Columns that legitimately differ between two runs of the same date (wall-clock timings). */
  private static String[] volatileColumns(TableDef t) {
    return t.columns().stream().map(ColumnDef::name)
        .filter(n -> n.equals("scored_at") || n.equals("fit_seconds") || n.equals("trained_at"))
        .toArray(String[]::new);
  }
}
