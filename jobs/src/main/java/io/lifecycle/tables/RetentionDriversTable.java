package io.lifecycle.tables;

import static io.lifecycle.tables.Columns.RUN_DATE;

import org.apache.spark.sql.types.DataTypes;

/**
 * {@code retention_drivers}: which behaviours of a customer's first days go with being retained, per
 * behaviour a 2x2 table of customers (with or without it, retained or not) and its odds ratio, interval
 * and multiple-testing-adjusted p-value. Associations, not causes: the table says which customers stay,
 * not what would make a customer stay.
 */
public final class RetentionDriversTable {
  private RetentionDriversTable() {}

  public static final String BEHAVIOUR_TYPE = "behaviour_type";
  public static final String BEHAVIOUR = "behaviour";
  public static final String VALUE = "value";
  public static final String MIN_COUNT = "min_count";
  public static final String WINDOW_DAYS = "window_days";
  public static final String RETAINED_DAY = "retained_day";
  public static final String WITH = "customers_with";
  public static final String RETAINED_WITH = "retained_with";
  public static final String WITHOUT = "customers_without";
  public static final String RETAINED_WITHOUT = "retained_without";
  public static final String RETENTION_WITH = "retention_with";
  public static final String RETENTION_WITHOUT = "retention_without";
  public static final String ODDS_RATIO = "odds_ratio";
  public static final String CI_LOWER = "or_ci_lower";
  public static final String CI_UPPER = "or_ci_upper";
  public static final String TEST = "test";
  public static final String P_VALUE = "p_value";
  public static final String P_ADJUSTED = "p_adjusted";

  /** behaviour_type values. */
  public static final String EVENT_TYPE = "event_type";
  public static final String EVENT_COUNT = "event_count";
  public static final String STAGE = "stage";
  public static final String FIRST_CHANNEL = "first_channel";
  /** The first channels beyond cohorts.drivers.top_channels, tested as one. */
  public static final String OTHER = "(other)";
  /** test values. */
  public static final String CHI_SQUARE = "chi_square";
  public static final String FISHER = "fisher";

  public static final TableDef DEF =
      TableDef.builder("retention_drivers", "Behaviours of a customer's first days (event types, event counts, stages, first channel) against being retained at a later day: retention with and without each, odds ratio with a 95% interval, p-value adjusted across behaviours (Benjamini-Hochberg). Associations, not causes.")
          .required(RUN_DATE, DataTypes.DateType, "As-of date of the run.")
          .required(BEHAVIOUR_TYPE, DataTypes.StringType, "event_type (did it at least once), event_count (did it at least min_count times), stage (had an event in the stage) or first_channel (the first channel an event named, 'unknown' if none by the window's end; '(other)' for the channels beyond the top ones).")
          .required(BEHAVIOUR, DataTypes.StringType, "The behaviour in words, e.g. 'purchase >= 2' or 'first_channel = email'.")
          .required(VALUE, DataTypes.StringType, "The event type, stage or channel.")
          .optional(MIN_COUNT, DataTypes.IntegerType, "event_count: the count threshold (cohorts.drivers.count_thresholds); null otherwise.")
          .required(WINDOW_DAYS, DataTypes.IntegerType, "Behaviours are those of the customer's first window_days days (from the first day of the lifetime, as cohorts.basis defines it).")
          .required(RETAINED_DAY, DataTypes.IntegerType, "Retained = active (as cohorts.activity defines it) on a day at least retained_day days after the first day; only customers whose day retained_day is before the run date are counted.")
          .required(WITH, DataTypes.LongType, "Eligible customers with the behaviour.")
          .required(RETAINED_WITH, DataTypes.LongType, "Of them, retained.")
          .required(WITHOUT, DataTypes.LongType, "Eligible customers without the behaviour.")
          .required(RETAINED_WITHOUT, DataTypes.LongType, "Of them, retained.")
          .optional(RETENTION_WITH, DataTypes.DoubleType, "retained_with / customers_with; null when nobody has the behaviour.")
          .optional(RETENTION_WITHOUT, DataTypes.DoubleType, "retained_without / customers_without; null when everybody has it.")
          .optional(ODDS_RATIO, DataTypes.DoubleType, "Odds of retention with the behaviour over the odds without; 0.5 added to every cell when one is 0 (Haldane-Anscombe); null when a margin is empty.")
          .optional(CI_LOWER, DataTypes.DoubleType, "Lower end of the odds ratio's 95% interval (Woolf: exp(ln OR - 1.96 SE)).")
          .optional(CI_UPPER, DataTypes.DoubleType, "Upper end of the odds ratio's 95% interval.")
          .optional(TEST, DataTypes.StringType, "chi_square (Pearson, 1 df, no continuity correction) when every expected count is at least 5, else fisher (exact, two-sided); null when a margin is empty.")
          .optional(P_VALUE, DataTypes.DoubleType, "Two-sided p-value of no association.")
          .optional(P_ADJUSTED, DataTypes.DoubleType, "p_value adjusted across the run's behaviours (Benjamini-Hochberg): the false discovery rate of calling this and every behaviour with a smaller p-value associated.")
          .build();
}
