package io.lifecycle.config;

import java.util.regex.Pattern;

/**
 * Names that reach SQL (tables, databases, columns) are checked here and only here, so a value from a
 * config file can never inject SQL: it is either a plain identifier or the run stops.
 */
public final class Identifiers {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private Identifiers() {}

  public static boolean isValid(String name) {
    return name != null && IDENTIFIER.matcher(name).matches();
  }

  /** Returns the name, or throws naming the key it came from. */
  public static String require(String name, String key) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(
          key + ": '" + name + "' is not a valid identifier (letters, digits and _, not starting with a digit)");
    }
    return name;
  }

  /** Backtick-quotes a checked identifier for use in SQL text. */
  public static String quote(String name) {
    return "`" + require(name, "identifier") + "`";
  }
}
