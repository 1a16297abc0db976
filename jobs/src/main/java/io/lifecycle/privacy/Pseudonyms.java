package io.lifecycle.privacy;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Replaces the values of a string column by their pseudonyms ({@link Pseudonymizer}), or leaves them
 * when pseudonymization is off. A frame-to-frame function rather than a column expression, so the key
 * can enter the plan as data instead of as a literal.
 */
@FunctionalInterface
public interface Pseudonyms {
  /** Pseudonymization off: the rows as they are. */
  Pseudonyms NONE = (rows, column) -> rows;

  Dataset<Row> replace(Dataset<Row> rows, String column);
}
