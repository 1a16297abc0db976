package io.lifecycle;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards the rule that nothing unbounded reaches the driver: every call in the job's sources that
 * brings a Dataset's rows to the driver ({@code collect()}, {@code collectAsList()}, {@code take},
 * {@code toLocalIterator}, {@code tail}, {@code head(n)}) must say on its line, or in the comment lines just
 * above, why its size is bounded. A new per-customer collect without that reasoning fails the build.
 */
class DriverCollectGuardTest {
  private static final Pattern TO_DRIVER = Pattern.compile(
      "\\.(collect|collectAsList|toLocalIterator)\\(\\)|\\.(take|takeAsList|tail)\\(|\\.head\\(\\s*\\d");

  @Test
  void everyCollectToTheDriverSaysWhyItIsBounded() throws IOException {
    List<String> unexplained = new ArrayList<>();
    int calls = 0;
    try (Stream<Path> files = Files.walk(TestSupport.projectFile("jobs/src/main/java").toPath())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (!TO_DRIVER.matcher(lines.get(i)).find()) {
            continue;
          }
          calls++;
          if (!explained(lines, i)) {
            unexplained.add(file.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
          }
        }
      }
    }
    assertTrue(calls >= 5, "the scan found the known collects (" + calls + ")");
    assertEquals(List.of(), unexplained, "collects to the driver without a 'bounded' comment");
  }

  @Test
  void theGuardCatchesAnUnexplainedCollect() {
    List<String> lines = List.of("    Dataset<Row> customers = summary;", "    List<Row> all = customers.collectAsList();");
    assertTrue(TO_DRIVER.matcher(lines.get(1)).find());
    assertFalse(explained(lines, 1));
    assertTrue(explained(List.of("    // Bounded: one row per stage.", "    x.groupBy(s)", "        .count().collectAsList();"), 2));
    assertFalse(TO_DRIVER.matcher("names.stream().collect(Collectors.toList())").find());
  }

  /** A comment with "bounded" on the line or within the seven lines above it (a statement's start). */
  private static boolean explained(List<String> lines, int at) {
    for (int i = Math.max(0, at - 7); i <= at; i++) {
      String line = lines.get(i);
      int comment = Math.max(line.indexOf("//"), line.indexOf("*"));
      if (comment >= 0 && line.substring(comment).toLowerCase().contains("bounded")) {
        return true;
      }
    }
    return false;
  }
}
