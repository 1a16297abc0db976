package io.lifecycle.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The check a transformation makes of its input before planning: a missing column fails with its name
 * and the columns the input has, instead of Spark's unresolved-column error deep in a later plan.
 */
public final class RequiredColumns {
  private RequiredColumns() {}

  /** Fails naming the first of {@code names} that {@code df} lacks. */
  public static void require(Dataset<Row> df, String... names) {
    List<String> present = List.of(df.columns());
    for (String n : names) {
      if (!present.contains(n)) {
        throw new IllegalArgumentException("input lacks column " + n + " (has " + present + ")");
      }
    }
  }
}
