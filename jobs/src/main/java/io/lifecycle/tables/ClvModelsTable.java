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
  /** purpose of the fits on all history (the ones the values use), and segment of the overall fits. */
  public static final String PURPOSE_FULL = "full";
  public static final String SEGMENT_ALL = "all";

  public static final TableDef DEF =
      TableDef.builder("clv_models", "Every CLV model fit of the run: BG/NBD, Pareto/NBD and Gamma-Gamma, on the full history and on the calibration period, overall and per segment; one slice per run date.")
          .required(RUN_DATE, DataTypes.DateType, "Run date.")
          .required(MODEL, DataTypes.StringType, "bg_nbd, pareto_nbd or gamma_gamma.")
          .required(PURPOSE, DataTypes.StringType, "full (all history to the run date, used for the values) or calibration (history before the holdout).")
          .required(SEGMENT, DataTypes.StringType, "'all', or cohort=yyyy-MM-dd / channel=name for per-segment fits.")
          .required(CUTOFF, DataTypes.DateType, "The fit saw purchases before this date.")
          .required(PARAMETERS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType), "Maximum-likelihood estimates by name (r, alpha, a, b / s, beta / p, q, v).")
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
          .partitionedBy(RUN_DATE)
          .replacedPerRunDate(RUN_DATE)
          .build();
}
