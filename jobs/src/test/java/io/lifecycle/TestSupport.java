package io.lifecycle;

import io.lifecycle.config.ConfigLoader;
import io.lifecycle.config.LifecycleConfig;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Small helpers shared by tests: configs from HOCON snippets and order-insensitive row comparison. */
public final class TestSupport {
  private TestSupport() {}

  /** A config from HOCON lines (joined with newlines) over the defaults. */
  public static LifecycleConfig config(String... lines) {
    return ConfigLoader.parse(String.join("\n", lines), "test.conf");
  }

  /**
   * The fixture of the tests that run steps on a few hand-written rows: {@code dir/in} as the input and
   * {@code dir/out} as the output root, then {@code more} settings.
   */
  public static LifecycleConfig runConfig(java.nio.file.Path dir, String... more) {
    String[] lines = new String[more.length + 2];
    lines[0] = "lifecycle.input.path = \"" + dir.resolve("in") + "\"";
    lines[1] = "lifecycle.output.root = \"" + dir.resolve("out") + "\"";
    System.arraycopy(more, 0, lines, 2, more.length);
    return config(lines);
  }

  /** Writes {@code body} as {@code dir/in/file} (the input of {@link #runConfig}); returns the file. */
  public static java.nio.file.Path inputFile(java.nio.file.Path dir, String file, String body) throws java.io.IOException {
    java.nio.file.Path in = java.nio.file.Files.createDirectories(dir.resolve("in"));
    return java.nio.file.Files.writeString(in.resolve(file), body);
  }

  /** Rows as sorted strings, for order-insensitive exact comparison. */
  public static List<String> rows(Dataset<Row> df) {
    List<String> out = new ArrayList<>();
    for (Row r : df.collectAsList()) {
      out.add(r.mkString("|"));
    }
    return out.stream().sorted().collect(Collectors.toList());
  }

  /**
   * Two tables compared as multisets of rows in one aggregation: their sizes and the rows each has that
   * the other lacks (counted as {@code exceptAll} counts them, nulls equal to nulls). One shuffle per
   * comparison instead of a count and two {@code exceptAll}s.
   */
  public record RowDifference(long leftRows, long rightRows, long onlyLeft, long onlyRight) {}

  /** See {@link RowDifference}; both frames have the same columns (maps made comparable first). */
  public static RowDifference difference(Dataset<Row> left, Dataset<Row> right) {
    String side = "__side";
    Column[] columns = Arrays.stream(left.columns()).map(functions::col).toArray(Column[]::new);
    Dataset<Row> perRow = left.withColumn(side, functions.lit(1L))
        .unionByName(right.withColumn(side, functions.lit(-1L)))
        .groupBy(columns)
        .agg(functions.sum(functions.greatest(functions.col(side), functions.lit(0L))).as("l"),
            functions.sum(functions.greatest(functions.negate(functions.col(side)), functions.lit(0L))).as("r"));
    // One row of four sums.
    Row sums = perRow.agg(functions.sum("l"), functions.sum("r"),
            functions.sum(functions.greatest(functions.col("l").minus(functions.col("r")), functions.lit(0L))),
            functions.sum(functions.greatest(functions.col("r").minus(functions.col("l")), functions.lit(0L))))
        .head();
    return new RowDifference(orZero(sums, 0), orZero(sums, 1), orZero(sums, 2), orZero(sums, 3));
  }

  private static long orZero(Row row, int i) {
    return row.isNullAt(i) ? 0L : row.getLong(i);
  }

  /** A file of the repository, from the jobs module's working directory or the root. */
  public static File projectFile(String relative) {
    return new File(repoRoot(), relative);
  }

  /** The repository root: the folder holding jobs/ and conf/, from wherever Maven runs the tests. */
  public static File repoRoot() {
    File dir = new File(System.getProperty("user.dir")).getAbsoluteFile();
    while (dir != null && !(new File(dir, "jobs").isDirectory() && new File(dir, "conf").isDirectory())) {
      dir = dir.getParentFile();
    }
    if (dir == null) {
      throw new IllegalStateException("repository root not found above " + System.getProperty("user.dir"));
    }
    return dir;
  }

  /** The shared data sets folder (../shared/datasets beside the project root). */
  public static File sharedDataset(String relative) {
    File dir = new File(System.getProperty("user.dir")).getAbsoluteFile();
    while (dir != null) {
      File candidate = new File(dir, "shared/datasets/" + relative);
      if (candidate.exists()) {
        return candidate;
      }
      File sibling = new File(dir.getParentFile() == null ? dir : dir.getParentFile(), "shared/datasets/" + relative);
      if (sibling.exists()) {
        return sibling;
      }
      dir = dir.getParentFile();
    }
    throw new IllegalStateException("shared/datasets/" + relative + " not found above " + System.getProperty("user.dir"));
  }
}
