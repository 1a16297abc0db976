package io.lifecycle.config;

import io.lifecycle.config.LifecycleConfig.Output;
import java.util.Map;

/** The {@code output} section: where the Delta tables go, under which names, and how they are sized. */
final class OutputSettings {
  private OutputSettings() {}

  private static final String P = "lifecycle.output.";

  static final Setting<String> ROOT = Setting.string(P + "root", "root folder of the Delta tables")
      .check(root -> !root.isBlank(), root -> "must not be empty");
  static final Setting<String> DATABASE = Setting.optionalString(P + "database", "Spark catalog database of the tables")
      .check(db -> db == null || Identifiers.isValid(db), db -> "'" + db + "' is not a valid identifier");
  /** Logical name to physical name (free map); each physical name reaches SQL, so it must be an identifier. */
  static final Setting<Map<String, String>> TABLES = Setting.stringMap(P + "tables", "physical table names (free map)")
      .check((names, written) -> {
        for (Map.Entry<String, String> e : names.entrySet()) {
          if (!Identifiers.isValid(e.getValue())) {
            throw Setting.invalid("." + e.getKey(), "'" + e.getValue() + "' is not a valid identifier");
          }
        }
        return null;
      });
  static final Setting<Long> ROWS_PER_FILE = Setting.longAtLeast(P + "rows_per_file", 1000, "target rows per output file");
  static final Setting<Integer> VACUUM_RETENTION_HOURS =
      Setting.intAtLeast(P + "vacuum_retention_hours", 0, "VACUUM retention of the maintain step");

  static Output read(ConfigReader r) {
    return new Output(r.get(ROOT), r.get(DATABASE), r.get(TABLES), r.get(ROWS_PER_FILE), r.get(VACUUM_RETENTION_HOURS));
  }
}
