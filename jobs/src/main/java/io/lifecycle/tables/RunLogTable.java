package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.*;

import org.apache.spark.sql.types.DataTypes;

/** {@code run_log}: one row per step attempt, appended, so operators can see what ran and why it failed. */
public final class RunLogTable {
  private RunLogTable() {}

  public static final String ATTEMPT_ID = "attempt_id";
  public static final String STEP = "step";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";
  public static final String STATUS = "status";
  public static final String INPUT_ROWS = "input_rows";
  public static final String OUTPUT_ROWS = "output_rows";
  public static final String QUARANTINED_ROWS = "quarantined_rows";
  public static final String CONFIG_HASH = "config_hash";
  public static final String APP_VERSION = "app_version";
  public static final String SPARK_VERSION = "spark_version";
  public static final String DELTA_VERSION = "delta_version";
  public static final String ERROR_MESSAGE = "error_message";
  public static final String MODE = "mode";
  public static final String HIGH_WATER_MARK = "high_water_mark";
  public static final String OUTPUT_ROOT = "output_root";
  public static final String NOTE = "note";
  public static final String SETTINGS_HASH = "settings_hash";

  /** The ingest step's name, and the two counts it records in output_rows beside its tables' rows. */
  public static final String INGEST = "ingest";
  public static final String STITCH = "stitch";
  public static final String INGEST_DUPLICATES = "duplicates";
  public static final String INGEST_SKIPPED = "skipped";

  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  public static final String SKIPPED = "SKIPPED";

  public static final TableDef DEF =
      TableDef.builder("run_log", "One row per pipeline step attempt: timing, row counts, status and error (append-only).")
          .required(RUN_ID, DataTypes.StringType, "Run identifier, derived from the run date.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date of the run.")
          .required(ATTEMPT_ID, DataTypes.StringType, "Unique id of this invocation of the job (a rerun of a date gets a new one).")
          .required(STEP, DataTypes.StringType, "Pipeline step name.")
          .required(STARTED_AT, DataTypes.TimestampType, "When the step started, UTC.")
          .optional(FINISHED_AT, DataTypes.TimestampType, "When the step finished, UTC.")
          .required(STATUS, DataTypes.StringType, "SUCCEEDED, FAILED, or SKIPPED when the step had nothing to do (train while the saved models are younger than models.retrain_every); the reason is in note.")
          .optional(INPUT_ROWS, DataTypes.LongType, "Rows the step read from its main input.")
          .optional(OUTPUT_ROWS, DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), "Rows written per table; the ingest step also records its duplicates and skipped input rows (keys duplicates, skipped), an incremental journeys step the customers it recomputed (key recomputed_customers).")
          .optional(QUARANTINED_ROWS, DataTypes.LongType, "Rows the step sent to quarantine.")
          .required(CONFIG_HASH, DataTypes.StringType, "Hash of the effective configuration.")
          .required(APP_VERSION, DataTypes.StringType, "Version of the lifecycle job.")
          .required(SPARK_VERSION, DataTypes.StringType, "Spark version that ran the step.")
          .required(DELTA_VERSION, DataTypes.StringType, "Delta Lake version that wrote the tables.")
          .optional(ERROR_MESSAGE, DataTypes.StringType, "Error of a failed step.")
          .optional(MODE, DataTypes.StringType, "Run mode: full or incremental (null in rows written before modes existed).")
          .optional(HIGH_WATER_MARK, DataTypes.TimestampType, "ingest: the latest clean event time it read; sessionize: the as-of instant its sessions cover.")
          .optional(OUTPUT_ROOT, DataTypes.StringType, "The qualified output root the run wrote to (e.g. file:/srv/lifecycle/warehouse, s3a://bucket/lifecycle); null in rows written before it was recorded.")
          .optional(NOTE, DataTypes.StringType, "Why a step was skipped (e.g. train: the saved models' version and age against models.retrain_every); null otherwise.")
          .optional(SETTINGS_HASH, DataTypes.StringType, "journeys: hash of the settings its stored journeys depend on (the stages and churn sections), which the next incremental run compares; null for the other steps and in rows written before it was recorded.")
          .writeMode(WriteMode.APPEND)
          .build();
}
