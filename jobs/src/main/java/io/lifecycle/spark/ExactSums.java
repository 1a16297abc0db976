package io.lifecycle.spark;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * Sums of doubles that do not depend on the order rows arrive in. A double sum does, in its last bits,
 * and a daily incremental run reads stored rows in another order than a full run: summed as decimals
 * (nine places, far below a currency's cent or a probability's meaningful digits), both give the same
 * value, and a model fitted on such sums gets bit-for-bit the same input.
 */
public final class ExactSums {
  private static final DecimalType EXACT = DataTypes.createDecimalType(38, 9);
  /** One integer digit fewer, so that the difference of two such values keeps all nine decimal places. */
  private static final DecimalType DIFFERENCE_OPERAND = DataTypes.createDecimalType(37, 9);

  private ExactSums() {}

  /** sum(value) as a double, independent of row order. */
  public static Column sum(Column value) {
    return functions.sum(value.cast(EXACT)).cast(DataTypes.DoubleType);
  }

  /**
   * sum(value) as the exact decimal, to be added up further with {@link #total}: the totals of groups'
   * partial sums are the sum of their rows, bit for bit, so several groupings can share one pass over
   * the rows.
   */
  public static Column partial(Column value) {
    return functions.sum(value.cast(EXACT));
  }

  /**
   * {@code minuend - subtrahend} of two {@link #partial} sums (running totals, say), exact: the sum of the
   * rows between them, as the decimal {@link #partial} gives (Spark would drop a decimal place to fit
   * the difference of two 38-digit decimals).
   */
  public static Column difference(Column minuend, Column subtrahend) {
    return minuend.cast(DIFFERENCE_OPERAND).minus(subtrahend.cast(DIFFERENCE_OPERAND));
  }

  /** The sum of {@link #partial} sums as a double: equal to {@link #sum} over their rows. */
  public static Column total(Column partials) {
    return functions.sum(partials).cast(DataTypes.DoubleType);
  }

  /** avg(value) as a double, independent of row order (nulls skipped, as avg does). */
  public static Column mean(Column value) {
    return sum(value).divide(functions.count(value));
  }
}
