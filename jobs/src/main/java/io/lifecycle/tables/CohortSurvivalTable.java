package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code cohort_survival}: Kaplan-Meier survival of customers over tenure, per cohort and overall, with censoring. */
public final class CohortSurvivalTable {
  private CohortSurvivalTable() {}

  public static final String COHORT = "cohort";
  public static final String TENURE_DAYS = "tenure_days";
  public static final String AT_RISK = "at_risk";
  public static final String EVENTS = "churn_events";
  public static final String CENSORED = "censored";
  public static final String SURVIVAL = "survival";
  public static final String STD_ERROR = "std_error";
  public static final String CI_LOWER = "ci_lower";
  public static final String CI_UPPER = "ci_upper";
  public static final String MEDIAN_YEARS = "median_lifetime_years";
  public static final String RMST_YEARS = "restricted_mean_lifetime_years";
  public static final String HORIZON_DAYS = "restriction_days";
  /** Cohort value of all customers together. */
  public static final String ALL_COHORTS = "all";

  public static final TableDef DEF =
      TableDef.builder("cohort_survival", "Kaplan-Meier survival over tenure (days from first purchase or activity to churn) per cohort and overall; customers whose churn is not observable by the run date are censored.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date of the run.")
          .required(COHORT, DataTypes.StringType, "Cohort period (yyyy-MM-dd) or 'all'.")
          .required(TENURE_DAYS, DataTypes.IntegerType, "Tenure at which churns or censorings happen, in days.")
          .required(AT_RISK, DataTypes.LongType, "Customers still observed (not churned, not censored) just before this tenure.")
          .required(EVENTS, DataTypes.LongType, "Customers churning at this tenure.")
          .required(CENSORED, DataTypes.LongType, "Customers censored at this tenure (observed this long, churn not yet observable).")
          .required(SURVIVAL, DataTypes.DoubleType, "Kaplan-Meier estimate of the share still a customer after this tenure.")
          .optional(STD_ERROR, DataTypes.DoubleType, "Greenwood standard error of the survival estimate.")
          .optional(CI_LOWER, DataTypes.DoubleType, "Lower bound of the 95% log-log confidence interval.")
          .optional(CI_UPPER, DataTypes.DoubleType, "Upper bound of the 95% log-log confidence interval.")
          .optional(MEDIAN_YEARS, DataTypes.DoubleType, "Median lifetime of the cohort in years (first tenure with survival <= 0.5); null when survival stays above 0.5.")
          .required(RMST_YEARS, DataTypes.DoubleType, "Restricted mean lifetime in years: area under the survival curve up to restriction_days. Feeds the simple CLV formula.")
          .required(HORIZON_DAYS, DataTypes.IntegerType, "Restriction of the mean lifetime: the cohort's largest observed tenure.")
          .build();
}
