package io.lifecycle.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.lifecycle.config.LifecycleConfig.Clv;
import io.lifecycle.config.LifecycleConfig.Cohorts.Breakdowns;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The {@code clv} section: customer lifetime value, its forecasts, intervals and segments. */
final class ClvSettings {
  private ClvSettings() {}

  private static final String P = "lifecycle.clv.";

  static final Setting<Double> GROSS_MARGIN =
      Setting.doubleIn(P + "gross_margin", "(0, 1]", v -> v > 0 && v <= 1, "margin on revenue");
  static final Setting<Double> ANNUAL_DISCOUNT_RATE =
      Setting.doubleIn(P + "annual_discount_rate", "[0, 1)", v -> v >= 0 && v < 1, "discount rate of CLV, applied monthly");
  static final Setting<Integer> HORIZON_MONTHS = Setting.intAtLeast(P + "horizon_months", 1, "the CLV horizon");
  static final Setting<Clv.TimeUnit> TIME_UNIT =
      Setting.choice(P + "time_unit", Clv.TimeUnit.class, "unit of recency, age and the fitted rates: days or weeks");
  /** Channel to cost (free map); {@code default} applies to channels not listed. */
  static final Setting<Map<String, Double>> ACQUISITION_COST =
      Setting.of(P + "acquisition_cost", "acquisition cost per channel (free map)", ClvSettings::costs);
  static final Setting<Clv.Segments> FIT_SEGMENTS =
      Setting.choice(P + "fit_segments", Clv.Segments.class, "also fit the models per cohort or channel");
  static final Setting<Integer> HOLDOUT_WEEKS =
      Setting.intAtLeast(P + "holdout_weeks", 0, "calibration/holdout check length; 0 disables");
  /** Forecast horizons in days: a non-empty list of distinct positive whole days, kept in ascending order. */
  static final Setting<List<Integer>> FORECAST_DAYS = Setting.of(P + "forecast_days",
      "horizons (days) of customer_forecast and clv_forecast", (config, key) -> {
        try {
          return config.getIntList(key);
        } catch (ConfigException.WrongType e) {
          throw Setting.invalid("must be a list of whole days, e.g. [30, 90, 180]");
        }
      })
      .check(days -> !days.isEmpty(), days -> "must list at least one horizon in days")
      .check((days, written) -> days.stream().filter(v -> v < 1).findFirst()
          .map(v -> "every horizon must be a positive number of days (got " + v + ")").orElse(null))
      .check(days -> new HashSet<>(days).size() == days.size(), days -> "lists a horizon twice: " + days)
      .map(days -> days.stream().sorted().toList());
  static final Setting<Integer> ATTRIBUTION_CHANNELS =
      Setting.intAtLeast(P + "attribution_channels", 1, "channels with a Markov state of their own in channel_attribution");
  /** A bootstrap over customers is planned but not built, and said so rather than "unknown". */
  static final Setting<Clv.Intervals> INTERVALS = Setting.of(P + "intervals", "90% intervals of CLV: asymptotic or none",
      (config, key) -> {
        String written = config.getString(key);
        if (written.trim().equalsIgnoreCase("bootstrap")) {
          throw Setting.invalid("'bootstrap' is not implemented yet; use asymptotic or none");
        }
        return Setting.enumValue(Clv.Intervals.class, written);
      });
  static final Setting<Integer> INTERVAL_DRAWS =
      Setting.intBetween(P + "interval_draws", 20, 5000, "parameter draws per interval");
  static final Setting<Integer> PATH_SEGMENTS =
      Setting.intBetween(P + "path_segments", 1, 1000, "segment_value: the stage paths with a segment of their own");

  /**
   * Customer attributes fitted together as categorical covariates of the purchase models: the built-in
   * ones ({@code acquisition_channel}, {@code first_stage}) or columns of input.customer_properties (the
   * latter checked in {@link #read}, where the properties' path is known). Names reach SQL: identifiers.
   */
  static final Setting<Duration> REVALUE_EVERY = Setting.nonNegativeDuration(P + "revalue_every",
      "keep the customer values of an incremental run's last valuation while younger than this");
  static final Setting<List<String>> COVARIATES = Setting.stringList(P + "covariates",
          "customer attributes fitted jointly as categorical covariates of BG/NBD and Pareto/NBD: acquisition_channel, "
              + "first_stage, identity or columns of input.customer_properties")
      .check((names, written) -> covariateProblem(names, false));
  /** Columns of input.customer_properties read as numbers, fitted with the categorical covariates. */
  static final Setting<List<String>> NUMERIC_COVARIATES = Setting.stringList(P + "numeric_covariates",
          "numeric columns of input.customer_properties fitted as covariates with clv.covariates (quantile-binned)")
      .check((names, written) -> covariateProblem(names, true));

  /** At most this many covariates of each kind: their crossed levels are the fit's cells. */
  static final int MAX_COVARIATES = 10;

  private static String covariateProblem(List<String> names, boolean numeric) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!Identifiers.isValid(name)) {
        return "'" + name + "' is not a column name (letters, digits and underscores, not starting with a digit)";
      }
      if (name.equals("customer_id")) {
        return "'" + name + "' is the customers' id, not an attribute";
      }
      if (numeric && Breakdowns.BUILT_IN.contains(name)) {
        return "'" + name + "' is categorical: list it in clv.covariates";
      }
      if (!seen.add(name)) {
        return "'" + name + "' is listed twice";
      }
    }
    if (names.size() > MAX_COVARIATES) {
      return "at most " + MAX_COVARIATES + " covariates (got " + names.size() + ")";
    }
    return null;
  }

  private static Map<String, Double> costs(Config config, String key) {
    Map<String, Double> costs = new LinkedHashMap<>();
    Config costConfig = config.getConfig(key);
    for (String channel : costConfig.root().keySet()) {
      String suffix = "." + Setting.quoteKey(channel);
      double cost;
      try {
        cost = costConfig.getDouble(Setting.quoteKey(channel));
      } catch (ConfigException.WrongType e) {
        throw Setting.invalid(suffix, "must be a number");
      }
      if (cost < 0 || Double.isNaN(cost)) {
        throw Setting.invalid(suffix, "must be >= 0 (got " + cost + ")");
      }
      costs.put(channel, cost);
    }
    return costs;
  }

  static Clv read(ConfigReader r) {
    List<String> covariates = covariates(r);
    List<String> numeric = r.get(NUMERIC_COVARIATES);
    double margin = r.get(GROSS_MARGIN);
    double rate = r.get(ANNUAL_DISCOUNT_RATE);
    Map<String, Double> costs = r.get(ACQUISITION_COST);
    return new Clv(margin, rate, r.get(HORIZON_MONTHS), r.get(TIME_UNIT), costs, r.get(FIT_SEGMENTS), r.get(HOLDOUT_WEEKS),
        r.get(FORECAST_DAYS), r.get(ATTRIBUTION_CHANNELS), r.get(INTERVALS), r.get(INTERVAL_DRAWS), r.get(PATH_SEGMENTS),
        covariates, numeric, r.get(REVALUE_EVERY));
  }

  /**
   * The covariates, each once over both lists, and input.customer_properties.path set when one of them
   * is not built in: as cohorts.breakdowns requires it.
   */
  private static List<String> covariates(ConfigReader r) {
    List<String> names = r.get(COVARIATES);
    List<String> numeric = r.get(NUMERIC_COVARIATES);
    List<String> both = names.stream().filter(numeric::contains).toList();
    if (!both.isEmpty()) {
      throw r.fail(NUMERIC_COVARIATES, both + " are listed in clv.covariates too: a covariate is categorical or numeric");
    }
    if (r.get(InputSettings.PROPERTIES_PATH) == null) {
      List<String> properties = names.stream().filter(n -> !Breakdowns.BUILT_IN.contains(n)).toList();
      if (!properties.isEmpty()) {
        throw r.fail(COVARIATES, properties + " are not built in (" + String.join(", ", Breakdowns.BUILT_IN)
            + "): set input.customer_properties.path to a table with those columns");
      }
      if (!numeric.isEmpty()) {
        throw r.fail(NUMERIC_COVARIATES, numeric + " are columns of input.customer_properties: set input.customer_properties.path");
      }
    }
    return names;
  }
}
