package io.lifecycle.ingest;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig.Field;
import io.lifecycle.config.LifecycleConfig.Input;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads raw events in any supported format (text, CSV, JSON lines, Parquet, Delta) into the uniform raw
 * frame ({@link RawColumns}, mapped by {@link RawColumnMapping}), keeping every row: rows the format
 * cannot parse are flagged malformed with their raw text, never dropped. Schemas are never inferred
 * from data: text formats are read as strings, so a bad value becomes a quarantine reason instead of a
 * failed or silently nulled column. Spark's read failures become the user's errors ({@link InputFailures}).
 */
public final class RawEventReader {
  /** Raw records longer than this are cut in quarantine (the reason names the field anyway). */
  static final int MAX_RECORD_CHARS = 10_000;

  private final SparkSession spark;
  private final Input input;
  private final RawColumnMapping columns;

  public RawEventReader(SparkSession spark, Input input) {
    this.spark = spark;
    this.input = input;
    this.columns = new RawColumnMapping(input);
  }

  public Dataset<Row> read() {
    String path = input.path();
    if (path == null || path.isBlank()) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "No input path: set lifecycle.input.path or pass --input");
    }
    requireExists(path);
    return switch (input.format()) {
      case TEXT -> readText(path);
      case CSV -> readCsv(path);
      case JSON -> readJson(path);
      case PARQUET -> columns.fromTyped(typed(path, "parquet"));
      case DELTA -> columns.fromTyped(typed(path, "delta"));
    };
  }

  /** Input files Spark skipped as unreadable ({@code ignoreCorruptFiles}), to quarantine; empty otherwise. */
  public List<String> unreadableFiles(Dataset<Row> raw, Set<String> filesWithRows) {
    return skipsCorruptFiles() ? UnreadableFiles.among(spark, input, raw, filesWithRows) : List.of();
  }

  /** Parquet or Delta; a folder without a data file has no schema to read, which is empty input. */
  private Dataset<Row> typed(String path, String format) {
    try {
      return spark.read().options(input.options()).format(format).load(path);
    } catch (Exception e) { // Spark's AnalysisException (checked, thrown from Scala)
      if (InputFailures.noSchema(e) && format.equals("parquet") && skipsCorruptFiles() && !input.options().containsKey("mergeSchema")) {
        // Spark takes the schema from one file's footer; when that file is the corrupt one it is
        // skipped and no schema is left. Read every footer instead: the good files give the schema.
        return typedMergingSchemas(path);
      }
      if (InputFailures.noSchema(e)) {
        throw InputFailures.empty(path);
      }
      if (format.equals("delta") && List.of("DELTA_TABLE_NOT_FOUND", "DELTA_MISSING_DELTA_TABLE").contains(InputFailures.condition(e))) {
        throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Input " + path + " is not a Delta table (lifecycle.input.format = delta)");
      }
      throw e;
    }
  }

  private Dataset<Row> typedMergingSchemas(String path) {
    try {
      return spark.read().options(input.options()).option("mergeSchema", "true").parquet(path);
    } catch (Exception e) { // Spark's AnalysisException (checked, thrown from Scala)
      if (InputFailures.noSchema(e)) {
        throw InputFailures.empty(path);
      }
      throw e;
    }
  }

  /** Whether the config asks Spark to skip unreadable files (then they are looked for and quarantined). */
  public boolean skipsCorruptFiles() {
    return "true".equalsIgnoreCase(input.options().getOrDefault("ignoreCorruptFiles", "false"));
  }

  private void requireExists(String path) {
    try {
      Path p = new Path(path);
      FileStatus[] matches = p.getFileSystem(spark.sessionState().newHadoopConf()).globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new LifecycleException(ExitCode.INPUT_UNAVAILABLE, "Input path does not exist: " + path);
      }
    } catch (IOException e) {
      throw new LifecycleException(ExitCode.INPUT_UNAVAILABLE, "Cannot read input path " + path + ": " + e.getMessage(), e);
    }
  }

  private Dataset<Row> readText(String path) {
    return columns.fromLines(spark.read().options(input.options()).text(path)
        .select(col("value"), col("_metadata.file_path").as(RawColumns.SOURCE_FILE)));
  }

  private Dataset<Row> readCsv(String path) {
    DataFrameReader base = spark.read().option("header", "true").options(input.options());
    // The header alone gives the column names (no inferSchema: every value is read as a string).
    StructType header;
    try {
      header = base.csv(path).schema();
    } catch (Exception e) { // Spark's AnalysisException (checked, thrown from Scala)
      // The path holds no file with a line to take a header from. Other failures (a corrupt file
      // read for the header) propagate, so the error names the file instead of calling it empty.
      if (InputFailures.noSchema(e)) {
        throw InputFailures.empty(path);
      }
      throw e;
    }
    if (header.fields().length == 0) {
      throw InputFailures.empty(path);
    }
    StructType schema = allStrings(header).add(RawColumnMapping.CORRUPT, DataTypes.StringType);
    Dataset<Row> rows = base.schema(schema)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", RawColumnMapping.CORRUPT)
        .csv(path);
    return columns.fromStrings(rows, Set.of(header.fieldNames()), "CSV header");
  }

  private Dataset<Row> readJson(String path) {
    // JSON lines: read exactly the mapped fields as strings (numbers come back as their text);
    // other fields are ignored, a line that is not JSON lands in the corrupt record column.
    StructType schema = new StructType();
    for (Field f : Field.values()) {
      String source = columns.sourceColumn(f);
      if (source != null && schema.getFieldIndex(source).isEmpty()) {
        schema = schema.add(source, DataTypes.StringType);
      }
    }
    schema = schema.add(RawColumnMapping.CORRUPT, DataTypes.StringType);
    Dataset<Row> rows = spark.read().options(input.options()).schema(schema)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", RawColumnMapping.CORRUPT)
        .json(path);
    return columns.fromStrings(rows, null, "JSON");
  }

  private static StructType allStrings(StructType header) {
    StructType s = new StructType();
    for (StructField f : header.fields()) {
      s = s.add(f.name(), DataTypes.StringType);
    }
    return s;
  }
}
