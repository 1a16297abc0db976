package io.lifecycle.config;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Setting abstraction on its own: how a value is read, checked and turned into the loader's error. */
class SettingTest {
  private static ConfigReader reader(String hocon) {
    return new ConfigReader(ConfigFactory.parseString(hocon).resolve(), "t.conf");
  }

  private static String error(String hocon, Setting<?> setting) {
    LifecycleException e = assertThrows(LifecycleException.class, () -> reader(hocon).get(setting));
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    return e.getMessage();
  }

  @Test
  void aProblemNamesTheOriginAndTheKey() {
    Setting<Integer> draws = Setting.intBetween("a.draws", 20, 5000, "draws");
    assertEquals(200, reader("a.draws = 200").get(draws));
    assertEquals("t.conf: a.draws: must be at least 20 (got 19)", error("a.draws = 19", draws));
    assertEquals("t.conf: a.draws: must be at most 5000 (got 5001)", error("a.draws = 5001", draws));
    Setting<Duration> gap = Setting.positiveDuration("a.gap", "gap");
    assertEquals("t.conf: a.gap: must be > 0 (got 0 minutes)", error("a.gap = 0 minutes", gap));
    assertEquals(Duration.ofMinutes(5), reader("a.gap = 5 minutes").get(gap));
  }

  @Test
  void checksRunInOrderAndMapTurnsTheCheckedValue() {
    Setting<List<String>> types = Setting.stringList("a.types", "types")
        .<List<String>>map(l -> l.stream().map(ConfigLoader::normalizeType).toList())
        .check(l -> !l.isEmpty(), l -> "needs one")
        .check(l -> l.size() < 3, l -> "too many: " + l);
    assertEquals(List.of("page_view"), reader("a.types = [Page View]").get(types));
    assertEquals("t.conf: a.types: needs one", error("a.types = []", types));
    assertEquals("t.conf: a.types: too many: [a, b, c]", error("a.types = [A, B, C]", types));
  }

  @Test
  void aPartOfAValueIsNamedByItsOwnKey() {
    Setting<Map<String, String>> options = Setting.stringMap("a.options", "options");
    assertEquals(Map.of("header", "true"), reader("a.options { header = true }").get(options));
    assertEquals("t.conf: a.options.\"my key\": must be a plain value", error("a.options { \"my key\" = [1] }", options));
    assertEquals("t.conf: a.kind: 'xml' is not one of [csv, json, parquet, delta, text]",
        error("a.kind = xml", Setting.choice("a.kind", LifecycleConfig.InputFormat.class, "kind")));
  }
}
