package io.lifecycle.ingest;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig.Field;
import io.lifecycle.config.LifecycleConfig.Input;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads raw events in any supported format into the uniform raw frame ({@link RawColumns}), keeping
 * every row: rows the format cannot parse are flagged malformed with their raw text, never dropped.
 * Schemas are never inferred from data: text formats are read as strings, so a bad value becomes a
 * quarantine reason instead of a failed or silently nulled column.
 */
public final class RawEventReader {
  private static final Logger LOG = LoggerFactory.getLogger(RawEventReader.class);
  private static final String CORRUPT = "_corrupt_record";
  /** Raw records longer than this are cut in quarantine (the reason names the field anyway). */
  static final int MAX_RECORD_CHARS = 10_000;

  private final SparkSession spark;
  private final Input input;

  public RawEventReader(SparkSession spark, Input input) {
    this.spark = spark;
    this.input = input;
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
      case PARQUET -> readTyped(typed(path, "parquet"));
      case DELTA -> readTyped(typed(path, "delta"));
    };
  }

  /**
   * With {@code ignoreCorruptFiles}, Spark skips a file it cannot read and says so only in its log.
   * This finds such files among those that produced no row (bounded by the number of input files) by
   * reading each alone, so they can be quarantined instead of vanishing.
   */
  public List<String> unreadableFiles(Dataset<Row> raw, java.util.Set<String> filesWithRows) {
    if (!skipsCorruptFiles()) {
      return List.of();
    }
    List<String> unreadable = new ArrayList<>();
    for (String file : raw.inputFiles()) {
      if (filesWithRows.contains(file)) {
        continue;
      }
      java.util.Map<String, String> strict = new java.util.HashMap<>(input.options());
      strict.put("ignoreCorruptFiles", "false");
      try {
        new RawEventReader(spark, new Input(file, input.format(), strict, input.textDelimiter(), input.textFields(),
            input.textSkipPattern(), input.columns(), input.eventTypeConstant(), input.timestampFormats(), input.zone(),
            input.dedup())).read().count();
      } catch (Exception e) { // Spark's read failure is a checked SparkException
        LOG.warn("input file {} cannot be read: quarantined as unreadable_file", file);
        unreadable.add(file);
      }
    }
    return unreadable;
  }

  /** Parquet or Delta; a folder without a data file has no schema to read, which is empty input. */
  private Dataset<Row> typed(String path, String format) {
    try {
      return spark.read().options(input.options()).format(format).load(path);
    } catch (Exception e) { // Spark's AnalysisException (checked, thrown from Scala)
      if (noSchema(e) && format.equals("parquet") && skipsCorruptFiles() && !input.options().containsKey("mergeSchema")) {
        // Spark takes the schema from one file's footer; when that file is the corrupt one it is
        // skipped and no schema is left. Read every footer instead: the good files give the schema.
        return typedMergingSchemas(path);
      }
      if (noSchema(e)) {
        throw empty(path);
      }
      if (format.equals("delta") && List.of("DELTA_TABLE_NOT_FOUND", "DELTA_MISSING_DELTA_TABLE").contains(condition(e))) {
        throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Input " + path + " is not a Delta table (lifecycle.input.format = delta)");
      }
      throw e;
    }
  }

  private Dataset<Row> typedMergingSchemas(String path) {
    try {
      return spark.read().options(input.options()).option("mergeSchema", "true").parquet(path);
    } catch (Exception e) { // Spark's AnalysisException (checked, thrown from Scala)
      if (noSchema(e)) {
        throw empty(path);
      }
      throw e;
    }
  }

  /** Spark's "unable to infer schema": the path holds no file with data. */
  private static boolean noSchema(Exception e) {
    return "UNABLE_TO_INFER_SCHEMA".equals(condition(e));
  }

  /** Spark's error condition (error class) of a failure, or null. */
  private static String condition(Exception e) {
    return e instanceof SparkThrowable t ? t.getCondition() : null;
  }

  private static LifecycleException empty(String path) {
    return new LifecycleException(ExitCode.INPUT_UNAVAILABLE, "Input " + path + " holds no rows (empty files or an empty folder)");
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
    Dataset<Row> lines = spark.read().options(input.options()).text(path)
        .select(col("value"), col("_metadata.file_path").as(RawColumns.SOURCE_FILE));
    Column trimmed = trim(col("value"));
    Column skipped = trimmed.equalTo("");
    if (input.textSkipPattern() != null) {
      skipped = skipped.or(col("value").rlike(input.textSkipPattern()));
    }
    Column parts = split(trimmed, input.textDelimiter());
    List<String> fields = input.textFields();
    Column malformed = when(size(parts).notEqual(fields.size()),
        concat(lit("expected " + fields.size() + " fields, found "), size(parts).cast("string")));
    List<Column> cols = new ArrayList<>();
    for (Field f : Field.values()) {
      String source = sourceColumn(f);
      int index = source == null ? -1 : fields.indexOf(source);
      Column value = index < 0 ? lit(null).cast("string") : when(malformed.isNull(), get(parts, lit(index)));
      cols.add(value.as(rawName(f)));
    }
    cols.add(lit(null).cast("timestamp").as(RawColumns.EVENT_TS));
    cols.add(col("value").as(RawColumns.RECORD));
    cols.add(when(skipped, lit(null)).otherwise(malformed).as(RawColumns.MALFORMED));
    cols.add(skipped.as(RawColumns.SKIPPED));
    cols.add(col(RawColumns.SOURCE_FILE));
    return lines.select(cols.toArray(Column[]::new));
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
      if (noSchema(e)) {
        throw empty(path);
      }
      throw e;
    }
    if (header.fields().length == 0) {
      throw empty(path);
    }
    StructType schema = allStrings(header).add(CORRUPT, DataTypes.StringType);
    Dataset<Row> rows = base.schema(schema)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .csv(path);
    return fromStrings(rows, Set.of(header.fieldNames()), "CSV header");
  }

  private Dataset<Row> readJson(String path) {
    // JSON lines: read exactly the mapped fields as strings (numbers come back as their text);
    // other fields are ignored, a line that is not JSON lands in the corrupt record column.
    StructType schema = new StructType();
    for (Field f : Field.values()) {
      String source = sourceColumn(f);
      if (source != null && schema.getFieldIndex(source).isEmpty()) {
        schema = schema.add(source, DataTypes.StringType);
      }
    }
    schema = schema.add(CORRUPT, DataTypes.StringType);
    Dataset<Row> rows = spark.read().options(input.options()).schema(schema)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .json(path);
    return fromStrings(rows, null, "JSON");
  }

  /** Maps a frame of string columns (CSV or JSON) plus the corrupt-record column. */
  private Dataset<Row> fromStrings(Dataset<Row> rows, Set<String> available, String what) {
    List<Column> cols = new ArrayList<>();
    List<String> sourceColumns = new ArrayList<>(Arrays.asList(rows.columns()));
    sourceColumns.remove(CORRUPT);
    for (Field f : Field.values()) {
      String source = sourceColumn(f);
      cols.add(columnOrNull(source, available, f, what).as(rawName(f)));
    }
    cols.add(lit(null).cast("timestamp").as(RawColumns.EVENT_TS));
    Column asJson = to_json(struct(sourceColumns.stream().map(functions_col()).toArray(Column[]::new)));
    cols.add(coalesce(col(CORRUPT), asJson).as(RawColumns.RECORD));
    cols.add(when(col(CORRUPT).isNotNull(), lit("the row could not be parsed as " + what.split(" ")[0]))
        .as(RawColumns.MALFORMED));
    cols.add(lit(false).as(RawColumns.SKIPPED));
    cols.add(col("_metadata.file_path").as(RawColumns.SOURCE_FILE));
    return rows.select(cols.toArray(Column[]::new));
  }

  /** Parquet and Delta: typed columns; times stay typed, everything else is read as text. */
  private Dataset<Row> readTyped(Dataset<Row> rows) {
    Set<String> available = Set.of(rows.columns());
    Map<String, DataType> types = new java.util.HashMap<>();
    for (StructField f : rows.schema().fields()) {
      types.put(f.name(), f.dataType());
    }
    List<Column> cols = new ArrayList<>();
    String timeColumn = sourceColumn(Field.EVENT_TIME);
    boolean typedTime = types.get(timeColumn) instanceof org.apache.spark.sql.types.TimestampType
        || types.get(timeColumn) instanceof org.apache.spark.sql.types.TimestampNTZType
        || types.get(timeColumn) instanceof org.apache.spark.sql.types.DateType;
    for (Field f : Field.values()) {
      String source = sourceColumn(f);
      Column value = columnOrNull(source, available, f, "input schema");
      if (f == Field.EVENT_TIME && typedTime) {
        value = lit(null);
      }
      cols.add(value.cast("string").as(rawName(f)));
    }
    cols.add((typedTime ? col(timeColumn).cast("timestamp") : lit(null).cast("timestamp")).as(RawColumns.EVENT_TS));
    cols.add(to_json(struct(Arrays.stream(rows.columns()).map(functions_col()).toArray(Column[]::new))).as(RawColumns.RECORD));
    cols.add(lit(null).cast("string").as(RawColumns.MALFORMED));
    cols.add(lit(false).as(RawColumns.SKIPPED));
    cols.add(col("_metadata.file_path").as(RawColumns.SOURCE_FILE));
    return rows.select(cols.toArray(Column[]::new));
  }

  private Column columnOrNull(String source, Set<String> available, Field field, String what) {
    if (source == null) {
      return lit(null).cast("string");
    }
    if (available != null && !available.contains(source)) {
      if (field.required() && !(field == Field.EVENT_TYPE && input.eventTypeConstant() != null)) {
        throw new LifecycleException(ExitCode.USAGE_OR_CONFIG,
            "Required column '" + source + "' (lifecycle.input.columns." + field.key() + ") is missing from the "
                + what + " of " + input.path() + "; columns are " + available);
      }
      LOG.warn("optional column '{}' ({}) is not in the input: it will be null", source, field.key());
      return lit(null).cast("string");
    }
    return col(quoted(source));
  }

  private String sourceColumn(Field f) {
    if (f == Field.EVENT_TYPE && input.eventTypeConstant() != null) {
      return null;
    }
    return input.columns().get(f);
  }

  private static String rawName(Field f) {
    return switch (f) {
      case CUSTOMER_ID -> RawColumns.CUSTOMER_ID;
      case EVENT_TIME -> RawColumns.EVENT_TIME;
      case EVENT_TYPE -> RawColumns.EVENT_TYPE;
      case AMOUNT -> RawColumns.AMOUNT;
      case CHANNEL -> RawColumns.CHANNEL;
      case EVENT_ID -> RawColumns.EVENT_ID;
    };
  }

  private static java.util.function.Function<String, Column> functions_col() {
    return name -> col(quoted(name));
  }

  /** Source column names may hold dots or spaces: quote them so Spark does not read them as paths. */
  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static StructType allStrings(StructType header) {
    StructType s = new StructType();
    for (StructField f : header.fields()) {
      s = s.add(f.name(), DataTypes.StringType);
    }
    return s;
  }
}
