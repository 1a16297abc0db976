package io.lifecycle.bench;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * One analysis step's tables computed twice over the same Parquet inputs, by the job's own Spark
 * transformations and by DuckDB SQL written independently from the table contract, then compared row by
 * row: the benchmark's yardstick for the step's speed ({@code bin/benchmark --mode reference}) and an
 * independent check of its numbers. A mismatch throws, naming the table and how many rows differ.
 */
interface StepReference {

  /** Every step reference the reference benchmark runs, in pipeline order (after sessions and cohort retention). */
  static List<StepReference> all() {
    return List.of(new IngestReference(), new JourneysReference(), new CohortsReference(), new ClvReference());
  }

  /** The step's name in the measurements and the ratio lines (a pipeline step's name). */
  String name();

  /** Ours: the step's tables by the job's transformations, each written as Parquet to {@code dir/<table>}. */
  void spark(ReferenceInputs in, Path dir);

  /** DuckDB: the same tables by SQL over the same inputs, each written as Parquet to {@code dir/<table>}. */
  void duckdb(ReferenceInputs in, Statement st, Path dir) throws SQLException;

  /**
   * Compares each table of {@code sparkDir} with the same of {@code duckdbDir} row by row and column by
   * column (doubles within 1e-6, relative above 1), prints one line per table ending in "every row and
   * column equal in Spark and DuckDB", and throws {@link IllegalStateException} on the first difference.
   * Returns the number of tables checked.
   */
  int check(ReferenceInputs in, Statement st, Path sparkDir, Path duckdbDir) throws SQLException;
}
