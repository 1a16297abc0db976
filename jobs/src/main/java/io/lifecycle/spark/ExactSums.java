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

  private ExactSums() {}

  /** sum(value) as a double, independent of row order. */
  public static Column sum(Column value) {
    return functions.sum(value.cast(EXACT)).cast(DataTypes.DoubleType);
  }

  /**
   * sum(value) kept exact (a decimal), for a sum taken in steps: {@link #sumOfExact} of these partial
   * sums (say per day, then per month) is the same double as {@link #sum} over all the rows at once.
   */
  public static Column exactSum(Column value) {
    return functions.sum(value.cast(EXACT));
  }

  /** The sum of {@link #exactSum}s as a double. */
  public static Column sumOfExact(Column exactSums) {
    return functions.sum(exactSums).cast(DataTypes.DoubleType);
  }

  /** avg(value) as a double, independent of row order (nulls skipped, as avg does). */
  public static Column mean(Column value) {
    return sum(value).divide(functions.count(value));
  }
}
