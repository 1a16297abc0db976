package io.lifecycle.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One configuration key, declared once with everything the job knows about it: its full path, how its value
 * is read from the resolved config, what makes the value invalid (with the message the user sees) and a
 * one-line description. Modelled on Delta Lake's {@code TableConfig}, so that a key cannot be read in one
 * place and checked, or spelled, differently in another. Defaults are not here: they stay in
 * {@code lifecycle-reference.conf}, which users read, and a test keeps the two in step.
 *
 * <p>A setting is immutable; {@link #check} and {@link #map} return a new one. Reading it through a
 * {@link ConfigReader} turns a problem into the loader's error {@code origin: key: problem}.
 *
 * @param <T> the type of the value once read
 */
final class Setting<T> {
  /** Reads a value from the resolved config; throws {@link #invalid} when the value cannot be read. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(Config config, String key);
  }

  /** What is wrong with a value, or null; {@code written} is the value as the file has it (for messages). */
  @FunctionalInterface
  interface Validator<T> {
    String problem(T value, Object written);
  }

  private final String key;
  private final String description;
  private final Parser<T> parser;
  private final List<Validator<T>> validators;

  private Setting(String key, String description, Parser<T> parser, List<Validator<T>> validators) {
    this.key = key;
    this.description = description;
    this.parser = parser;
    this.validators = List.copyOf(validators);
  }

  /** A setting read by {@code parser}, with no check yet. */
  static <T> Setting<T> of(String key, String description, Parser<T> parser) {
    return new Setting<>(key, description, parser, List.of());
  }

  /** The full path, {@code lifecycle.section.name}. */
  String key() {
    return key;
  }

  String description() {
    return description;
  }

  @Override
  public String toString() {
    return key;
  }

  /** This setting with one more check, run after the earlier ones. */
  Setting<T> check(Validator<T> validator) {
    List<Validator<T>> all = new ArrayList<>(validators);
    all.add(validator);
    return new Setting<>(key, description, parser, all);
  }

  /** This setting with one more check: the value must pass {@code ok}, else {@code problem} says why. */
  Setting<T> check(Predicate<? super T> ok, Function<? super T, String> problem) {
    return check((value, written) -> ok.test(value) ? null : problem.apply(value));
  }

  /** The checked value turned into another (normalized spellings, a parsed form). */
  <U> Setting<U> map(Function<? super T, ? extends U> f) {
    return new Setting<>(key, description, (config, k) -> f.apply(read(config)), List.of());
  }

  /** Reads and checks the value; a problem is thrown as {@link Invalid}, which names no file yet. */
  T read(Config config) {
    T value = parser.parse(config, key);
    if (!validators.isEmpty()) {
      Object written = config.getIsNull(key) ? null : config.getValue(key).unwrapped();
      for (Validator<T> v : validators) {
        String problem = v.problem(value, written);
        if (problem != null) {
          throw invalid(problem);
        }
      }
    }
    return value;
  }

  /** A problem with the value being read. */
  static Invalid invalid(String problem) {
    return new Invalid("", problem);
  }

  /** A problem with a part of the value: {@code suffix} (".name", "[2].stage") is appended to the key. */
  static Invalid invalid(String suffix, String problem) {
    return new Invalid(suffix, problem);
  }

  /** A value that failed to read or check; {@link ConfigReader} adds the file and key. */
  static final class Invalid extends RuntimeException {
    private final String suffix;
    private final String problem;

    private Invalid(String suffix, String problem) {
      super(problem, null, false, false);
      this.suffix = suffix;
      this.problem = problem;
    }

    String suffix() {
      return suffix;
    }

    String problem() {
      return problem;
    }
  }

  // ---- the shapes of the job's settings ----

  static Setting<Boolean> bool(String key, String description) {
    return of(key, description, Config::getBoolean);
  }

  static Setting<Long> longValue(String key, String description) {
    return of(key, description, Config::getLong);
  }

  static Setting<String> string(String key, String description) {
    return of(key, description, Config::getString);
  }

  /** A string that may be null. */
  static Setting<String> optionalString(String key, String description) {
    return of(key, description, (config, k) -> config.getIsNull(k) ? null : config.getString(k));
  }

  static Setting<List<String>> stringList(String key, String description) {
    return of(key, description, Config::getStringList);
  }

  static Setting<List<Integer>> intList(String key, String description) {
    return of(key, description, Config::getIntList);
  }

  static Setting<List<Double>> doubleList(String key, String description) {
    return of(key, description, Config::getDoubleList);
  }

  /** A list of objects (each read by the section that declares it). */
  static Setting<List<? extends Config>> configList(String key, String description) {
    return of(key, description, Config::getConfigList);
  }

  static Setting<Integer> intAtLeast(String key, int min, String description) {
    return of(key, description, Config::getInt).check(v -> v >= min, v -> "must be at least " + min + " (got " + v + ")");
  }

  static Setting<Integer> intBetween(String key, int min, int max, String description) {
    return intAtLeast(key, min, description).check(v -> v <= max, v -> "must be at most " + max + " (got " + v + ")");
  }

  static Setting<Long> longAtLeast(String key, long min, String description) {
    return longValue(key, description).check(v -> v >= min, v -> "must be at least " + min + " (got " + v + ")");
  }

  /** A number in {@code range} (as written in the message, e.g. "(0, 1]"), which {@code inRange} tests. */
  static Setting<Double> doubleIn(String key, String range, DoublePredicate inRange, String description) {
    return of(key, description, Config::getDouble).check(inRange::test, v -> "must be in " + range + " (got " + v + ")");
  }

  /** A number in [0, 1]. */
  static Setting<Double> fraction(String key, String description) {
    return doubleIn(key, "[0, 1]", v -> v >= 0 && v <= 1, description);
  }

  static Setting<Double> positiveDouble(String key, String description) {
    return of(key, description, Config::getDouble)
        .check(v -> v > 0 && Double.isFinite(v), v -> "must be a positive number (got " + v + ")");
  }

  static Setting<Duration> positiveDuration(String key, String description) {
    return of(key, description, Config::getDuration)
        .check((d, written) -> d.isNegative() || d.isZero() ? "must be > 0 (got " + written + ")" : null);
  }

  static Setting<Duration> nonNegativeDuration(String key, String description) {
    return of(key, description, Config::getDuration).check(d -> !d.isNegative(), d -> "must be >= 0");
  }

  /** One of an enum's constants, written in any case; the message lists them in lower case. */
  static <E extends Enum<E>> Setting<E> choice(String key, Class<E> type, String description) {
    return of(key, description, (config, k) -> enumValue(type, config.getString(k)));
  }

  /** The constant {@code written} names (trimmed, any case), or {@link #invalid} listing the choices. */
  static <E extends Enum<E>> E enumValue(Class<E> type, String written) {
    try {
      return Enum.valueOf(type, written.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("'" + written + "' is not one of " + lower(type.getEnumConstants()));
    }
  }

  /** A date written YYYY-MM-DD. */
  static Setting<LocalDate> date(String key, String description) {
    return of(key, description, (config, k) -> {
      String text = config.getString(k);
      try {
        return LocalDate.parse(text);
      } catch (DateTimeException e) {
        throw invalid("'" + text + "' is not a date (YYYY-MM-DD)");
      }
    });
  }

  /** A regular expression (null passes: an optional one). */
  static String regexProblem(String pattern) {
    try {
      if (pattern != null) {
        Pattern.compile(pattern);
      }
      return null;
    } catch (PatternSyntaxException e) {
      return "not a valid regular expression: " + e.getDescription();
    }
  }

  /** A map of plain values (strings, numbers, booleans, null), in the order written. */
  static Setting<Map<String, String>> stringMap(String key, String description) {
    return of(key, description, (config, k) -> {
      Map<String, String> map = new LinkedHashMap<>();
      for (Map.Entry<String, ConfigValue> e : config.getConfig(k).root().entrySet()) {
        ConfigValue v = e.getValue();
        if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
          throw invalid("." + quoteKey(e.getKey()), "must be a plain value");
        }
        map.put(e.getKey(), v.valueType() == ConfigValueType.NULL ? null : String.valueOf(v.unwrapped()));
      }
      return map;
    });
  }

  /** A map key as a path element: quoted unless it is a plain word. */
  static String quoteKey(String key) {
    return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
  }

  /** Enum constants as the config spells them: "[csv, json]". */
  static String lower(Enum<?>[] values) {
    List<String> names = new ArrayList<>();
    for (Enum<?> v : values) {
      names.add(v.name().toLowerCase(Locale.ROOT));
    }
    return names.toString();
  }
}
