package io.lifecycle.config;

import io.lifecycle.config.LifecycleConfig.Dedup;
import io.lifecycle.config.LifecycleConfig.Field;
import io.lifecycle.config.LifecycleConfig.Identity;
import io.lifecycle.config.LifecycleConfig.Input;
import io.lifecycle.config.LifecycleConfig.InputFormat;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The {@code input} section: where the raw events are, how they are read, and the customer properties. */
final class InputSettings {
  private InputSettings() {}

  private static final String P = "lifecycle.input.";

  static final Setting<String> PATH = Setting.optionalString(P + "path", "raw events: a file, a folder or a glob");
  static final Setting<InputFormat> FORMAT =
      Setting.choice(P + "format", InputFormat.class, "csv, json, parquet, delta or text");
  static final Setting<Map<String, String>> OPTIONS =
      Setting.stringMap(P + "options", "options passed to Spark's reader as they are (free map)");
  static final Setting<String> TEXT_DELIMITER = Setting.string(P + "text.delimiter", "text format: the regex splitting a line")
      .check((delimiter, written) -> Setting.regexProblem(delimiter));
  static final Setting<List<String>> TEXT_FIELDS =
      Setting.stringList(P + "text.fields", "text format: the names of a line's fields, in order");
  static final Setting<String> TEXT_SKIP_PATTERN =
      Setting.optionalString(P + "text.skip_pattern", "text format: lines matching this regex are skipped")
          .check((pattern, written) -> Setting.regexProblem(pattern));
  /** One setting per canonical field: its source column, or null when the source has none. */
  static final Map<Field, Setting<String>> COLUMNS = columns();
  static final Setting<Dedup> DEDUP = Setting.choice(P + "dedup", Dedup.class, "which rows are duplicates: auto, event_id, none");
  static final Setting<String> EVENT_TYPE_CONSTANT =
      Setting.optionalString(P + "event_type_constant", "transaction-only data: every row is this event type");
  static final Setting<List<String>> TIMESTAMP_FORMATS =
      Setting.stringList(P + "timestamp.formats", "datetime patterns tried in order, or epoch_seconds / epoch_millis")
          .check(formats -> !formats.isEmpty(), formats -> "needs at least one format")
          .check((formats, written) -> patternProblem(formats));
  static final Setting<ZoneId> TIMESTAMP_ZONE = Setting.of(P + "timestamp.zone", "zone of times written without an offset",
      (config, key) -> {
        try {
          return ZoneId.of(config.getString(key));
        } catch (DateTimeException e) {
          throw Setting.invalid("'" + config.getString(key) + "' is not a time zone id");
        }
      });

  private static final String PROPERTIES = P + "customer_properties.";
  static final Setting<String> PROPERTIES_PATH =
      Setting.optionalString(PROPERTIES + "path", "customer properties for cohorts.breakdowns; null: none")
          .check(path -> path == null || !path.isBlank(), path -> "must be a path or null");
  static final Setting<InputFormat> PROPERTIES_FORMAT =
      Setting.choice(PROPERTIES + "format", InputFormat.class, "csv (with a header), json, parquet or delta")
          .check(format -> format != InputFormat.TEXT, format -> "must be csv, json, parquet or delta");
  static final Setting<String> PROPERTIES_CUSTOMER_ID =
      Setting.string(PROPERTIES + "customer_id", "the customer properties' id column")
          .check(column -> !column.isBlank(), column -> "must be a column name");
  static final Setting<Map<String, String>> PROPERTIES_OPTIONS =
      Setting.stringMap(PROPERTIES + "options", "options passed to Spark's reader for the customer properties");

  private static final String IDENTITY = P + "identity.";
  static final Setting<List<String>> EXTRA_ID_COLUMNS = Setting.stringList(IDENTITY + "extra_id_columns",
          "more id columns linking rows to one customer (device id, email hash); each is also its id_type")
      .check((names, written) -> idColumnsProblem(names));
  static final Setting<String> ALIAS_COLUMN = Setting.optionalString(IDENTITY + "alias_column",
          "alias rows: the column with the previous (anonymous) id the row's customer id replaces; null: none")
      .check(column -> column == null || !column.isBlank(), column -> "must be a column name or null");
  static final Setting<List<String>> LINK_EVENT_TYPES = Setting.stringList(IDENTITY + "link_event_types",
      "event types that only link ids (identify, alias): kept in events for the stitching, left out of the analyses");
  static final Setting<Integer> MAX_KNOWN_IDS_PER_ID = Setting.intAtLeast(IDENTITY + "max_known_ids_per_id", 1,
      "an anonymous or extra id seen with more known customer ids than this is shared and links nothing");
  static final Setting<Integer> MAX_IDS_PER_ID = Setting.intAtLeast(IDENTITY + "max_ids_per_id", 1,
      "an anonymous or extra id seen with more distinct ids than this (a kiosk) is shared and links nothing");
  static final Setting<Long> MAX_IDS_PER_CUSTOMER = Setting.longAtLeast(IDENTITY + "max_ids_per_customer", 1,
      "a linked group of more ids than this is not merged (giant_component)");
  static final Setting<Integer> MAX_ROUNDS = Setting.intBetween(IDENTITY + "max_rounds", 1, 200,
      "rounds of the connected-components search; groups still growing after them are not merged (unconverged)");

  private static String idColumnsProblem(List<String> names) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String name : names) {
      if (!Identifiers.isValid(name)) {
        return "'" + name + "' is not a column name (letters, digits and underscores, not starting with a digit)";
      }
      if (name.equals(Field.CUSTOMER_ID.key()) || name.equals(Field.ANONYMOUS_ID.key())) {
        return "'" + name + "' is already an id type; name the source's other id columns";
      }
      if (!seen.add(name)) {
        return "'" + name + "' is listed twice";
      }
    }
    return null;
  }

  private static Map<Field, Setting<String>> columns() {
    Map<Field, Setting<String>> columns = new EnumMap<>(Field.class);
    for (Field f : Field.values()) {
      columns.put(f, Setting.optionalString(P + "columns." + f.key(), "source column of " + f.key() + "; null: absent")
          .check(column -> column == null || !column.isBlank(), column -> "must be a column name or null"));
    }
    return Collections.unmodifiableMap(columns);
  }

  private static String patternProblem(List<String> formats) {
    for (String f : formats) {
      if (!f.equals("epoch_seconds") && !f.equals("epoch_millis")) {
        try {
          DateTimeFormatter.ofPattern(f);
        } catch (IllegalArgumentException e) {
          return "'" + f + "' is not a valid pattern: " + e.getMessage();
        }
      }
    }
    return null;
  }

  static Input read(ConfigReader r) {
    InputFormat format = r.get(FORMAT);
    Map<Field, String> columns = new EnumMap<>(Field.class);
    for (Field f : Field.values()) {
      columns.put(f, r.get(COLUMNS.get(f)));
    }
    String constant = r.get(EVENT_TYPE_CONSTANT);
    for (Field f : Field.values()) {
      boolean needed = f.required() && !(f == Field.EVENT_TYPE && constant != null);
      if (needed && columns.get(f) == null) {
        throw r.fail(COLUMNS.get(f), "is required");
      }
    }
    List<String> fields = r.get(TEXT_FIELDS);
    String delimiter = r.get(TEXT_DELIMITER);
    String skip = r.get(TEXT_SKIP_PATTERN);
    if (format == InputFormat.TEXT) {
      if (fields.isEmpty()) {
        throw r.fail(TEXT_FIELDS, "is required when input.format = text");
      }
      for (Field f : Field.values()) {
        String column = columns.get(f);
        boolean used = !(f == Field.EVENT_TYPE && constant != null);
        if (used && column != null && !fields.contains(column)) {
          throw r.fail(COLUMNS.get(f), "'" + column + "' is not one of input.text.fields " + fields);
        }
      }
    }
    List<String> formats = r.get(TIMESTAMP_FORMATS);
    ZoneId zone = r.get(TIMESTAMP_ZONE);
    Map<String, String> options = r.get(OPTIONS);
    Identity identity = new Identity(r.get(EXTRA_ID_COLUMNS), r.get(ALIAS_COLUMN),
        r.get(LINK_EVENT_TYPES).stream().map(ConfigLoader::normalizeType).distinct().toList(),
        r.get(MAX_KNOWN_IDS_PER_ID), r.get(MAX_IDS_PER_ID), r.get(MAX_IDS_PER_CUSTOMER), r.get(MAX_ROUNDS));
    if (format == InputFormat.TEXT) {
      for (String column : identity.extraIdColumns()) {
        if (!fields.contains(column)) {
          throw r.fail(EXTRA_ID_COLUMNS, "'" + column + "' is not one of input.text.fields " + fields);
        }
      }
      if (identity.aliasColumn() != null && !fields.contains(identity.aliasColumn())) {
        throw r.fail(ALIAS_COLUMN, "'" + identity.aliasColumn() + "' is not one of input.text.fields " + fields);
      }
    }
    return new Input(r.get(PATH), format, options, delimiter, fields, skip, columns,
        constant == null ? null : ConfigLoader.normalizeType(constant), formats, zone, r.get(DEDUP), identity);
  }

  /** A constant event type must be one the stage model knows when unknown types are quarantined. */
  static void checkEventTypeConstant(ConfigReader r, Input input, StageModel stages) {
    if (input.eventTypeConstant() != null
        && stages.strictEventTypes()
        && !stages.knownEventTypes().contains(input.eventTypeConstant())) {
      throw r.fail(EVENT_TYPE_CONSTANT, "'" + input.eventTypeConstant() + "' is named by no stage rule");
    }
  }
}
