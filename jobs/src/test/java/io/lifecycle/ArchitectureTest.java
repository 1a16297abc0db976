package io.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The direction of the packages' dependencies, read from the main sources (imports and qualified names,
 * comments left out), so a change that points an arrow the wrong way fails here rather than in a review:
 * {@code cli -> pipeline -> steps -> neutral packages}; no step uses another step; the neutral packages
 * use no step, nor the pipeline, nor the command line, and only the neutral packages listed for them.
 * ARCHITECTURE.md draws the map.
 */
class ArchitectureTest {
  /** One package per pipeline step: each may use the pipeline and the neutral packages, never another step. */
  static final Set<String> STEPS = Set.of("ingest", "identity", "sessions", "journeys", "cohorts", "clv", "models", "report");

  /** The neutral packages and which of them each may use (none uses a step, the pipeline or the command line). */
  static final Map<String, Set<String>> NEUTRAL = Map.of(
      "tables", Set.of(),
      "config", Set.of(),
      "generate", Set.of(),
      "privacy", Set.of("config"),
      "io", Set.of("config", "tables"),
      "spark", Set.of("config", "tables", "io", "privacy"),
      "stats", Set.of("config", "tables", "spark"));

  /**
   * Arrows allowed for now against the rules, each to be moved away (the test also fails when one of them
   * is gone, so the list only shrinks). Empty: keep it so.
   */
  static final Set<String> PENDING = Set.of();

  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.lifecycle\\.([a-z]+)\\.");
  private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);
  private static final Pattern LINE_COMMENT = Pattern.compile("(?m)^\\s*//.*$|\\s//.*$");

  /** Each main package's file-level references to the other packages of the job: "from -> to" with one file that makes it. */
  static Map<String, String> dependencies() throws IOException {
    Path root = TestSupport.projectFile("jobs/src/main/java/io/lifecycle").toPath();
    Map<String, String> found = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Path rel = root.relativize(file);
        if (rel.getNameCount() < 2) {
          continue; // io.lifecycle itself (ExitCode, LifecycleException, Failures): usable by every package
        }
        String from = rel.getName(0).toString();
        String code = LINE_COMMENT.matcher(BLOCK_COMMENT.matcher(Files.readString(file)).replaceAll(" ")).replaceAll("");
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
          if (!m.group(1).equals(from)) {
            found.putIfAbsent(from + " -> " + m.group(1), rel.toString());
          }
        }
      }
    }
    return found;
  }

  static boolean allowed(String from, String to) {
    if (from.equals("cli")) {
      return true;
    }
    if (from.equals("pipeline")) {
      return NEUTRAL.containsKey(to);
    }
    if (STEPS.contains(from)) {
      return to.equals("pipeline") || NEUTRAL.containsKey(to);
    }
    return NEUTRAL.getOrDefault(from, Set.of()).contains(to);
  }

  @Test
  void dependenciesPointFromTheCommandLineToThePipelineToTheStepsToTheNeutralPackages() throws IOException {
    Map<String, String> dependencies = dependencies();
    Set<String> forbidden = new TreeSet<>();
    dependencies.forEach((arrow, file) -> {
      String[] ends = arrow.split(" -> ");
      if (!allowed(ends[0], ends[1]) && !PENDING.contains(arrow)) {
        forbidden.add(arrow + " (" + file + ")");
      }
    });
    assertEquals(Set.of(), forbidden, "dependencies against the package rules (ARCHITECTURE.md)");
    assertEquals(new TreeSet<>(PENDING), new TreeSet<>(PENDING.stream().filter(dependencies::containsKey).toList()),
        "a pending exception no longer exists: remove it from PENDING");
  }

  @Test
  void theRulesCatchAStepUsingAnotherAndANeutralPackageUsingAStep() {
    assertFalse(allowed("journeys", "sessions"));
    assertFalse(allowed("pipeline", "ingest"));
    assertFalse(allowed("tables", "pipeline"));
    assertFalse(allowed("spark", "models"));
    assertFalse(allowed("io", "spark"), "io is below spark");
    assertTrue(allowed("journeys", "spark"));
    assertTrue(allowed("cli", "ingest"));
    assertTrue(allowed("report", "pipeline"));
    assertTrue(allowed("models", "stats"));
    assertFalse(allowed("stats", "clv"), "the shared models use no step");
    // Every main package is known to the rules.
    Set<String> known = new TreeSet<>(STEPS);
    known.addAll(NEUTRAL.keySet());
    known.addAll(List.of("cli", "pipeline"));
    Set<String> packages = new TreeSet<>();
    for (java.io.File f : TestSupport.projectFile("jobs/src/main/java/io/lifecycle").listFiles(java.io.File::isDirectory)) {
      packages.add(f.getName());
    }
    assertEquals(known, packages, "a new package needs its place in the rules");
  }
}
