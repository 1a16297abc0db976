package io.lifecycle.config;

import com.typesafe.config.Config;
import io.lifecycle.config.LifecycleConfig.Cohorts;
import io.lifecycle.config.LifecycleConfig.Cohorts.Breakdowns;
import io.lifecycle.config.LifecycleConfig.Cohorts.Bracket;
import io.lifecycle.config.LifecycleConfig.Cohorts.RetentionMode;
import io.lifecycle.config.LifecycleConfig.CustomerProperties;
import io.lifecycle.config.LifecycleConfig.InputFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code cohorts} section: cohort definitions, retention modes and brackets, drivers and breakdowns. */
final class CohortSettings {
  private CohortSettings() {}

  private static final String P = "lifecycle.cohorts.";
  private static final Pattern BRACKET = Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*");
  /** Names a breakdown may not take: churn_rates' own segment types, and the 'all' marker. */
  private static final List<String> RESERVED_BREAKDOWNS = List.of("all", "overall", "cohort", "channel", "customer_id");

  static final Setting<Cohorts.Basis> BASIS =
      Setting.choice(P + "basis", Cohorts.Basis.class, "what starts a customer's cohort: first_purchase or first_activity");
  static final Setting<Cohorts.Period> PERIOD = Setting.choice(P + "period", Cohorts.Period.class, "month, week or day");
  static final Setting<Cohorts.Activity> ACTIVITY =
      Setting.choice(P + "activity", Cohorts.Activity.class, "what makes a customer active: purchase or any_event");
  /** Event types, normalized as the stage rules' are; none repeated. */
  static final Setting<List<String>> ACTIVITY_EVENTS =
      Setting.stringList(P + "activity_events", "event types that make a customer active; when not empty they replace activity")
          .<List<String>>map(types -> types.stream().map(ConfigLoader::normalizeType).toList())
          .check(types -> types.stream().noneMatch(String::isEmpty), types -> "holds an empty event type")
          .check(types -> new HashSet<>(types).size() == types.size(), types -> "names an event type twice: " + types);
  static final Setting<Boolean> BY_CHANNEL = Setting.bool(P + "by_channel", "also split the cohorts by acquisition channel");
  static final Setting<Cohorts.Projection> PROJECTION =
      Setting.choice(P + "projection", Cohorts.Projection.class, "how unreached cells are projected: pooled or per_cohort");
  /** At least one mode, each once, in the order given. */
  static final Setting<List<RetentionMode>> RETENTION_MODES = Setting.of(P + "retention_modes",
      "the retention definitions of cohort_retention: on, on_or_after", CohortSettings::retentionModes)
      .check(modes -> !modes.isEmpty(), modes -> "needs at least one of " + Setting.lower(RetentionMode.values()));
  /** Day ranges written "from-to", in increasing order and not overlapping. */
  static final Setting<List<Bracket>> BRACKETS = Setting.of(P + "brackets",
      "ranges of days since a customer's first day for bracket retention, e.g. [0-1, 2-7]", CohortSettings::brackets);
  static final Setting<List<String>> BREAKDOWNS =
      Setting.stringList(P + "breakdowns", "customer properties that split cohort_retention, churn_rates and stage_funnel")
          .check((names, written) -> breakdownProblem(names));
  static final Setting<Integer> BREAKDOWN_VALUES =
      Setting.intBetween(P + "breakdown_values", 1, 1000, "the most common values each breakdown keeps; the rest '(other)'");

  private static final String D = P + "drivers.";
  static final Setting<Integer> DRIVERS_WINDOW_DAYS =
      Setting.intAtLeast(D + "window_days", 1, "the first days of a lifetime whose behaviours are tested");
  static final Setting<Integer> DRIVERS_RETAINED_DAY =
      Setting.intAtLeast(D + "retained_day", 1, "retained: active on or after this day; at least window_days");
  static final Setting<List<Integer>> DRIVERS_COUNT_THRESHOLDS =
      Setting.intList(D + "count_thresholds", "event counts tested per event type, increasing, each at least 2")
          .check(CohortSettings::increasingFromTwo, t -> "must be increasing counts of at least 2 (got " + t + ")");
  static final Setting<Integer> DRIVERS_TOP_EVENT_TYPES =
      Setting.intAtLeast(D + "top_event_types", 1, "the most common event types tested");
  static final Setting<Integer> DRIVERS_TOP_CHANNELS =
      Setting.intAtLeast(D + "top_channels", 1, "the most common first channels tested, the rest as one");

  private static List<RetentionMode> retentionModes(Config config, String key) {
    List<RetentionMode> modes = new ArrayList<>();
    for (String value : config.getStringList(key)) {
      RetentionMode mode = Setting.enumValue(RetentionMode.class, value);
      if (modes.contains(mode)) {
        throw Setting.invalid("names '" + mode.code() + "' twice");
      }
      modes.add(mode);
    }
    return modes;
  }

  private static List<Bracket> brackets(Config config, String key) {
    List<Bracket> brackets = new ArrayList<>();
    for (String value : config.getStringList(key)) {
      Matcher m = BRACKET.matcher(value);
      if (!m.matches() || Integer.parseInt(m.group(2)) < Integer.parseInt(m.group(1))) {
        throw Setting.invalid("'" + value + "' is not a range of days from-to with from <= to, e.g. 2-7");
      }
      Bracket b = new Bracket(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      if (!brackets.isEmpty() && b.from() <= brackets.get(brackets.size() - 1).to()) {
        throw Setting.invalid(
            "brackets must increase without overlapping: '" + value + "' starts before the previous one ends");
      }
      brackets.add(b);
    }
    return brackets;
  }

  private static String breakdownProblem(List<String> names) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!Identifiers.isValid(name)) {
        return "'" + name + "' is not a column name (letters, digits and underscores, not starting with a digit)";
      }
      if (RESERVED_BREAKDOWNS.contains(name)) {
        return "'" + name + "' is reserved (churn_rates' segment types, 'all' and the id); rename the property";
      }
      if (!seen.add(name)) {
        return "'" + name + "' is listed twice";
      }
    }
    if (names.size() > 10) {
      return "at most 10 breakdowns (got " + names.size() + "): each multiplies the rows of three tables";
    }
    return null;
  }

  private static boolean increasingFromTwo(List<Integer> thresholds) {
    for (int i = 0; i < thresholds.size(); i++) {
      if (thresholds.get(i) < 2 || (i > 0 && thresholds.get(i) <= thresholds.get(i - 1))) {
        return false;
      }
    }
    return true;
  }

  static Cohorts read(ConfigReader r) {
    return new Cohorts(r.get(BASIS), r.get(PERIOD), r.get(ACTIVITY), r.get(ACTIVITY_EVENTS), r.get(BY_CHANNEL),
        r.get(PROJECTION), r.get(RETENTION_MODES), r.get(BRACKETS), drivers(r), breakdowns(r));
  }

  private static Cohorts.Drivers drivers(ConfigReader r) {
    int window = r.get(DRIVERS_WINDOW_DAYS);
    int retained = r.get(DRIVERS_RETAINED_DAY);
    if (retained < window) {
      // Retention must be measured after the behaviours, or a behaviour could be the retention itself.
      throw r.fail(DRIVERS_RETAINED_DAY, "must be at least cohorts.drivers.window_days (" + window + "), got " + retained);
    }
    return new Cohorts.Drivers(window, retained, r.get(DRIVERS_COUNT_THRESHOLDS), r.get(DRIVERS_TOP_EVENT_TYPES),
        r.get(DRIVERS_TOP_CHANNELS));
  }

  /** The breakdowns with {@code input.customer_properties}, which only they read. */
  private static Breakdowns breakdowns(ConfigReader r) {
    List<String> names = r.get(BREAKDOWNS);
    String path = r.get(InputSettings.PROPERTIES_PATH);
    InputFormat format = r.get(InputSettings.PROPERTIES_FORMAT);
    String idColumn = r.get(InputSettings.PROPERTIES_CUSTOMER_ID);
    Breakdowns breakdowns = new Breakdowns(names, r.get(BREAKDOWN_VALUES),
        new CustomerProperties(path, format, idColumn, r.get(InputSettings.PROPERTIES_OPTIONS)));
    if (breakdowns.readsProperties() && path == null) {
      List<String> others = names.stream().filter(n -> !Breakdowns.BUILT_IN.contains(n)).toList();
      throw r.fail(BREAKDOWNS, others + " are not built in (" + String.join(", ", Breakdowns.BUILT_IN)
          + "): set input.customer_properties.path to a table with those columns");
    }
    return breakdowns;
  }
}
