package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code lifecycle_status}: growth accounting per period: new, retained, resurrected and dormant customers. */
public final class LifecycleStatusTable {
  private LifecycleStatusTable() {}

  public static final String SEGMENT = "segment";
  public static final String PERIOD = "period_start";
  public static final String NEW = "new_customers";
  public static final String RETAINED = "retained";
  public static final String RESURRECTED = "resurrected";
  public static final String DORMANT = "dormant";
  public static final String ACTIVE = "active_customers";
  public static final String QUICK_RATIO = "quick_ratio";

  public static final TableDef DEF =
      TableDef.builder("lifecycle_status", "Growth accounting per period, overall and per cohort: new, retained, resurrected (back after an inactive period) and dormant (active last period, not this one) customers.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date of the run.")
          .required(SEGMENT, DataTypes.StringType, "'all' or the cohort period (yyyy-MM-dd).")
          .required(PERIOD, DataTypes.DateType, "First day of the period.")
          .required(NEW, DataTypes.LongType, "Customers active for the first time.")
          .required(RETAINED, DataTypes.LongType, "Customers active in this period and the previous one.")
          .required(RESURRECTED, DataTypes.LongType, "Customers active now, not in the previous period, but active before it.")
          .required(DORMANT, DataTypes.LongType, "Customers active in the previous period but not in this one.")
          .required(ACTIVE, DataTypes.LongType, "new + retained + resurrected.")
          .optional(QUICK_RATIO, DataTypes.DoubleType, "(new + resurrected) / dormant: above 1 the active base grows.")
          .build();
}
