package io.lifecycle.cli;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parsed command line: a subcommand and its options. Bad usage fails with exit code 2. */
public record CommandLine(String command, Map<String, String> options) {

  public static final String USAGE = String.join("\n",
      "Usage: lifecycle <command> [options]",
      "",
      "Commands:",
      "  run        Run the pipeline (all steps, or those given with --steps).",
      "  generate   Write synthetic events with ground truth (for tests, demos and benchmarks).",
      "  contract   Print the output tables' schema contract (markdown).",
      "  help       Show this help.",
      "",
      "Options (run):",
      "  --conf FILE          HOCON configuration file (default: built-in defaults)",
      "  --run-date DATE      As-of date YYYY-MM-DD (default: the day after the latest event)",
      "  --steps a,b,c        Steps to run, in pipeline order (default: all)",
      "  --input PATH         Raw input path (overrides lifecycle.input.path)",
      "  --output PATH        Output root of the Delta tables (overrides lifecycle.output.root)",
      "  --mode full|incremental  full: recompute from all history (default, lifecycle.mode);",
      "                       incremental: merge the day's new events in --input, re-sessionize only",
      "                       the customers they touch (needs --run-date)",
      "Options (generate):",
      "  --conf FILE          Configuration (its lifecycle.generate section)",
      "  --output PATH        Folder to write the events and _ground_truth into (required)",
      "  --customers N  --seed N  --format csv|json|parquet  --bots N  --events-per-bot N",
      "  --anonymous-share S  Share (0 to 1, default 0) of persons anonymous until they sign up or buy:",
      "                       adds the column anonymous_id (device ids) and _identity_truth",
      "",
      "Exit codes: 0 ok, 1 failure, 2 bad usage or config, 3 bad input (quality limit, unreadable file),",
      "            4 write conflict (retry), 5 input missing or empty (retry when it has arrived).");

  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "run", Set.of("conf", "run-date", "steps", "input", "output", "mode"),
      "generate", Set.of("conf", "output", "customers", "seed", "format", "bots", "events-per-bot", "anonymous-share"),
      "contract", Set.of(),
      "help", Set.of());

  public static CommandLine parse(String[] args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    if (rest.isEmpty() || rest.contains("--help") || rest.contains("-h")) {
      return new CommandLine("help", Map.of());
    }
    String command = rest.remove(0);
    if (!OPTIONS.containsKey(command)) {
      throw usage("unknown command '" + command + "'");
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < rest.size(); i++) {
      String arg = rest.get(i);
      if (!arg.startsWith("--")) {
        throw usage("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= rest.size()) {
          throw usage("option --" + name + " needs a value");
        }
        value = rest.get(++i);
      }
      if (!OPTIONS.get(command).contains(name)) {
        throw usage("unknown option --" + name + " for '" + command + "'");
      }
      if (options.put(name, value) != null) {
        throw usage("option --" + name + " given twice");
      }
    }
    CommandLine line = new CommandLine(command, Map.copyOf(options));
    line.runDate();
    line.mode();
    return line;
  }

  /** The {@code --mode} option, or null when not given. */
  public io.lifecycle.config.LifecycleConfig.Mode mode() {
    String value = options.get("mode");
    if (value == null) {
      return null;
    }
    try {
      return io.lifecycle.config.LifecycleConfig.Mode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw usage("--mode '" + value + "' is not one of full, incremental");
    }
  }

  public String option(String name) {
    return options.get(name);
  }

  public LocalDate runDate() {
    String value = options.get("run-date");
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw usage("--run-date '" + value + "' is not a date (YYYY-MM-DD)");
    }
  }

  public List<String> steps() {
    String value = options.get("steps");
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public long longOption(String name, long fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw usage("--" + name + " '" + value + "' is not a whole number");
    }
  }

  public double doubleOption(String name, double fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw usage("--" + name + " '" + value + "' is not a number");
    }
  }

  private static LifecycleException usage(String problem) {
    return new LifecycleException(ExitCode.USAGE_OR_CONFIG, problem + " (see lifecycle --help)");
  }
}
