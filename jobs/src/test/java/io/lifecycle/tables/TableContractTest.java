package io.lifecycle.tables;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.TestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The committed contract file must equal what the table definitions generate, so no schema change
 * reaches BI users by accident. To change a schema on purpose, regenerate it:
 * {@code mvn -pl jobs test -Dtest=TableContractTest -Dlifecycle.updateContract=true}.
 */
class TableContractTest {
  static final String CONTRACT = "jobs/src/main/resources/table-contract.md";

  @Test
  void committedContractMatchesDefinitions() throws Exception {
    Path file = TestSupport.projectFile(CONTRACT).toPath();
    String generated = TableContract.markdown();
    if (Boolean.getBoolean("lifecycle.updateContract")) {
      Files.writeString(file, generated);
    }
    assertTrue(Files.exists(file), "missing " + CONTRACT);
    assertEquals(Files.readString(file), generated,
        "table definitions changed: review and regenerate " + CONTRACT + " (see this test's Javadoc)");
  }

  @Test
  void readmeTableListComesFromTheDefinitions() throws Exception {
    Path readme = TestSupport.projectFile("README.md").toPath();
    String text = Files.readString(readme);
    String start = "<!-- tables:start (generated from io.lifecycle.tables; TableContractTest checks it) -->\n";
    String end = "<!-- tables:end -->";
    int i = text.indexOf(start);
    int j = text.indexOf(end);
    assertTrue(i >= 0 && j > i, "README.md lacks the generated table list markers");
    String generated = TableContract.summary();
    if (Boolean.getBoolean("lifecycle.updateContract")) {
      text = text.substring(0, i + start.length()) + generated + text.substring(j);
      Files.writeString(readme, text);
      j = text.indexOf(end);
    }
    assertEquals(generated, text.substring(i + start.length(), j), "README table list is stale: regenerate it (see this class)");
  }

  @Test
  void namesAreStableSnakeCaseAndEveryColumnHasAComment() {
    Set<String> names = new HashSet<>();
    for (TableDef t : Tables.all()) {
      assertTrue(names.add(t.name()), "duplicate table " + t.name());
      assertTrue(t.name().matches("[a-z][a-z0-9_]*"), t.name());
      assertFalse(t.comment().isBlank(), t.name());
      for (ColumnDef c : t.columns()) {
        assertTrue(c.name().matches("[a-z][a-z0-9_]*"), t.name() + "." + c.name());
        assertFalse(c.comment().isBlank(), t.name() + "." + c.name() + " has no comment");
      }
    }
  }
}
