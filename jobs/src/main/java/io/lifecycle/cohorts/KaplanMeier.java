package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.tables.CohortSurvivalTable;
import io.lifecycle.tables.Columns;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Kaplan-Meier survival of customer lifetimes with right censoring, Greenwood's variance and a 95%
 * log-log confidence interval, plus the median and the restricted mean lifetime. Customers are first
 * aggregated to (group, tenure, churns, censorings), so the product-limit windows run over at most a
 * few thousand rows per group.
 */
public final class KaplanMeier {
  public static final String GROUP = "_group";
  public static final String TENURE = "_tenure";
  public static final String EVENT = "_event";
  private static final double Z = 1.959963984540054;
  /**
   * Rounding allowed when survival is compared with 0.5: the sum of logs over a few thousand tenures is
   * off by about 1e-13, and a survival of exactly one half (6 of 12 left) came out as 0.5000000000000001,
   * which moved the median to the next churn. Far below any real difference between two survival values.
   */
  private static final double ROUNDING = 1e-9;

  private KaplanMeier() {}

  /**
   * @param lifetimes one row per customer: group, tenure in days, and whether the churn was observed
   *     (1) or the customer is censored (0)
   */
  public static Dataset<Row> estimate(Dataset<Row> lifetimes, LocalDate runDate) {
    Dataset<Row> counts = lifetimes.groupBy(col(GROUP), col(TENURE))
        .agg(sum(col(EVENT)).cast("long").as(CohortSurvivalTable.EVENTS),
            sum(lit(1).minus(col(EVENT))).cast("long").as(CohortSurvivalTable.CENSORED));
    WindowSpec ordered = Window.partitionBy(GROUP).orderBy(TENURE);
    WindowSpec upTo = ordered.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec after = ordered.rowsBetween(Window.currentRow(), Window.unboundedFollowing());
    Column d = col(CohortSurvivalTable.EVENTS);
    Column n = col(CohortSurvivalTable.AT_RISK);
    Dataset<Row> km = counts
        .withColumn(CohortSurvivalTable.AT_RISK, sum(d.plus(col(CohortSurvivalTable.CENSORED))).over(after).cast("long"))
        // log(0) when everyone at risk churns: survival is 0 from there on.
        .withColumn("_log_s", sum(when(n.equalTo(d), lit(Double.NEGATIVE_INFINITY)).otherwise(log1p(d.divide(n).multiply(-1)))).over(upTo))
        .withColumn(CohortSurvivalTable.SURVIVAL, exp(col("_log_s")))
        .withColumn("_greenwood", sum(when(n.gt(d), d.divide(n.multiply(n.minus(d))))).over(upTo))
        .withColumn("_has_zero", max(n.equalTo(d)).over(upTo));
    Column s = col(CohortSurvivalTable.SURVIVAL);
    Column valid = s.gt(0).and(s.lt(1)).and(not(col("_has_zero")));
    Column seLogLog = sqrt(col("_greenwood")).divide(abs(log(s)));
    WindowSpec group = Window.partitionBy(GROUP);
    Column stepArea = lag(s, 1, 1.0).over(ordered).multiply(col(TENURE).minus(lag(col(TENURE), 1, 0).over(ordered)));
    return km
        .withColumn("_area", stepArea)
        .select(
            lit(Date.valueOf(runDate)).as(Columns.RUN_DATE),
            col(GROUP).as(CohortSurvivalTable.COHORT),
            col(TENURE).cast("int").as(CohortSurvivalTable.TENURE_DAYS),
            col(CohortSurvivalTable.AT_RISK),
            col(CohortSurvivalTable.EVENTS),
            col(CohortSurvivalTable.CENSORED),
            s,
            when(not(col("_has_zero")), s.multiply(sqrt(col("_greenwood")))).as(CohortSurvivalTable.STD_ERROR),
            when(valid, pow(s, exp(lit(Z).multiply(seLogLog)))).as(CohortSurvivalTable.CI_LOWER),
            when(valid, pow(s, exp(lit(-Z).multiply(seLogLog)))).as(CohortSurvivalTable.CI_UPPER),
            min(when(s.leq(0.5 + ROUNDING), col(TENURE))).over(group).divide(365.25).as(CohortSurvivalTable.MEDIAN_YEARS),
            sum(col("_area")).over(group).divide(365.25).as(CohortSurvivalTable.RMST_YEARS),
            max(col(TENURE)).over(group).cast("int").as(CohortSurvivalTable.HORIZON_DAYS));
  }
}
