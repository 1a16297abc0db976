package io.lifecycle.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig.Clv;
import io.lifecycle.config.LifecycleConfig.Cohorts;
import io.lifecycle.config.LifecycleConfig.Field;
import io.lifecycle.config.LifecycleConfig.Generate;
import io.lifecycle.config.LifecycleConfig.Input;
import io.lifecycle.config.LifecycleConfig.InputFormat;
import io.lifecycle.config.LifecycleConfig.Models;
import io.lifecycle.config.LifecycleConfig.Output;
import io.lifecycle.config.LifecycleConfig.Quality;
import io.lifecycle.config.LifecycleConfig.Sessions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a HOCON file over the defaults in {@code lifecycle-reference.conf} and validates every key
 * once: an unknown key, a missing required value, a wrong type or an impossible value stops the run at
 * start with a message naming the key and the file (exit code 2).
 */
public final class ConfigLoader {
  private static final String ROOT = "lifecycle";
  private static final String REFERENCE = "lifecycle-reference.conf";
  /** Maps whose keys are the user's own (channels, reader options, aliases, table renames). */
  private static final Set<String> FREE_MAPS =
      Set.of(
          "lifecycle.input.options",
          "lifecycle.stages.aliases",
          "lifecycle.clv.acquisition_cost",
          "lifecycle.output.tables");

  private final String origin;
  private Config config;

  private ConfigLoader(String origin) {
    this.origin = origin;
  }

  /** Loads and validates a config file. */
  public static LifecycleConfig load(File file) {
    if (!file.isFile()) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Config file not found: " + file);
    }
    ConfigLoader loader = new ConfigLoader(file.getPath());
    return loader.build(() -> ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false)));
  }

  /** Loads and validates config text (tests and embedded use); {@code origin} names it in errors. */
  public static LifecycleConfig parse(String hocon, String origin) {
    ConfigLoader loader = new ConfigLoader(origin);
    return loader.build(
        () -> ConfigFactory.parseString(
            hocon, ConfigParseOptions.defaults().setOriginDescription(origin).setSyntax(ConfigSyntax.CONF)));
  }

  /** The defaults alone. */
  public static LifecycleConfig defaults() {
    return parse("", "defaults");
  }

  private enum Tuning {
    GRID,
    FIXED
  }

  private interface Source {
    Config parse();
  }

  private LifecycleConfig build(Source source) {
    try {
      Config user = source.parse();
      Config reference = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), REFERENCE);
      if (reference.isEmpty()) {
        throw new IllegalStateException(REFERENCE + " is missing from the classpath");
      }
      if (user.hasPath(ROOT) && user.getValue(ROOT).valueType() == ConfigValueType.OBJECT) {
        checkKnownKeys(user.getObject(ROOT), ROOT, reference);
      }
      for (String key : user.root().keySet()) {
        if (!ROOT.equals(key)) {
          throw fail(key, "unknown top-level key (every setting lives under '" + ROOT + "')");
        }
      }
      config = user.withFallback(reference).resolve();
      return read();
    } catch (ConfigException e) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Invalid configuration: " + e.getMessage(), e);
    }
  }

  private void checkKnownKeys(ConfigObject object, String path, Config reference) {
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      String child = path + "." + quoteKey(entry.getKey());
      if (!reference.hasPathOrNull(child)) {
        throw fail(child, "unknown key" + at(entry.getValue()));
      }
      if (entry.getValue() instanceof ConfigObject nested && !FREE_MAPS.contains(child)) {
        checkKnownKeys(nested, child, reference);
      }
    }
  }

  private static String quoteKey(String key) {
    return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
  }

  private static String at(ConfigValue value) {
    return value.origin() != null && value.origin().lineNumber() > 0
        ? " (line " + value.origin().lineNumber() + ")"
        : "";
  }

  private LifecycleException fail(String key, String problem) {
    return new LifecycleException(ExitCode.USAGE_OR_CONFIG, origin + ": " + key + ": " + problem);
  }

  private LifecycleConfig read() {
    Input input = readInput();
    StageModel stages = readStages();
    if (input.eventTypeConstant() != null
        && stages.strictEventTypes()
        && !stages.knownEventTypes().contains(input.eventTypeConstant())) {
      throw fail("lifecycle.input.event_type_constant", "'" + input.eventTypeConstant() + "' is named by no stage rule");
    }
    LifecycleConfig.Privacy privacy = new LifecycleConfig.Privacy(
        config.getBoolean("lifecycle.privacy.pseudonymize"),
        optionalString("lifecycle.privacy.key_env"),
        optionalString("lifecycle.privacy.key_file"));
    if (privacy.pseudonymize() && privacy.keyEnv() == null && privacy.keyFile() == null) {
      throw fail("lifecycle.privacy", "pseudonymize = true needs key_env or key_file");
    }
    Quality quality =
        new Quality(
            fraction("lifecycle.quality.max_quarantine_share"),
            nonNegativeDuration("lifecycle.quality.future_tolerance"),
            date("lifecycle.quality.earliest_event_date"));
    Sessions sessions =
        new Sessions(positiveDuration("lifecycle.sessions.inactivity_gap"), positiveDuration("lifecycle.sessions.max_duration"));
    if (sessions.maxDuration().compareTo(sessions.inactivityGap()) < 0) {
      throw fail("lifecycle.sessions.max_duration", "must be at least sessions.inactivity_gap");
    }
    Duration churn = positiveDuration("lifecycle.churn.inactivity_threshold");
    Cohorts cohorts =
        new Cohorts(
            choice("lifecycle.cohorts.basis", Cohorts.Basis.class),
            choice("lifecycle.cohorts.period", Cohorts.Period.class),
            choice("lifecycle.cohorts.activity", Cohorts.Activity.class),
            activityEvents("lifecycle.cohorts.activity_events"),
            config.getBoolean("lifecycle.cohorts.by_channel"),
            choice("lifecycle.cohorts.projection", Cohorts.Projection.class),
            retentionModes("lifecycle.cohorts.retention_modes"),
            brackets("lifecycle.cohorts.brackets"),
            readDrivers(),
            readBreakdowns());
    Clv clv = readClv();
    Models models =
        new Models(
            positiveDuration("lifecycle.models.churn_horizon"),
            choice("lifecycle.models.churn_activity", Models.ChurnActivity.class),
            intAtLeast("lifecycle.models.rolling_cutoffs", 0),
            positiveDuration("lifecycle.models.cutoff_step"),
            openFraction("lifecycle.models.test_fraction"),
            config.getLong("lifecycle.models.seed"),
            optionalString("lifecycle.models.score_version"),
            choice("lifecycle.models.tuning", Tuning.class) == Tuning.GRID,
            intAtLeast("lifecycle.models.max_training_customers", 1),
            nonNegativeDuration("lifecycle.models.retrain_every"),
            positiveDouble("lifecycle.models.drift_retrain_psi"),
            new Models.Gbt(intAtLeast("lifecycle.models.gbt.max_iter", 1), treeDepths("lifecycle.models.gbt.max_depth"),
                grid("lifecycle.models.gbt.step_size", 0, false, 1, true),
                fractionAbove0("lifecycle.models.gbt.subsampling_rate")),
            new Models.Logistic(intAtLeast("lifecycle.models.logistic.max_iter", 1),
                grid("lifecycle.models.logistic.reg_param", 0, true, Double.POSITIVE_INFINITY, false),
                grid("lifecycle.models.logistic.elastic_net_param", 0, true, 1, true)),
            new Models.Forest(intAtLeast("lifecycle.models.forest.num_trees", 1), treeDepths("lifecycle.models.forest.max_depth")));
    Output output = readOutput();
    Generate generate = readGenerate();
    LifecycleConfig.Incremental incremental = new LifecycleConfig.Incremental(
        choice("lifecycle.mode", LifecycleConfig.Mode.class),
        nonNegativeDuration("lifecycle.incremental.max_lateness"));
    String hash = hash(config.getConfig(ROOT));
    // Per top-level section, as written: a step whose stored results depend on a few sections compares
    // only those between runs (LifecycleConfig.settingsHash).
    Map<String, String> sectionHashes = new java.util.TreeMap<>();
    for (Map.Entry<String, com.typesafe.config.ConfigValue> section : config.getConfig(ROOT).root().entrySet()) {
      sectionHashes.put(section.getKey(), hashOf(section.getValue().render(ConfigRenderOptions.concise())));
    }
    return new LifecycleConfig(
        origin, hash, sectionHashes, input, stages, privacy, quality, sessions, churn, cohorts, clv, models, output, generate,
        incremental);
  }

  private Input readInput() {
    String p = "lifecycle.input.";
    InputFormat format = choice(p + "format", InputFormat.class);
    Map<Field, String> columns = new EnumMap<>(Field.class);
    for (Field f : Field.values()) {
      String key = p + "columns." + f.key();
      String column = optionalString(key);
      if (column != null && column.isBlank()) {
        throw fail(key, "must be a column name or null");
      }
      columns.put(f, column);
    }
    String constant = optionalString(p + "event_type_constant");
    for (Field f : Field.values()) {
      boolean needed = f.required() && !(f == Field.EVENT_TYPE && constant != null);
      if (needed && columns.get(f) == null) {
        throw fail(p + "columns." + f.key(), "is required");
      }
    }
    List<String> fields = config.getStringList(p + "text.fields");
    String delimiter = config.getString(p + "text.delimiter");
    String skip = optionalString(p + "text.skip_pattern");
    regex(p + "text.delimiter", delimiter);
    if (skip != null) {
      regex(p + "text.skip_pattern", skip);
    }
    if (format == InputFormat.TEXT) {
      if (fields.isEmpty()) {
        throw fail(p + "text.fields", "is required when input.format = text");
      }
      for (Field f : Field.values()) {
        String column = columns.get(f);
        boolean used = !(f == Field.EVENT_TYPE && constant != null);
        if (used && column != null && !fields.contains(column)) {
          throw fail(p + "columns." + f.key(), "'" + column + "' is not one of input.text.fields " + fields);
        }
      }
    }
    List<String> formats = config.getStringList(p + "timestamp.formats");
    if (formats.isEmpty()) {
      throw fail(p + "timestamp.formats", "needs at least one format");
    }
    for (String f : formats) {
      if (!f.equals("epoch_seconds") && !f.equals("epoch_millis")) {
        try {
          java.time.format.DateTimeFormatter.ofPattern(f);
        } catch (IllegalArgumentException e) {
          throw fail(p + "timestamp.formats", "'" + f + "' is not a valid pattern: " + e.getMessage());
        }
      }
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(config.getString(p + "timestamp.zone"));
    } catch (DateTimeException e) {
      throw fail(p + "timestamp.zone", "'" + config.getString(p + "timestamp.zone") + "' is not a time zone id");
    }
    Map<String, String> options = stringMap(p + "options");
    return new Input(
        optionalString(p + "path"), format, options, delimiter, fields, skip, columns,
        constant == null ? null : normalizeType(constant), formats, zone,
        choice(p + "dedup", LifecycleConfig.Dedup.class));
  }

  private StageModel readStages() {
    String p = "lifecycle.stages.";
    List<String> order = config.getStringList(p + "order");
    if (order.isEmpty()) {
      throw fail(p + "order", "needs at least one stage");
    }
    Set<String> seen = new HashSet<>();
    for (String stage : order) {
      if (!stage.matches("[A-Z][A-Z0-9_]*")) {
        throw fail(p + "order", "stage '" + stage + "' must be UPPER_SNAKE_CASE");
      }
      if (stage.equals(StageModel.CHURNED)) {
        throw fail(p + "order", "CHURNED is reserved (the job adds it for customers who left)");
      }
      if (!seen.add(stage)) {
        throw fail(p + "order", "duplicate stage " + stage);
      }
    }
    List<String> purchaseTypes = config.getStringList(p + "purchase_event_types").stream().map(ConfigLoader::normalizeType).toList();
    if (purchaseTypes.isEmpty()) {
      throw fail(p + "purchase_event_types", "needs at least one event type");
    }
    List<StageRule> rules = new ArrayList<>();
    List<? extends Config> ruleConfigs = config.getConfigList(p + "rules");
    for (int i = 0; i < ruleConfigs.size(); i++) {
      Config rule = ruleConfigs.get(i);
      String key = p + "rules[" + i + "]";
      for (String k : rule.root().keySet()) {
        if (!Set.of("event_types", "when", "stage").contains(k)) {
          throw fail(key + "." + k, "unknown key (a rule has event_types, when, stage)");
        }
      }
      if (!rule.hasPath("event_types") || !rule.hasPath("stage")) {
        throw fail(key, "a rule needs event_types and stage");
      }
      List<String> types = rule.getStringList("event_types").stream().map(ConfigLoader::normalizeType).toList();
      if (types.isEmpty()) {
        throw fail(key + ".event_types", "needs at least one event type");
      }
      String stage = rule.getString("stage");
      if (!order.contains(stage)) {
        throw fail(key + ".stage", "unknown stage '" + stage + "' (stages.order is " + order + ")");
      }
      StageRule.When when;
      String whenText = rule.hasPath("when") ? rule.getString("when") : "any";
      try {
        when = StageRule.When.valueOf(whenText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw fail(key + ".when", "'" + whenText + "' is not one of " + lower(StageRule.When.values()));
      }
      boolean purchaseOnly = when == StageRule.When.FIRST_PURCHASE || when == StageRule.When.REPEAT_PURCHASE;
      if (purchaseOnly && !purchaseTypes.containsAll(types)) {
        throw fail(key + ".when", whenText + " applies only to purchase event types " + purchaseTypes);
      }
      rules.add(new StageRule(types, when, stage));
    }
    Map<String, String> aliases = new LinkedHashMap<>();
    stringMap(p + "aliases").forEach((k, v) -> aliases.put(normalizeType(k), normalizeType(v)));
    return new StageModel(order, new HashSet<>(purchaseTypes), rules, aliases, config.getBoolean(p + "strict_event_types"));
  }

  /** Names a breakdown may not take: churn_rates' own segment types, and the 'all' marker. */
  private static final List<String> RESERVED_BREAKDOWNS = List.of("all", "overall", "cohort", "channel", "customer_id");

  private Cohorts.Breakdowns readBreakdowns() {
    String key = "lifecycle.cohorts.breakdowns";
    List<String> names = config.getStringList(key);
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!Identifiers.isValid(name)) {
        throw fail(key, "'" + name + "' is not a column name (letters, digits and underscores, not starting with a digit)");
      }
      if (RESERVED_BREAKDOWNS.contains(name)) {
        throw fail(key, "'" + name + "' is reserved (churn_rates' segment types, 'all' and the id); rename the property");
      }
      if (!seen.add(name)) {
        throw fail(key, "'" + name + "' is listed twice");
      }
    }
    if (names.size() > 10) {
      throw fail(key, "at most 10 breakdowns (got " + names.size() + "): each multiplies the rows of three tables");
    }
    String p = "lifecycle.input.customer_properties.";
    String path = optionalString(p + "path");
    if (path != null && path.isBlank()) {
      throw fail(p + "path", "must be a path or null");
    }
    LifecycleConfig.InputFormat format = choice(p + "format", LifecycleConfig.InputFormat.class);
    if (format == LifecycleConfig.InputFormat.TEXT) {
      throw fail(p + "format", "must be csv, json, parquet or delta");
    }
    String idColumn = config.getString(p + "customer_id");
    if (idColumn.isBlank()) {
      throw fail(p + "customer_id", "must be a column name");
    }
    Cohorts.Breakdowns breakdowns = new Cohorts.Breakdowns(names, intBetween("lifecycle.cohorts.breakdown_values", 1, 1000),
        new LifecycleConfig.CustomerProperties(path, format, idColumn, stringMap(p + "options")));
    if (breakdowns.readsProperties() && path == null) {
      List<String> others = names.stream().filter(n -> !Cohorts.Breakdowns.BUILT_IN.contains(n)).toList();
      throw fail(key, others + " are not built in (" + String.join(", ", Cohorts.Breakdowns.BUILT_IN)
          + "): set input.customer_properties.path to a table with those columns");
    }
    return breakdowns;
  }

  private Cohorts.Drivers readDrivers() {
    String p = "lifecycle.cohorts.drivers.";
    int window = intAtLeast(p + "window_days", 1);
    int retained = intAtLeast(p + "retained_day", 1);
    if (retained < window) {
      // Retention must be measured after the behaviours, or a behaviour could be the retention itself.
      throw fail(p + "retained_day", "must be at least cohorts.drivers.window_days (" + window + "), got " + retained);
    }
    List<Integer> thresholds = config.getIntList(p + "count_thresholds");
    for (int i = 0; i < thresholds.size(); i++) {
      if (thresholds.get(i) < 2 || (i > 0 && thresholds.get(i) <= thresholds.get(i - 1))) {
        throw fail(p + "count_thresholds", "must be increasing counts of at least 2 (got " + thresholds + ")");
      }
    }
    return new Cohorts.Drivers(window, retained, thresholds, intAtLeast(p + "top_event_types", 1),
        intAtLeast(p + "top_channels", 1));
  }

  private Clv readClv() {
    String p = "lifecycle.clv.";
    double margin = config.getDouble(p + "gross_margin");
    if (!(margin > 0 && margin <= 1)) {
      throw fail(p + "gross_margin", "must be in (0, 1] (got " + margin + ")");
    }
    double rate = config.getDouble(p + "annual_discount_rate");
    if (!(rate >= 0 && rate < 1)) {
      throw fail(p + "annual_discount_rate", "must be in [0, 1) (got " + rate + ")");
    }
    Map<String, Double> costs = new LinkedHashMap<>();
    Config costConfig = config.getConfig(p + "acquisition_cost");
    for (String channel : costConfig.root().keySet()) {
      String key = p + "acquisition_cost." + quoteKey(channel);
      double cost;
      try {
        cost = costConfig.getDouble(quoteKey(channel));
      } catch (ConfigException.WrongType e) {
        throw fail(key, "must be a number");
      }
      if (cost < 0 || Double.isNaN(cost)) {
        throw fail(key, "must be >= 0 (got " + cost + ")");
      }
      costs.put(channel, cost);
    }
    return new Clv(
        margin, rate, intAtLeast(p + "horizon_months", 1),
        choice(p + "time_unit", Clv.TimeUnit.class), costs,
        choice(p + "fit_segments", Clv.Segments.class), intAtLeast(p + "holdout_weeks", 0), forecastDays(p + "forecast_days"),
        intAtLeast(p + "attribution_channels", 1), intervals(p + "intervals"), intBetween(p + "interval_draws", 20, 5000),
        intBetween(p + "path_segments", 1, 1000));
  }

  /** clv.intervals; a bootstrap over customers is planned but not built, and said so rather than "unknown". */
  private Clv.Intervals intervals(String key) {
    if (config.getString(key).trim().equalsIgnoreCase("bootstrap")) {
      throw fail(key, "'bootstrap' is not implemented yet; use asymptotic or none");
    }
    return choice(key, Clv.Intervals.class);
  }

  /** Forecast horizons in days: a non-empty list of distinct positive whole days, kept in ascending order. */
  private List<Integer> forecastDays(String key) {
    List<Integer> values;
    try {
      values = config.getIntList(key);
    } catch (ConfigException.WrongType e) {
      throw fail(key, "must be a list of whole days, e.g. [30, 90, 180]");
    }
    if (values.isEmpty()) {
      throw fail(key, "must list at least one horizon in days");
    }
    for (int v : values) {
      if (v < 1) {
        throw fail(key, "every horizon must be a positive number of days (got " + v + ")");
      }
    }
    if (new HashSet<>(values).size() < values.size()) {
      throw fail(key, "lists a horizon twice: " + values);
    }
    return values.stream().sorted().toList();
  }

  private Output readOutput() {
    String p = "lifecycle.output.";
    String root = config.getString(p + "root");
    if (root.isBlank()) {
      throw fail(p + "root", "must not be empty");
    }
    String database = optionalString(p + "database");
    if (database != null && !Identifiers.isValid(database)) {
      throw fail(p + "database", "'" + database + "' is not a valid identifier");
    }
    Map<String, String> names = stringMap(p + "tables");
    names.forEach((logical, physical) -> {
      if (!Identifiers.isValid(physical)) {
        throw fail(p + "tables." + logical, "'" + physical + "' is not a valid identifier");
      }
    });
    long rowsPerFile = config.getLong(p + "rows_per_file");
    if (rowsPerFile < 1000) {
      throw fail(p + "rows_per_file", "must be at least 1000 (got " + rowsPerFile + ")");
    }
    return new Output(root, database, names, rowsPerFile, intAtLeast(p + "vacuum_retention_hours", 0));
  }

  private Generate readGenerate() {
    String p = "lifecycle.generate.";
    LocalDate start = date(p + "start");
    LocalDate end = date(p + "end");
    if (!end.isAfter(start)) {
      throw fail(p + "end", "must be after generate.start");
    }
    String format = config.getString(p + "format").toLowerCase(Locale.ROOT);
    if (!List.of("csv", "json", "parquet").contains(format)) {
      throw fail(p + "format", "'" + format + "' is not one of [csv, json, parquet]");
    }
    long customers = config.getLong(p + "customers");
    if (customers < 1) {
      throw fail(p + "customers", "must be at least 1");
    }
    return new Generate(customers, config.getLong(p + "seed"), start, end, format,
        intAtLeast(p + "bots", 0), config.getLong(p + "events_per_bot"));
  }

  // ---- typed accessors that name the key on failure ----

  private String optionalString(String key) {
    return config.getIsNull(key) ? null : config.getString(key);
  }

  private <E extends Enum<E>> E choice(String key, Class<E> type) {
    String value = config.getString(key);
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw fail(key, "'" + value + "' is not one of " + lower(type.getEnumConstants()));
    }
  }

  /** Event types, normalized as the stage rules' are; none repeated. */
  private List<String> activityEvents(String key) {
    List<String> types = config.getStringList(key).stream().map(ConfigLoader::normalizeType).toList();
    if (types.stream().anyMatch(String::isEmpty)) {
      throw fail(key, "holds an empty event type");
    }
    if (new java.util.HashSet<>(types).size() != types.size()) {
      throw fail(key, "names an event type twice: " + types);
    }
    return types;
  }

  /** Day ranges written "from-to", in increasing order and not overlapping. */
  private List<Cohorts.Bracket> brackets(String key) {
    List<Cohorts.Bracket> brackets = new ArrayList<>();
    for (String value : config.getStringList(key)) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(\\d{1,5})\\s*-\\s*(\\d{1,5})\\s*").matcher(value);
      if (!m.matches() || Integer.parseInt(m.group(2)) < Integer.parseInt(m.group(1))) {
        throw fail(key, "'" + value + "' is not a range of days from-to with from <= to, e.g. 2-7");
      }
      Cohorts.Bracket b = new Cohorts.Bracket(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
      if (!brackets.isEmpty() && b.from() <= brackets.get(brackets.size() - 1).to()) {
        throw fail(key, "brackets must increase without overlapping: '" + value + "' starts before the previous one ends");
      }
      brackets.add(b);
    }
    return brackets;
  }

  /** At least one mode, each once, in the order given. */
  private List<Cohorts.RetentionMode> retentionModes(String key) {
    List<Cohorts.RetentionMode> modes = new ArrayList<>();
    for (String value : config.getStringList(key)) {
      Cohorts.RetentionMode mode;
      try {
        mode = Cohorts.RetentionMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw fail(key, "'" + value + "' is not one of " + lower(Cohorts.RetentionMode.values()));
      }
      if (modes.contains(mode)) {
        throw fail(key, "names '" + mode.code() + "' twice");
      }
      modes.add(mode);
    }
    if (modes.isEmpty()) {
      throw fail(key, "needs at least one of " + lower(Cohorts.RetentionMode.values()));
    }
    return modes;
  }

  private static String lower(Enum<?>[] values) {
    List<String> names = new ArrayList<>();
    for (Enum<?> v : values) {
      names.add(v.name().toLowerCase(Locale.ROOT));
    }
    return names.toString();
  }

  private Duration positiveDuration(String key) {
    Duration d = config.getDuration(key);
    if (d.isNegative() || d.isZero()) {
      throw fail(key, "must be > 0 (got " + config.getValue(key).unwrapped() + ")");
    }
    return d;
  }

  private Duration nonNegativeDuration(String key) {
    Duration d = config.getDuration(key);
    if (d.isNegative()) {
      throw fail(key, "must be >= 0");
    }
    return d;
  }

  private double fraction(String key) {
    double v = config.getDouble(key);
    if (!(v >= 0 && v <= 1)) {
      throw fail(key, "must be in [0, 1] (got " + v + ")");
    }
    return v;
  }

  private double positiveDouble(String key) {
    double v = config.getDouble(key);
    if (!(v > 0 && Double.isFinite(v))) {
      throw fail(key, "must be a positive number (got " + v + ")");
    }
    return v;
  }

  private double openFraction(String key) {
    double v = config.getDouble(key);
    if (!(v > 0 && v < 1)) {
      throw fail(key, "must be in (0, 1) (got " + v + ")");
    }
    return v;
  }

  /** In (0, 1]. */
  private double fractionAbove0(String key) {
    double v = config.getDouble(key);
    if (!(v > 0 && v <= 1)) {
      throw fail(key, "must be in (0, 1] (got " + v + ")");
    }
    return v;
  }

  /** A model grid of numbers: a non-empty list, each value within the bounds (inclusive where said). */
  private List<Double> grid(String key, double min, boolean minIncluded, double max, boolean maxIncluded) {
    List<Double> values = config.getDoubleList(key);
    String range = (minIncluded ? "[" : "(") + min + ", " + (Double.isInfinite(max) ? "inf)" : max + (maxIncluded ? "]" : ")"));
    if (values.isEmpty()) {
      throw fail(key, "must list at least one value (a grid; tuning = fixed takes the first)");
    }
    for (double v : values) {
      boolean above = minIncluded ? v >= min : v > min;
      boolean below = maxIncluded ? v <= max : v < max;
      if (!(above && below)) {
        throw fail(key, "every value must be in " + range + " (got " + v + ")");
      }
    }
    return values;
  }

  /** A grid of tree depths: a non-empty list of 1 to 30 (MLlib's limit). */
  private List<Integer> treeDepths(String key) {
    List<Integer> values = config.getIntList(key);
    if (values.isEmpty()) {
      throw fail(key, "must list at least one depth (a grid; tuning = fixed takes the first)");
    }
    for (int v : values) {
      if (v < 1 || v > 30) {
        throw fail(key, "every depth must be from 1 to 30 (got " + v + ")");
      }
    }
    return values;
  }

  private int intAtLeast(String key, int min) {
    int v = config.getInt(key);
    if (v < min) {
      throw fail(key, "must be at least " + min + " (got " + v + ")");
    }
    return v;
  }

  private int intBetween(String key, int min, int max) {
    int v = intAtLeast(key, min);
    if (v > max) {
      throw fail(key, "must be at most " + max + " (got " + v + ")");
    }
    return v;
  }

  private LocalDate date(String key) {
    String text = config.getString(key);
    try {
      return LocalDate.parse(text);
    } catch (DateTimeException e) {
      throw fail(key, "'" + text + "' is not a date (YYYY-MM-DD)");
    }
  }

  private void regex(String key, String pattern) {
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      throw fail(key, "not a valid regular expression: " + e.getDescription());
    }
  }

  private Map<String, String> stringMap(String key) {
    Map<String, String> map = new LinkedHashMap<>();
    Config sub = config.getConfig(key);
    for (String k : sub.root().keySet()) {
      ConfigValue v = sub.root().get(k);
      if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
        throw fail(key + "." + quoteKey(k), "must be a plain value");
      }
      map.put(k, v.valueType() == ConfigValueType.NULL ? null : String.valueOf(v.unwrapped()));
    }
    return map;
  }

  /** Canonical spelling of an event type: trimmed, lower case, spaces and hyphens as underscores. */
  public static String normalizeType(String raw) {
    return raw.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
  }

  private static String hash(Config c) {
    return hashOf(c.root().render(ConfigRenderOptions.concise()));
  }

  /** The first 8 bytes of the text's SHA-256, in hex: the configuration's hashes. */
  static String hashOf(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
