package io.lifecycle.ingest;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig.Field;
import io.lifecycle.config.LifecycleConfig.IdColumn;
import io.lifecycle.config.LifecycleConfig.Input;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured source columns ({@code lifecycle.input.columns}) to the uniform raw frame
 * ({@link RawColumns}), whatever the format: delimited text lines, string frames (CSV, JSON) with
 * Spark's corrupt-record column, and typed frames (Parquet, Delta). A missing required column is the
 * user's error, naming it; a missing optional one is null.
 */
final class RawColumnMapping {
  private static final Logger LOG = LoggerFactory.getLogger(RawColumnMapping.class);
  /** Spark's column for a row the format could not parse (CSV and JSON, PERMISSIVE mode). */
  static final String CORRUPT = "_corrupt_record";

  /**
   * The fields mapped one to one; the anonymous id is mapped with the other id columns
   * ({@link Input#otherIdColumns()}, {@link RawColumns#otherId}).
   */
  private static final List<Field> MAPPED =
      Arrays.stream(Field.values()).filter(f -> f != Field.ANONYMOUS_ID).toList();

  private final Input input;

  RawColumnMapping(Input input) {
    this.input = input;
  }

  /** Text lines ({@code value}, {@link RawColumns#SOURCE_FILE}) split on the configured delimiter into the configured fields. */
  Dataset<Row> fromLines(Dataset<Row> lines) {
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
    for (Field f : MAPPED) {
      String source = sourceColumn(f);
      int index = source == null ? -1 : fields.indexOf(source);
      Column value = index < 0 ? lit(null).cast("string") : when(malformed.isNull(), get(parts, lit(index)));
      cols.add(value.as(rawName(f)));
    }
    List<IdColumn> ids = input.otherIdColumns();
    for (int i = 0; i < ids.size(); i++) {
      cols.add(when(malformed.isNull(), get(parts, lit(fields.indexOf(ids.get(i).source())))).as(RawColumns.otherId(i)));
    }
    cols.add(lit(null).cast("timestamp").as(RawColumns.EVENT_TS));
    cols.add(col("value").as(RawColumns.RECORD));
    cols.add(when(skipped, lit(null)).otherwise(malformed).as(RawColumns.MALFORMED));
    cols.add(skipped.as(RawColumns.SKIPPED));
    cols.add(col(RawColumns.SOURCE_FILE));
    return lines.select(cols.toArray(Column[]::new));
  }

  /**
   * A frame of string columns (CSV or JSON) plus {@link #CORRUPT}; {@code available} are the columns
   * the input has (null: any configured column may be absent from a row, as in JSON).
   */
  Dataset<Row> fromStrings(Dataset<Row> rows, Set<String> available, String what) {
    List<Column> cols = new ArrayList<>();
    List<String> sourceColumns = new ArrayList<>(Arrays.asList(rows.columns()));
    sourceColumns.remove(CORRUPT);
    for (Field f : MAPPED) {
      cols.add(columnOrNull(sourceColumn(f), available, f, what).as(rawName(f)));
    }
    List<IdColumn> ids = input.otherIdColumns();
    for (int i = 0; i < ids.size(); i++) {
      cols.add(columnOrNull(ids.get(i).source(), available, Field.ANONYMOUS_ID, what).as(RawColumns.otherId(i)));
    }
    cols.add(lit(null).cast("timestamp").as(RawColumns.EVENT_TS));
    Column asJson = to_json(struct(sourceColumns.stream().map(RawColumnMapping::quotedCol).toArray(Column[]::new)));
    cols.add(coalesce(col(CORRUPT), asJson).as(RawColumns.RECORD));
    cols.add(when(col(CORRUPT).isNotNull(), lit("the row could not be parsed as " + what.split(" ")[0]))
        .as(RawColumns.MALFORMED));
    cols.add(lit(false).as(RawColumns.SKIPPED));
    cols.add(col("_metadata.file_path").as(RawColumns.SOURCE_FILE));
    return rows.select(cols.toArray(Column[]::new));
  }

  /** Parquet and Delta: typed columns; times stay typed, everything else is read as text. */
  Dataset<Row> fromTyped(Dataset<Row> rows) {
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
    for (Field f : MAPPED) {
      Column value = columnOrNull(sourceColumn(f), available, f, "input schema");
      if (f == Field.EVENT_TIME && typedTime) {
        value = lit(null);
      }
      cols.add(value.cast("string").as(rawName(f)));
    }
    List<IdColumn> ids = input.otherIdColumns();
    for (int i = 0; i < ids.size(); i++) {
      cols.add(columnOrNull(ids.get(i).source(), available, Field.ANONYMOUS_ID, "input schema").cast("string").as(RawColumns.otherId(i)));
    }
    cols.add((typedTime ? col(timeColumn).cast("timestamp") : lit(null).cast("timestamp")).as(RawColumns.EVENT_TS));
    cols.add(to_json(struct(Arrays.stream(rows.columns()).map(RawColumnMapping::quotedCol).toArray(Column[]::new))).as(RawColumns.RECORD));
    cols.add(lit(null).cast("string").as(RawColumns.MALFORMED));
    cols.add(lit(false).as(RawColumns.SKIPPED));
    cols.add(col("_metadata.file_path").as(RawColumns.SOURCE_FILE));
    return rows.select(cols.toArray(Column[]::new));
  }

  /** The source column configured for a field; null for the event type when a constant replaces it. */
  String sourceColumn(Field f) {
    if (f == Field.EVENT_TYPE && input.eventTypeConstant() != null) {
      return null;
    }
    return input.columns().get(f);
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
    return quotedCol(source);
  }

  private static String rawName(Field f) {
    return switch (f) {
      case CUSTOMER_ID -> RawColumns.CUSTOMER_ID;
      case EVENT_TIME -> RawColumns.EVENT_TIME;
      case EVENT_TYPE -> RawColumns.EVENT_TYPE;
      case AMOUNT -> RawColumns.AMOUNT;
      case CHANNEL -> RawColumns.CHANNEL;
      case EVENT_ID -> RawColumns.EVENT_ID;
      case ANONYMOUS_ID -> throw new IllegalArgumentException("ids beside the customer id are mapped by RawColumns.otherId");
    };
  }

  /** Source column names may hold dots or spaces: quoted so Spark does not read them as paths. */
  private static Column quotedCol(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }
}
