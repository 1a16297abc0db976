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
