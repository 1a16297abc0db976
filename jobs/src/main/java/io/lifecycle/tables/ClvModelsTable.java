package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/** {@code clv_models}: one row per model fit, with its estimates, standard errors and diagnostics. */
public final class ClvModelsTable {
  private ClvModelsTable() {}

  public static final String MODEL = "model";
  /** The model names the {@link #MODEL} column holds. */
  public static final String BG_NBD = "bg_nbd";
  public static final String PARETO_NBD = "pareto_nbd";
  public static final String GAMMA_GAMMA = "gamma_gamma";
  public static final String PURPOSE = "purpose";
  public static final String SEGMENT = "segment";
  public static final String CUTOFF = "cutoff";
  public static final String PARAMETERS = "parameters";
  public static final String STANDARD_ERRORS = "standard_errors";
  public static final String LOG_LIKELIHOOD = "log_likelihood";
  public static final String ITERATIONS = "iterations";
  public static final String CONVERGED = "converged";
  public static final String AT_BOUNDARY = "at_boundary";
  public static final String CUSTOMERS = "customers";
  public static final String DISTINCT_SUMMARIES = "distinct_summaries";
  public static final String FIT_SECONDS = "fit_seconds";
  public static final String SELECTED = "selected";
  public static final String MESSAGE = "message";
  /** The likelihood-ratio test of a covariates fit against the same model without them. */
  public static final String LR_STATISTIC = "lr_statistic";
  public static final String LR_DEGREES_OF_FREEDOM = "lr_degrees_of_freedom";
  public static final String LR_P_VALUE = "lr_p_value";
  /** purpose of the fits on all history (the ones the values use), and segment of the overall fits. */
  public static final String PURPOSE_FULL = "full";
  public static final String SEGMENT_ALL = "all";
  /** purpose of the fits with covariates (clv.covariates), whose segment is {@code covariate=name}. */
  public static final String PURPOSE_COVARIATES = "covariates";

  public static final TableDef DEF =
      TableDef.builder("clv_models", "Every CLV model fit of the run: BG/NBD, Pareto/NBD and Gamma-Gamma, on the full history and on the calibration period, overall and per segment; one slice per run date.")
          .required(RUN_DATE, DataTypes.DateType, "Run date.")
          .required(MODEL, DataTypes.StringType, "bg_nbd, pareto_nbd or gamma_gamma.")
          .required(PURPOSE, DataTypes.StringType, "full (all history to the run date, used for the values), calibration (history before the holdout) or covariates (all history, with clv.covariates).")
          .required(SEGMENT, DataTypes.StringType, "'all', cohort=yyyy-MM-dd / channel=name for per-segment fits, or covariate=name for a covariates fit.")
          .required(CUTOFF, DataTypes.DateType, "The fit saw purchases before this date.")
          .required(PARAMETERS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), "Maximum-likelihood estimates by name (r, alpha, a, b / s, beta / p, q, v); a covariates fit adds each level's factor on the purchase rate and the dropout, effect[level], the most common level being the reference.")
          .required(STANDARD_ERRORS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), "Standard errors from the inverse observed information (Hessian at the optimum).")
          .required(LOG_LIKELIHOOD, DataTypes.DoubleType, "Log-likelihood at the estimates.")
          .required(ITERATIONS, DataTypes.IntegerType, "Likelihood evaluations the optimizer spent.")
          .required(CONVERGED, DataTypes.BooleanType, "Whether the fit converged (a non-converged fit is never used).")
          .required(AT_BOUNDARY, DataTypes.BooleanType, "Whether a parameter ran to the edge of the search space (degenerate model).")
          .required(CUSTOMERS, DataTypes.LongType, "Customers in the fit.")
          .required(DISTINCT_SUMMARIES, DataTypes.LongType, "Distinct (x, t_x, T) triples (or (x, mean spend) pairs) the fit ran on.")
          .required(FIT_SECONDS, DataTypes.DoubleType, "Wall seconds of aggregation and fit.")
          .required(SELECTED, DataTypes.BooleanType, "Whether this purchase model was chosen (lower holdout error) for the predictions.")
          .optional(MESSAGE, DataTypes.StringType, "Optimizer diagnostics.")
          .optional(LR_STATISTIC, DataTypes.DoubleType, "Covariates fits: 2 x (log-likelihood with the covariate - without it); null otherwise.")
          .optional(LR_DEGREES_OF_FREEDOM, DataTypes.IntegerType, "Covariates fits: the parameters the covariate adds.")
          .optional(LR_P_VALUE, DataTypes.DoubleType, "Covariates fits: the likelihood-ratio test's p-value (chi-square).")
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
