package io.lifecycle.config;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import io.lifecycle.TestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The keys users read about are the keys the job takes: every key of {@code lifecycle-reference.conf} (the
 * defaults, and the set of keys the loader accepts) has a row in the README's configuration table and a
 * declared {@link Setting}, and every key the table names or a section class declares exists there. A key
 * added, renamed or removed on one side only fails here.
 */
class ConfigDocumentationTest {
  private static final Config REFERENCE = ConfigFactory.parseResources(
      ConfigDocumentationTest.class.getClassLoader(), "lifecycle-reference.conf").getConfig("lifecycle");
  /** The classes that declare settings, one per section of the file. */
  private static final List<Class<?>> SECTIONS = List.of(IncrementalSettings.class, InputSettings.class, StageSettings.class,
      PrivacySettings.class, QualitySettings.class, SessionSettings.class, CohortSettings.class, ClvSettings.class,
      ModelSettings.class, OutputSettings.class, GenerateSettings.class);

  /** Every setting the section classes declare (a static field, or the values of a static map), by key. */
  static Map<String, Setting<?>> declaredSettings() throws IllegalAccessException {
    Map<String, Setting<?>> settings = new TreeMap<>();
    for (Class<?> section : SECTIONS) {
      for (java.lang.reflect.Field field : section.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object value = field.get(null);
        Collection<?> values = value instanceof Map<?, ?> map ? map.values() : List.of(value);
        for (Object v : values) {
          if (v instanceof Setting<?> setting) {
            assertNull(settings.put(setting.key(), setting), "declared twice: " + setting.key());
          }
        }
      }
    }
    return settings;
  }

  /**
   * The keys of the README's table "Every key, with its default": a cell {@code `a.b.c` / `.d`} names
   * {@code a.b.c} and {@code a.b.d}; {@code `a.b.<name>`} and {@code `a.*`} name every key under {@code a.b}
   * and {@code a} (returned ending with a dot).
   */
  static List<String> readmeKeys() throws IOException {
    List<String> lines = Files.readAllLines(TestSupport.projectFile("README.md").toPath());
    int start = lines.indexOf("Every key, with its default (all under `lifecycle.`):");
    assertTrue(start >= 0, "the README's configuration table");
    List<String> keys = new ArrayList<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.isBlank() && !keys.isEmpty()) {
        break;
      }
      if (!line.startsWith("| `")) {
        continue;
      }
      String cell = line.split("\\|")[1].trim();
      String first = null;
      for (String part : cell.split(" / ")) {
        String key = part.replace("`", "").trim();
        if (first == null) {
          first = key;
        } else {
          assertTrue(key.startsWith("."), "a continuation names the last part of a key: " + cell);
          key = first.substring(0, first.lastIndexOf('.')) + key;
        }
        keys.add(key.replaceAll("<[a-z_]+>$", "").replaceAll("\\*$", ""));
      }
    }
    return keys;
  }

  /** Every leaf key under {@code object}, null-valued ones included (which {@code Config.entrySet} leaves out). */
  static List<String> leaves(ConfigObject object, String prefix) {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof ConfigObject nested && !nested.isEmpty()) {
        keys.addAll(leaves(nested, key + "."));
      } else {
        keys.add(key);
      }
    }
    return keys;
  }

  @Test
  void everyKeyOfTheReferenceHasARowInTheReadmeAndEveryRowAKey() throws IOException {
    List<String> documented = readmeKeys();
    TreeSet<String> undocumented = new TreeSet<>();
    for (String key : leaves(REFERENCE.root(), "")) {
      boolean covered = documented.stream().anyMatch(d -> d.endsWith(".") ? (key + ".").startsWith(d) : key.equals(d));
      if (!covered) {
        undocumented.add(key);
      }
    }
    assertEquals(new TreeSet<>(), undocumented, "keys of lifecycle-reference.conf without a row in the README's table");
    TreeSet<String> unknown = new TreeSet<>();
    for (String d : documented) {
      String key = d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
      if (!REFERENCE.hasPathOrNull(key)) {
        unknown.add(d);
      }
    }
    assertEquals(new TreeSet<>(), unknown, "keys in the README's table that lifecycle-reference.conf does not have");
  }

  /**
   * Each key is declared once, as a {@link Setting} with its parser and checks: every leaf of the reference
   * file has one, and every setting has a default there. A free map (its keys the user's) is one setting.
   */
  @Test
  void everyKeyOfTheReferenceIsADeclaredSettingAndEverySettingHasADefault() throws IllegalAccessException {
    Map<String, Setting<?>> declared = declaredSettings();
    List<String> freeMaps = ConfigLoader.FREE_MAPS.stream().map(s -> s.key() + ".").toList();
    TreeSet<String> undeclared = new TreeSet<>();
    for (String leaf : leaves(REFERENCE.root(), "lifecycle.")) {
      if (!declared.containsKey(leaf) && freeMaps.stream().noneMatch(leaf::startsWith)) {
        undeclared.add(leaf);
      }
    }
    assertEquals(new TreeSet<>(), undeclared, "keys of lifecycle-reference.conf that no section class declares as a Setting");
    TreeSet<String> withoutDefault = new TreeSet<>();
    for (Setting<?> setting : declared.values()) {
      if (!REFERENCE.hasPathOrNull(setting.key().substring("lifecycle.".length()))) {
        withoutDefault.add(setting.key());
      }
      assertFalse(setting.description().isBlank(), setting.key() + " has no description");
    }
    assertEquals(new TreeSet<>(), withoutDefault, "settings without a default in lifecycle-reference.conf");
    assertTrue(declared.containsKey("lifecycle.input.columns.event_id") && declared.containsKey("lifecycle.mode"),
        declared.keySet().toString());
  }

  @Test
  void theTableParsingReadsContinuationsAndPlaceholders() throws IOException {
    List<String> keys = readmeKeys();
    assertTrue(keys.containsAll(List.of("models.rolling_cutoffs", "models.cutoff_step", "input.columns.", "generate.",
        "models.gbt.max_iter", "models.gbt.subsampling_rate", "mode")), keys.toString());
    assertTrue(leaves(REFERENCE.root(), "").contains("models.score_version"), "a key whose default is null");
  }
}
