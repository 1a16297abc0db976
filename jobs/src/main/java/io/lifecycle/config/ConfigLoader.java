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
import io.lifecycle.config.LifecycleConfig.Generate;
import io.lifecycle.config.LifecycleConfig.Incremental;
import io.lifecycle.config.LifecycleConfig.Input;
import io.lifecycle.config.LifecycleConfig.Models;
import io.lifecycle.config.LifecycleConfig.Output;
import io.lifecycle.config.LifecycleConfig.Privacy;
import io.lifecycle.config.LifecycleConfig.Quality;
import io.lifecycle.config.LifecycleConfig.Sessions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads a HOCON file over the defaults in {@code lifecycle-reference.conf} and validates every key
 * once: an unknown key, a missing required value, a wrong type or an impossible value stops the run at
 * start with a message naming the key and the file (exit code 2). Each key is declared once, as a
 * {@code Setting} of its section's class ({@code InputSettings}, {@code StageSettings}, ...), which reads it
 * and does the checks across keys; this class loads, rejects unknown keys and hashes.
 */
public final class ConfigLoader {
  /** Settings that schedule a step (when it runs), not what it computes: not in the section hashes. */
  private static final List<String> SCHEDULES = List.of("clv.revalue_every", "models.retrain_every");

  private static final String ROOT = "lifecycle";
  private static final String REFERENCE = "lifecycle-reference.conf";
  /** Maps whose keys are the user's own (reader options, aliases, channels, table renames): any key goes. */
  static final List<Setting<?>> FREE_MAPS =
      List.of(InputSettings.OPTIONS, InputSettings.PROPERTIES_OPTIONS, StageSettings.ALIASES, ClvSettings.ACQUISITION_COST,
          OutputSettings.TABLES);
  private static final Set<String> FREE_MAP_KEYS = FREE_MAPS.stream().map(Setting::key).collect(Collectors.toSet());

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
      String child = path + "." + Setting.quoteKey(entry.getKey());
      if (!reference.hasPathOrNull(child)) {
        throw fail(child, "unknown key" + at(entry.getValue()));
      }
      if (entry.getValue() instanceof ConfigObject nested && !FREE_MAP_KEYS.contains(child)) {
        checkKnownKeys(nested, child, reference);
      }
    }
  }

  private static String at(ConfigValue value) {
    return value.origin() != null && value.origin().lineNumber() > 0
        ? " (line " + value.origin().lineNumber() + ")"
        : "";
  }

  private LifecycleException fail(String key, String problem) {
    return ConfigReader.error(origin, key, problem);
  }

  private LifecycleConfig read() {
    ConfigReader r = new ConfigReader(config, origin);
    // Sections are read in this order so that a file with several errors reports the same one first as before.
    Input input = InputSettings.read(r);
    StageModel stages = StageSettings.read(r);
    InputSettings.checkEventTypeConstant(r, input, stages);
    Privacy privacy = PrivacySettings.read(r);
    Quality quality = QualitySettings.read(r);
    Sessions sessions = SessionSettings.read(r);
    Duration churn = r.get(SessionSettings.CHURN_INACTIVITY_THRESHOLD);
    Cohorts cohorts = CohortSettings.read(r);
    Clv clv = ClvSettings.read(r);
    Models models = ModelSettings.read(r);
    Output output = OutputSettings.read(r);
    Generate generate = GenerateSettings.read(r);
    Incremental incremental = IncrementalSettings.read(r);
    String hash = hash(config.getConfig(ROOT));
    // Per top-level section, as written: a step whose stored results depend on a few sections compares
    // only those between runs (LifecycleConfig.settingsHash). The schedules say when a step runs, not what
    // it computes: left out, so that turning one on keeps the results it would keep.
    Map<String, String> sectionHashes = new TreeMap<>();
    Config sections = config.getConfig(ROOT);
    for (String schedule : SCHEDULES) {
      sections = sections.withoutPath(schedule);
    }
    for (Map.Entry<String, ConfigValue> section : sections.root().entrySet()) {
      sectionHashes.put(section.getKey(), hashOf(section.getValue().render(ConfigRenderOptions.concise())));
    }
    return new LifecycleConfig(
        origin, hash, sectionHashes, input, stages, privacy, quality, sessions, churn, cohorts, clv, models, output, generate,
        incremental);
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
