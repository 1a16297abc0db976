package io.lifecycle.config;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The whole validated, immutable configuration of a run. Built only by {@link ConfigLoader}, which
 * checks every value once at start-up so that steps never meet a bad setting halfway through a run.
 */
public record LifecycleConfig(
    String source,
    String hash,
    Map<String, String> sectionHashes,
    Input input,
    StageModel stages,
    Privacy privacy,
    Quality quality,
    Sessions sessions,
    Duration churnThreshold,
    Cohorts cohorts,
    Clv clv,
    Models models,
    Output output,
    Generate generate,
    Incremental incremental) {

  public LifecycleConfig {
    sectionHashes = Immutable.map(sectionHashes);
  }

  /**
   * A hash of the named top-level sections ({@code stages}, {@code churn}, ...) as written, for a step
   * whose stored results depend on those settings only: an incremental run compares it with the one its
   * previous run recorded ({@code run_log.settings_hash}) rather than the whole configuration's hash.
   */
  public String settingsHash(String... sections) {
    StringBuilder joined = new StringBuilder();
    for (String section : sections) {
      joined.append(section).append('=').append(sectionHashes.getOrDefault(section, "-")).append(';');
    }
    return ConfigLoader.hashOf(joined.toString());
  }

  /** Input formats the ingest step reads. */
  public enum InputFormat {
    CSV,
    JSON,
    PARQUET,
    DELTA,
    TEXT
  }

  /** Canonical event fields a source column can map to. */
  public enum Field {
    CUSTOMER_ID(true),
    EVENT_TIME(true),
    EVENT_TYPE(true),
    AMOUNT(false),
    CHANNEL(false),
    EVENT_ID(false),
    /** A cookie or device id on rows before (or beside) the known customer id: turns identity stitching on. */
    ANONYMOUS_ID(false);

    private final boolean required;

    Field(boolean required) {
      this.required = required;
    }

    public boolean required() {
      return required;
    }

    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public record Input(
      String path,
      InputFormat format,
      Map<String, String> options,
      String textDelimiter,
      List<String> textFields,
      String textSkipPattern,
      Map<Field, String> columns,
      String eventTypeConstant,
      List<String> timestampFormats,
      ZoneId zone,
      Dedup dedup,
      Identity identity) {
    public Input {
      options = Immutable.map(options);
      textFields = Immutable.list(textFields);
      columns = Immutable.map(columns);
      timestampFormats = Immutable.list(timestampFormats);
    }

    /** Whether rows carry ids beside the known customer id, so the stitch step links them. */
    public boolean stitchesIdentities() {
      return columns.get(Field.ANONYMOUS_ID) != null || identity.aliasColumn() != null || !identity.extraIdColumns().isEmpty();
    }

    /**
     * The source columns holding ids other than the known customer id, each with the id type its values
     * get in {@code events.identity_ids} and {@code identity_map}, in priority order: a row without a
     * known id belongs to the customer of its first such id.
     */
    public List<IdColumn> otherIdColumns() {
      List<IdColumn> ids = new java.util.ArrayList<>();
      if (columns.get(Field.ANONYMOUS_ID) != null) {
        ids.add(new IdColumn(Field.ANONYMOUS_ID.key(), columns.get(Field.ANONYMOUS_ID)));
      }
      if (identity.aliasColumn() != null) {
        ids.add(new IdColumn(Field.ANONYMOUS_ID.key(), identity.aliasColumn()));
      }
      identity.extraIdColumns().forEach(c -> ids.add(new IdColumn(c, c)));
      return List.copyOf(ids);
    }
  }

  /** A source column of ids and the id type its values are stitched as. */
  public record IdColumn(String idType, String source) {}

  /**
   * How identities are stitched ({@code input.identity}): the extra id columns, the alias column and the
   * link-only event types, and the caps that keep a shared device from merging unrelated customers.
   */
  public record Identity(List<String> extraIdColumns, String aliasColumn, List<String> linkEventTypes,
      int maxKnownIdsPerId, int maxIdsPerId, long maxIdsPerCustomer, int maxRounds) {
    public Identity {
      extraIdColumns = Immutable.list(extraIdColumns);
      linkEventTypes = Immutable.list(linkEventTypes);
    }
  }

  /** Which rows count as duplicates of each other. */
  public enum Dedup {
    AUTO,
    EVENT_ID,
    NONE
  }

  /**
   * Pseudonymization of customer ids. Holds where the key comes from, never the key itself, so the
   * config can be logged and hashed safely; {@link io.lifecycle.privacy.Pseudonymizer} reads the key.
   */
  public record Privacy(boolean pseudonymize, String keyEnv, String keyFile) {}

  public record Quality(double maxQuarantineShare, Duration futureTolerance, LocalDate earliestEventDate) {}

  public record Sessions(Duration inactivityGap, Duration maxDuration) {}

  /** Whether a run recomputes from all history or processes one day's new events. */
  public enum Mode {
    /** Ingest replaces {@code events} with the input; sessions are recomputed from every event. */
    FULL,
    /** Ingest merges a day's new events into {@code events}; only the affected customers are re-sessionized. */
    INCREMENTAL
  }

  /**
   * The run mode and, for incremental runs, how late an event may arrive: an event whose time is before
   * the day before the run date minus {@code maxLateness} is quarantined as {@code too_late}.
   */
  public record Incremental(Mode mode, Duration maxLateness) {
    public boolean enabled() {
      return mode == Mode.INCREMENTAL;
    }
  }

  /**
   * Cohort definitions; see the README's cohort section.
   *
   * @param activityEvents event types that count as activity; when not empty, they replace {@code activity}
   * @param retentionModes the retention definitions cohort_retention holds, one row set each
   * @param brackets day ranges of a customer's lifetime, for bracket retention (none: no bracket rows)
   * @param breakdowns customer properties that split the retention matrix, the churn rates and the funnel
   */
  public record Cohorts(Basis basis, Period period, Activity activity, List<String> activityEvents, boolean byChannel,
      Projection projection, List<RetentionMode> retentionModes, List<Bracket> brackets, Drivers drivers,
      Breakdowns breakdowns) {
    public Cohorts {
      activityEvents = List.copyOf(activityEvents);
      retentionModes = List.copyOf(retentionModes);
      brackets = List.copyOf(brackets);
    }

    /** A copy with other breakdowns (the properties' source kept). */
    public Cohorts withBreakdowns(Breakdowns other) {
      return new Cohorts(basis, period, activity, activityEvents, byChannel, projection, retentionModes, brackets, drivers, other);
    }

    /**
     * {@code cohorts.breakdowns}: customer properties that split the retention matrix, the churn rates
     * and the funnel, each to its {@code topValues} most common values plus {@code (other)}, so a
     * high-cardinality property cannot explode a table. A name is a built-in ({@link #BUILT_IN}: derived
     * from the events) or a column of {@code input.customer_properties}.
     */
    public record Breakdowns(List<String> names, int topValues, CustomerProperties properties) {
      public static final String ACQUISITION_CHANNEL = "acquisition_channel";
      public static final String FIRST_STAGE = "first_stage";
      /** Properties every run can derive from the events. */
      /** 'identified' or 'anonymous' (a visitor who never identified: identity stitching); 'identified' without it. */
      public static final String IDENTITY = "identity";
      public static final List<String> BUILT_IN = List.of(ACQUISITION_CHANNEL, FIRST_STAGE, IDENTITY);

      public Breakdowns {
        names = List.copyOf(names);
      }

      public boolean isEmpty() {
        return names.isEmpty();
      }

      /** Whether a breakdown reads {@code input.customer_properties}. */
      public boolean readsProperties() {
        return names.stream().anyMatch(n -> !BUILT_IN.contains(n));
      }
    }

    /**
     * Days {@code from} to {@code to} (inclusive) of a customer's lifetime, day 0 its first day: bracket
     * retention counts the customers active on at least one of them (Amplitude's custom brackets).
     */
    public record Bracket(int from, int to) {
      public Bracket {
        if (from < 0 || to < from) {
          throw new IllegalArgumentException("a bracket needs 0 <= from <= to, got " + from + "-" + to);
        }
      }

      /** As written in the config and in cohort_retention's bracket column: "2-7". */
      public String label() {
        return from + "-" + to;
      }
    }

    public enum Basis {
      FIRST_PURCHASE,
      FIRST_ACTIVITY
    }

    public enum Period {
      MONTH,
      WEEK,
      DAY
    }

    /** Which customers a retention cell counts (Amplitude's "on" and "unbounded" retention). */
    public enum RetentionMode {
      /** Active in the period itself. */
      ON,
      /** Active in the period or any later one: the share not yet gone for good (never below a later cell). */
      ON_OR_AFTER;

      /** The value of cohort_retention's retention_mode column. */
      public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }
    }

    public enum Activity {
      PURCHASE,
      ANY_EVENT
    }

    /** How the unreached cells of the retention matrix are projected (sBG fits, see the README). */
    public enum Projection {
      /** Each cohort's own fit under an empirical-Bayes prior from all cohorts: young cohorts borrow the shape. */
      POOLED,
      /** Each cohort's own maximum-likelihood fit, none for a cohort with fewer than two periods after its first. */
      PER_COHORT
    }

    /**
     * What drives retention (table {@code retention_drivers}): behaviours of a customer's first
     * {@code windowDays} days against being retained at day {@code retainedDay}; event counts at each of
     * {@code countThresholds}; the {@code topEventTypes} most common event types and {@code topChannels}
     * first channels (the others as one), so the tests stay a bounded number.
     */
    public record Drivers(int windowDays, int retainedDay, List<Integer> countThresholds, int topEventTypes, int topChannels) {
      public Drivers {
        countThresholds = List.copyOf(countThresholds);
      }
    }
  }

  /**
   * {@code input.customer_properties}: a table with one row per customer (its id in {@code
   * customerIdColumn}) and properties as columns, for breakdowns and CLV covariates. Ids are pseudonymized
   * as the events' are when privacy.pseudonymize is on.
   */
  public record CustomerProperties(String path, InputFormat format, String customerIdColumn, Map<String, String> options) {
    public CustomerProperties {
      options = Immutable.map(options);
    }

    public CustomerProperties withPath(String other) {
      return new CustomerProperties(other, format, customerIdColumn, options);
    }
  }

  /**
   * The {@code clv} section. {@code covariates} (categorical: built-ins or property columns) and {@code
   * numericCovariates} (property columns read as numbers) are fitted together as covariates of the
   * purchase models; the properties' table is the one breakdowns read ({@code
   * cohorts().breakdowns().properties()}), validated at load to be set when a covariate needs it.
   */
  public record Clv(
      double grossMargin,
      double annualDiscountRate,
      int horizonMonths,
      TimeUnit timeUnit,
      Map<String, Double> acquisitionCost,
      Segments fitSegments,
      int holdoutWeeks,
      List<Integer> forecastDays,
      int attributionChannels,
      Intervals intervals,
      int intervalDraws,
      int pathSegments,
      List<String> covariates,
      List<String> numericCovariates,
      /** Incremental runs keep the last valuation while it is younger than this (0: revalue every run). */
      java.time.Duration revalueEvery) {
    /** The built-in customer attribute on the CLV summary, which {@code clv.covariates} takes from there. */
    public static final String ACQUISITION_CHANNEL = "acquisition_channel";

    public Clv {
      acquisitionCost = Immutable.map(acquisitionCost);
      forecastDays = Immutable.list(forecastDays);
      covariates = Immutable.list(covariates);
      numericCovariates = Immutable.list(numericCovariates);
    }

    public enum TimeUnit {
      DAYS,
      WEEKS
    }

    public enum Segments {
      NONE,
      COHORT,
      CHANNEL
    }

    /** How the CLV intervals are made: from the fits' asymptotic normal, or not at all. */
    public enum Intervals {
      ASYMPTOTIC,
      NONE
    }

    /** Acquisition cost of a channel, falling back to the {@code default} entry. */
    public double acquisitionCostOf(String channel) {
      Double cost = channel == null ? null : acquisitionCost.get(channel);
      return cost != null ? cost : acquisitionCost.getOrDefault("default", 0.0);
    }
  }

  public record Models(
      Duration churnHorizon,
      ChurnActivity churnActivity,
      int rollingCutoffs,
      Duration cutoffStep,
      double testFraction,
      long seed,
      String scoreVersion,
      boolean gridSearch,
      int maxTrainingCustomers,
      Duration retrainEvery,
      double driftRetrainPsi,
      Gbt gbt,
      Logistic logistic,
      Forest forest) {
    public enum ChurnActivity {
      ANY_EVENT,
      PURCHASE
    }

    /** The churn GBT's settings; each list is a grid (its first value when {@code tuning = fixed}). */
    public record Gbt(int maxIter, List<Integer> maxDepth, List<Double> stepSize, double subsamplingRate) {
      public Gbt {
        maxDepth = List.copyOf(maxDepth);
        stepSize = List.copyOf(stepSize);
      }
    }

    /** The churn logistic regression's settings; each list is a grid. */
    public record Logistic(int maxIter, List<Double> regParam, List<Double> elasticNetParam) {
      public Logistic {
        regParam = List.copyOf(regParam);
        elasticNetParam = List.copyOf(elasticNetParam);
      }
    }

    /** The next-stage random forest's settings; the list is a grid. */
    public record Forest(int numTrees, List<Integer> maxDepth) {
      public Forest {
        maxDepth = List.copyOf(maxDepth);
      }
    }
  }

  public record Output(
      String root, String database, Map<String, String> tableNames, long rowsPerFile, int vacuumRetentionHours) {
    public Output {
      tableNames = Immutable.map(tableNames);
    }

    /** The physical name of a logical table: itself unless renamed in {@code output.tables}. */
    public String tableName(String logicalName) {
      return tableNames.getOrDefault(logicalName, logicalName);
    }
  }

  public record Generate(
      long customers, long seed, LocalDate start, LocalDate end, String format, int bots, long eventsPerBot) {}

  /** A copy with the input path replaced (the {@code --input} option). */
  public LifecycleConfig withInputPath(String path) {
    Input i = input;
    return new LifecycleConfig(source, hash, sectionHashes,
        new Input(path, i.format(), i.options(), i.textDelimiter(), i.textFields(), i.textSkipPattern(),
            i.columns(), i.eventTypeConstant(), i.timestampFormats(), i.zone(), i.dedup(), i.identity()),
        stages, privacy, quality, sessions, churnThreshold, cohorts, clv, models, output, generate, incremental);
  }

  /** A copy with the output root replaced (the {@code --output} option). */
  public LifecycleConfig withOutputRoot(String root) {
    Output o = output;
    return new LifecycleConfig(source, hash, sectionHashes, input, stages, privacy, quality, sessions, churnThreshold, cohorts, clv,
        models, new Output(root, o.database(), o.tableNames(), o.rowsPerFile(), o.vacuumRetentionHours()),
        generate, incremental);
  }

  /** A copy with input.customer_properties.path replaced (qualified). */
  public LifecycleConfig withCustomerPropertiesPath(String path) {
    Cohorts.Breakdowns b = cohorts.breakdowns();
    Cohorts c = cohorts.withBreakdowns(new Cohorts.Breakdowns(b.names(), b.topValues(), b.properties().withPath(path)));
    return new LifecycleConfig(source, hash, sectionHashes, input, stages, privacy, quality, sessions, churnThreshold, c, clv,
        models, output, generate, incremental);
  }

  /** A copy with the pseudonymization key file replaced (made absolute when paths are qualified). */
  public LifecycleConfig withPrivacyKeyFile(String keyFile) {
    return new LifecycleConfig(source, hash, sectionHashes, input, stages, new Privacy(privacy.pseudonymize(), privacy.keyEnv(), keyFile),
        quality, sessions, churnThreshold, cohorts, clv, models, output, generate, incremental);
  }

  /** A copy with the run mode replaced (the {@code --mode} option). */
  public LifecycleConfig withMode(Mode mode) {
    return new LifecycleConfig(source, hash, sectionHashes, input, stages, privacy, quality, sessions, churnThreshold, cohorts, clv,
        models, output, generate, new Incremental(mode, incremental.maxLateness()));
  }
}
