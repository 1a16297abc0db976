package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code clv_holdout}: calibration/holdout check of the purchase models, per frequency bucket and in total. */
public final class ClvHoldoutTable {
  private ClvHoldoutTable() {}

  public static final String MODEL = "model";
  public static final String BUCKET = "frequency_bucket";
  public static final String CUSTOMERS = "customers";
  public static final String PREDICTED = "predicted_purchases";
  public static final String ACTUAL = "actual_purchases";
  public static final String CALIBRATION_END = "calibration_end";
  public static final String HOLDOUT_END = "holdout_end";
  /** frequency_bucket of all customers together. */
  public static final String ALL_BUCKETS = "all";

  public static final TableDef DEF =
      TableDef.builder("clv_holdout", "Repeat purchases in the holdout period predicted by models fitted on the calibration period, against the actual ones, per calibration frequency (0..6, 7+) and in total ('all').")
          .required(RUN_DATE, DataTypes.DateType, "Run date.")
          .required(MODEL, DataTypes.StringType, "bg_nbd or pareto_nbd.")
          .required(BUCKET, DataTypes.StringType, "Repeat purchase days in calibration: 0 .. 6, 7+, or all.")
          .required(CUSTOMERS, DataTypes.LongType, "Customers in the bucket.")
          .required(PREDICTED, DataTypes.DoubleType, "Sum of the predicted repeat purchase days in the holdout.")
          .required(ACTUAL, DataTypes.DoubleType, "Sum of the actual repeat purchase days in the holdout.")
          .required(CALIBRATION_END, DataTypes.DateType, "First day of the holdout (the calibration saw purchases before it).")
          .required(HOLDOUT_END, DataTypes.DateType, "Run date (the holdout ends the day before).")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
