package io.lifecycle.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifecycle.NeedsSampleRun;
import io.lifecycle.SampleRun;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Every SQL cell of every notebook in {@code notebooks/} runs through Spark against the sample run's
 * output and must return rows with the columns its metadata names ({@code metadata.lifecycle.columns}),
 * so a notebook cannot silently rot when a table changes. A SQL cell starts with {@code %%sql} and
 * refers to tables as {@code delta.`{output_root}/<table>`}.
 */
@NeedsSampleRun
@Isolated
class NotebooksIT {
  static final String PLACEHOLDER = "{output_root}";
  static final List<String> REQUIRED = List.of(
      "01_cohorts_retention_churn.ipynb", "02_funnel_paths_transitions.ipynb",
      "03_clv_segments_value_tiers.ipynb", "04_model_performance.ipynb");

  record SqlCell(String notebook, int index, String sql, List<String> columns) {}

  static List<File> notebooks() {
    File[] files = TestSupport.projectFile("notebooks").listFiles((d, n) -> n.endsWith(".ipynb"));
    assertNotNull(files, "notebooks/ is missing");
    return Arrays.stream(files).sorted().toList();
  }

  static List<SqlCell> sqlCells(File notebook) throws Exception {
    JsonNode nb = new ObjectMapper().readTree(notebook);
    assertEquals(4, nb.path("nbformat").asInt(), notebook.getName() + ": not an nbformat 4 notebook");
    List<SqlCell> cells = new ArrayList<>();
    JsonNode all = nb.path("cells");
    for (int i = 0; i < all.size(); i++) {
      JsonNode cell = all.get(i);
      StringBuilder source = new StringBuilder();
      JsonNode src = cell.path("source");
      if (src.isArray()) {
        src.forEach(line -> source.append(line.asText()));
      } else {
        source.append(src.asText());
      }
      String text = source.toString();
      if (!cell.path("cell_type").asText().equals("code") || !text.startsWith("%%sql")) {
        continue;
      }
      List<String> columns = new ArrayList<>();
      cell.path("metadata").path("lifecycle").path("columns").forEach(c -> columns.add(c.asText()));
      assertFalse(columns.isEmpty(), notebook.getName() + " cell " + i + ": metadata.lifecycle.columns is missing");
      cells.add(new SqlCell(notebook.getName(), i, text.substring(text.indexOf('\n') + 1), columns));
    }
    return cells;
  }

  @Test
  void theAnalystNotebooksAreThere() throws Exception {
    List<String> names = notebooks().stream().map(File::getName).toList();
    assertTrue(names.containsAll(REQUIRED), "notebooks/ holds " + names);
    for (File nb : notebooks()) {
      assertFalse(sqlCells(nb).isEmpty(), nb.getName() + " has no %%sql cell");
    }
  }

  @TestFactory
  Stream<DynamicTest> everySqlCellRunsOnTheSampleRun() throws Exception {
    List<SqlCell> cells = new ArrayList<>();
    for (File nb : notebooks()) {
      cells.addAll(sqlCells(nb));
    }
    return cells.stream().map(cell -> DynamicTest.dynamicTest(cell.notebook() + " cell " + cell.index(), () -> {
      Path out = SampleRun.output();
      assertTrue(cell.sql().contains(PLACEHOLDER), "the cell reads no table through " + PLACEHOLDER);
      Dataset<Row> result = SharedSpark.launcher().sql(cell.sql().replace(PLACEHOLDER, out.toString()));
      assertEquals(cell.columns(), List.of(result.columns()), "columns of " + cell.notebook() + " cell " + cell.index());
      // Bounded: the cells aggregate; a few rows are enough to know the cell returns something.
      assertFalse(result.limit(1).collectAsList().isEmpty(), cell.notebook() + " cell " + cell.index() + " returned no rows");
    }));
  }
}
