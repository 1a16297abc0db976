package io.lifecycle.bench;


import io.lifecycle.cohorts.ChurnRates;
import io.lifecycle.cohorts.CohortRetention;
import io.lifecycle.cohorts.CohortsStep;
import io.lifecycle.cohorts.CustomerActivity;
import io.lifecycle.cohorts.KaplanMeier;
import io.lifecycle.cohorts.LifecycleStatus;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.LifecycleConfig.Cohorts;
import io.lifecycle.tables.ChurnRatesTable;
import io.lifecycle.tables.CohortRetentionTable;
import io.lifecycle.tables.CohortSurvivalTable;
import io.lifecycle.tables.LifecycleStatusTable;
import io.lifecycle.tables.TableDef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code cohorts} step's tables by our transformations and by DuckDB SQL: {@code cohort_retention}
 * (the observed cells of every channel and of 'all'; the sBG projections are not compared: they are a
 * numerical fit, not a query), {@code churn_rates}, {@code cohort_survival} and {@code lifecycle_status}.
 *
 * <p>Both sides run with the benchmark's configuration but for {@code cohorts.by_channel}, which is
 * turned on: the per-channel retention rows and the channel segment of the churn rates are then
 * computed and checked too, and the 'all' rows go through the channel roll-up (by_channel changes
 * nothing else). Spark makes the calls {@code CohortsStep} makes (without the projections and Delta),
 * on the typed events before the run date, into plain Parquet. The SQL is written from the tables'
 * definitions, as an analyst would: the three building blocks every table uses are made once as
 * temporary tables (the run's events; the customers with their cohort, first day and acquisition
 * channel; the activity spells), Kaplan-Meier is a running sum of logs over each group's event times,
 * the per-segment flows and the growth accounting are grouping sets. The check joins each table's rows
 * on its key and compares every column of its contract.
 */
final class CohortsReference implements StepReference {
  private static final double Z = 1.959963984540054;

  @Override
  public String name() {
    return "cohorts";
  }

  /** The benchmark's configuration with the per-channel split on (see the class comment). */
  private static LifecycleConfig config(ReferenceInputs in) {
    LifecycleConfig c = in.config();
    Cohorts k = c.cohorts();
    return new LifecycleConfig(c.source(), c.hash(), c.sectionHashes(), c.input(), c.stages(), c.privacy(), c.quality(), c.sessions(),
        c.churnThreshold(), new Cohorts(k.basis(), k.period(), k.activity(), k.activityEvents(), true, k.projection(), k.retentionModes(), k.brackets(), k.drivers(), k.breakdowns()), c.clv(), c.models(), c.output(),
        c.generate(), c.incremental());
  }

  @Override
  public void spark(ReferenceInputs in, Path dir) {
    LifecycleConfig config = config(in);
    LocalDate runDate = in.runDate();
    // As CohortsStep: the run's events read once into customer-days, whose periods and spells the four tables share.
    CustomerActivity activity = new CustomerActivity(config);
    boolean byChannel = config.cohorts().byChannel();
    Dataset<Row> days = activity.days(in.runEvents(), byChannel).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> periods = activity.periodsOf(days).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> spells = activity.spellsOf(days, runDate.minusDays(1));
      ReferenceInputs.writeTable(new CohortRetention(activity, byChannel).observedOf(periods, runDate), CohortRetentionTable.DEF, dir);
      ReferenceInputs.writeTable(new ChurnRates(activity, byChannel).ofSpells(spells, runDate), ChurnRatesTable.DEF, dir);
      ReferenceInputs.writeTable(KaplanMeier.estimate(CohortsStep.lifetimes(spells, runDate), runDate), CohortSurvivalTable.DEF, dir);
      ReferenceInputs.writeTable(new LifecycleStatus(activity).ofPeriods(periods, runDate), LifecycleStatusTable.DEF, dir);
    } finally {
      periods.unpersist();
      days.unpersist();
    }
  }

  @Override
  public void duckdb(ReferenceInputs in, Statement st, Path dir) throws SQLException {
    Sql sql = new Sql(config(in), in.runDate());
    st.execute(sql.events(in));
    st.execute(sql.customers());
    st.execute(sql.spells());
    try {
      copy(st, sql.retention(), dir, CohortRetentionTable.DEF);
      copy(st, sql.churnRates(), dir, ChurnRatesTable.DEF);
      copy(st, sql.survival(), dir, CohortSurvivalTable.DEF);
      copy(st, sql.lifecycleStatus(), dir, LifecycleStatusTable.DEF);
    } finally {
      st.execute("DROP TABLE IF EXISTS cohort_events; DROP TABLE IF EXISTS cohort_customers; DROP TABLE IF EXISTS cohort_spells");
    }
  }

  private static void copy(Statement st, String query, Path dir, TableDef def) throws SQLException {
    try {
      Files.createDirectories(dir.resolve(def.name()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    st.execute("COPY (" + query + ") TO '" + dir.resolve(def.name()).resolve("part-0.parquet") + "' (FORMAT parquet)");
  }

  /** The SQL of each table, from the configuration's definitions (period, basis, activity, threshold). */
  private static final class Sql {
    private final LifecycleConfig config;
    private final LocalDate runDate;
    private final String unit;
    private final String current;

    Sql(LifecycleConfig config, LocalDate runDate) {
      this.config = config;
      this.runDate = runDate;
      this.unit = config.cohorts().period().name().toLowerCase(Locale.ROOT);
      // The period of the last observed day: the last row of every per-period series.
      this.current = date(new CustomerActivity(config).periodOf(runDate.minusDays(1)));
    }

    private static String date(LocalDate day) {
      return "DATE '" + day + "'";
    }

    private String period(String day) {
      return "CAST(date_trunc('" + unit + "', " + day + ") AS DATE)";
    }

    private String periods(String from, String to) {
      return switch (unit) {
        case "month" -> "datediff('month', " + from + ", " + to + ")";
        case "week" -> "datediff('day', " + from + ", " + to + ") // 7";
        default -> "datediff('day', " + from + ", " + to + ")";
      };
    }

    private String plusPeriods(String period, int k) {
      return "CAST(" + period + switch (unit) {
        case "month" -> " + to_months(" + k + ")";
        case "week" -> " + to_days(" + 7 * k + ")";
        default -> " + to_days(" + k + ")";
      } + " AS DATE)";
    }

    private long thresholdDays() {
      return config.churnThreshold().toDays();
    }

    /** The run's events once: UTC time, day and whether a purchase. */
    String events(ReferenceInputs in) {
      String purchases = in.purchaseTypesSql();
      return String.format(Locale.ROOT, """
          CREATE OR REPLACE TEMP TABLE cohort_events AS
          SELECT customer_id, ts, CAST(ts AS DATE) AS day, event_type, event_type IN (%s) AS purchase, amount, channel
          FROM (SELECT *, make_timestamp(epoch_us(event_time)) AS ts FROM read_parquet(%s) WHERE epoch_us(event_time) < %d)""",
          purchases, ReferenceInputs.duckdbList(in.typedEventFiles()), in.asOfMicros());
    }

    /**
     * Customers with a cohort: the day of their first purchase (or event, per basis), its period, and
     * the channel of their earliest event that names one.
     */
    String customers() {
      String first = config.cohorts().basis() == Cohorts.Basis.FIRST_PURCHASE ? "min(ts) FILTER (WHERE purchase)" : "min(ts)";
      return String.format(Locale.ROOT, """
          CREATE OR REPLACE TEMP TABLE cohort_customers AS
          SELECT customer_id, first_day, %s AS cohort, channel FROM (
            SELECT customer_id, CAST(%s AS DATE) AS first_day,
                   coalesce(arg_min(channel, ts) FILTER (WHERE channel IS NOT NULL), 'unknown') AS channel
            FROM cohort_events GROUP BY customer_id)
          WHERE first_day IS NOT NULL""", period("first_day"), first);
    }

    /**
     * Activity spells over active days (any event): a gap longer than the threshold starts a new one; the
     * churn date is the last active day + the threshold, when that is not after the last observed day.
     */
    String spells() {
      return String.format(Locale.ROOT, """
          CREATE OR REPLACE TEMP TABLE cohort_spells AS
          WITH d AS (SELECT DISTINCT customer_id, day FROM cohort_events),
          g AS (SELECT *, coalesce(day - lag(day) OVER (PARTITION BY customer_id ORDER BY day) > %1$d, true) AS starts FROM d),
          n AS (SELECT *, count(*) FILTER (WHERE starts) OVER (PARTITION BY customer_id ORDER BY day) AS spell FROM g)
          SELECT customer_id, spell = 1 AS first_spell, min(day) AS spell_start, max(day) AS last_active,
                 CASE WHEN max(day) + %1$d <= %2$s THEN max(day) + %1$d END AS churn_date
          FROM n GROUP BY customer_id, spell""", thresholdDays(), date(runDate.minusDays(1)));
    }

    /**
     * The observed retention matrix per cohort and channel, and per cohort over all channels (grouping
     * sets): every offset from 0 to the current period, zeros where nobody was active.
     */
    String retention() {
      Cohorts cohorts = config.cohorts();
      String active = !cohorts.activityEvents().isEmpty()
          ? "bool_or(event_type IN (" + String.join(", ", cohorts.activityEvents().stream().map(t -> "'" + t + "'").toList()) + "))"
          : cohorts.activity() == Cohorts.Activity.PURCHASE ? "bool_or(purchase)" : "true";
      String modes = String.join(", ", cohorts.retentionModes().stream().map(m -> "('" + m.code() + "')").toList());
      return String.format(Locale.ROOT, """
          WITH p AS (
            SELECT customer_id, %1$s AS period, %2$s AS active, coalesce(sum(amount) FILTER (WHERE purchase), 0) AS revenue
            FROM cohort_events GROUP BY ALL),
          cp AS (
            SELECT p.customer_id, c.cohort, c.channel, %3$s AS k, p.active, p.revenue
            FROM p JOIN cohort_customers c USING (customer_id) WHERE p.period >= c.cohort),
          cells AS (
            SELECT cohort, CASE WHEN grouping(channel) = 1 THEN 'all' ELSE channel END AS channel, k,
                   count(*) FILTER (WHERE active) AS active, sum(revenue) AS revenue
            FROM cp GROUP BY GROUPING SETS ((cohort, channel, k), (cohort, k))),
          last_active AS (
            SELECT cohort, channel, max(k) FILTER (WHERE active) AS k FROM cp GROUP BY customer_id, cohort, channel),
          leaving AS (
            SELECT cohort, CASE WHEN grouping(channel) = 1 THEN 'all' ELSE channel END AS channel, k, count(*) AS n
            FROM last_active WHERE k IS NOT NULL GROUP BY GROUPING SETS ((cohort, channel, k), (cohort, k))),
          sizes AS (
            SELECT cohort, CASE WHEN grouping(channel) = 1 THEN 'all' ELSE channel END AS channel, count(*) AS cohort_size
            FROM cohort_customers GROUP BY GROUPING SETS ((cohort, channel), (cohort))),
          grid AS (SELECT *, unnest(range(0, %4$s + 1)) AS k FROM sizes),
          m AS (
            SELECT grid.cohort, grid.channel, grid.k, grid.cohort_size, coalesce(cells.active, 0) AS active,
                   coalesce(cells.revenue, 0) AS revenue,
                   sum(coalesce(leaving.n, 0)) OVER (PARTITION BY grid.cohort, grid.channel ORDER BY grid.k DESC) AS later,
                   sum(coalesce(cells.revenue, 0)) OVER (PARTITION BY grid.cohort, grid.channel ORDER BY grid.k) AS cumulative
            FROM grid LEFT JOIN cells USING (cohort, channel, k) LEFT JOIN leaving USING (cohort, channel, k)),
          modes AS (SELECT * FROM (VALUES %7$s) v(mode))
          SELECT %5$s AS run_date, mode AS retention_mode, NULL::VARCHAR AS bracket, cohort AS cohort_period, channel,
                 'all' AS breakdown, 'all' AS breakdown_value, CAST(k AS INTEGER) AS period_offset,
                 cohort_size, CASE mode WHEN 'on' THEN active ELSE later END AS active_customers,
                 CASE mode WHEN 'on' THEN active ELSE later END / cohort_size AS retention_rate, revenue,
                 revenue / cohort_size AS revenue_per_customer, cumulative / cohort_size AS cumulative_revenue_per_customer,
                 %6$s > k AS period_complete, false AS is_projected
          FROM m CROSS JOIN modes""",
          period("day"), active, periods("c.cohort", "p.period"), periods("cohort", current), date(runDate),
          periods("cohort", date(new CustomerActivity(config).periodOf(runDate))), modes);
    }

    /**
     * Flows per period (spell starts: first ones acquisitions, later ones reactivations; observed churns)
     * overall, per cohort ('none' for customers without one) and per acquisition channel, on a grid from
     * each segment's first period to the current one; the customers at the start are the net flows of the
     * periods before.
     */
    String churnRates() {
      return String.format(Locale.ROOT, """
          WITH seg AS (
            SELECT s.*, coalesce(strftime(c.cohort, '%%Y-%%m-%%d'), 'none') AS cohort, coalesce(c.channel, 'unknown') AS channel
            FROM cohort_spells s LEFT JOIN cohort_customers c USING (customer_id)),
          moves AS (
            SELECT cohort, channel, %1$s AS period, first_spell AS acquired, NOT first_spell AS reactivated, false AS churned FROM seg
            UNION ALL
            SELECT cohort, channel, %2$s, false, false, true FROM seg WHERE churn_date IS NOT NULL),
          flows AS (
            SELECT CASE WHEN grouping(cohort) = 0 THEN 'cohort' WHEN grouping(channel) = 0 THEN 'channel'
                        ELSE 'overall' END AS segment_type,
                   CASE WHEN grouping(cohort) = 0 THEN cohort WHEN grouping(channel) = 0 THEN channel ELSE 'all' END AS segment,
                   period, count(*) FILTER (WHERE acquired) AS acquired, count(*) FILTER (WHERE reactivated) AS reactivated,
                   count(*) FILTER (WHERE churned) AS churned
            FROM moves GROUP BY GROUPING SETS ((period), (cohort, period), (channel, period))),
          firsts AS (SELECT segment_type, segment, min(period) AS first FROM flows GROUP BY segment_type, segment),
          grid AS (
            SELECT segment_type, segment, CAST(p AS DATE) AS period
            FROM (SELECT *, unnest(generate_series(CAST(first AS TIMESTAMP), CAST(%3$s AS TIMESTAMP), %4$s)) AS p FROM firsts)),
          f AS (
            SELECT segment_type, segment, period, coalesce(acquired, 0) AS acquired, coalesce(reactivated, 0) AS reactivated,
                   coalesce(churned, 0) AS churned, coalesce(acquired, 0) + coalesce(reactivated, 0) - coalesce(churned, 0) AS net
            FROM grid LEFT JOIN flows USING (segment_type, segment, period)),
          r AS (
            SELECT *, CAST(coalesce(sum(net) OVER (PARTITION BY segment_type, segment ORDER BY period
                                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS BIGINT) AS at_start
            FROM f)
          SELECT %5$s AS run_date, segment_type, segment, period AS period_start, at_start AS customers_at_start,
                 acquired, reactivated, churned, at_start + net AS customers_at_end,
                 CASE WHEN at_start > 0 THEN churned / at_start END AS churn_rate,
                 CASE WHEN at_start > 0 THEN 1 - churned / at_start END AS retention_rate,
                 period < %6$s AS period_complete
          FROM r""",
          period("spell_start"), period("churn_date"), current, switch (unit) { case "month" -> "INTERVAL 1 MONTH"; case "week" -> "INTERVAL 7 DAY"; default -> "INTERVAL 1 DAY"; },
          date(runDate), date(new CustomerActivity(config).periodOf(runDate)));
    }

    /**
     * Kaplan-Meier per cohort and over all ('all'): each customer's lifetime runs from the first day to
     * the churn of the spell holding it, censored at the run date when that churn is not observed yet.
     * S(t) = exp(sum of ln(1 - d/n)) over the event times up to t (0 from a time where everyone at risk
     * churns); Greenwood's variance, the log-log interval, the median (first time with S <= 0.5, up to
     * the rounding of the sum of logs: 6 of 12 left is one half) and the area under S up to the group's
     * last time.
     */
    String survival() {
      return String.format(Locale.ROOT, """
          WITH life AS (
            SELECT c.cohort, coalesce(s.churn_date, %1$s) - c.first_day AS tenure, s.churn_date IS NOT NULL AS churned
            FROM cohort_customers c JOIN cohort_spells s
              ON s.customer_id = c.customer_id AND c.first_day BETWEEN s.spell_start AND s.last_active),
          counts AS (
            SELECT CASE WHEN grouping(cohort) = 1 THEN 'all' ELSE strftime(cohort, '%%Y-%%m-%%d') END AS cohort, tenure,
                   count(*) FILTER (WHERE churned) AS d, count(*) FILTER (WHERE NOT churned) AS c
            FROM life GROUP BY GROUPING SETS ((cohort, tenure), (tenure))),
          risk AS (
            SELECT *, CAST(sum(d + c) OVER (PARTITION BY cohort ORDER BY tenure DESC) AS BIGINT) AS n FROM counts),
          km AS (
            SELECT *, CASE WHEN bool_or(d = n) OVER w THEN 0 ELSE exp(sum(CASE WHEN d < n THEN ln(1 - d / n) END) OVER w) END AS s,
                   bool_or(d = n) OVER w AS wiped, sum(CASE WHEN d < n THEN d / (n * (n - d)) END) OVER w AS greenwood
            FROM risk WINDOW w AS (PARTITION BY cohort ORDER BY tenure)),
          area AS (
            SELECT *, lag(s, 1, 1) OVER w * (tenure - lag(tenure, 1, 0) OVER w) AS a FROM km
            WINDOW w AS (PARTITION BY cohort ORDER BY tenure))
          SELECT %2$s AS run_date, cohort, CAST(tenure AS INTEGER) AS tenure_days, n AS at_risk, d AS churn_events,
                 c AS censored, s AS survival,
                 CASE WHEN NOT wiped THEN s * sqrt(greenwood) END AS std_error,
                 CASE WHEN s > 0 AND s < 1 THEN pow(s, exp(%3$s * sqrt(greenwood) / abs(ln(s)))) END AS ci_lower,
                 CASE WHEN s > 0 AND s < 1 THEN pow(s, exp(-%3$s * sqrt(greenwood) / abs(ln(s)))) END AS ci_upper,
                 min(tenure) FILTER (WHERE s <= 0.5 + 1e-9) OVER g / 365.25 AS median_lifetime_years,
                 sum(a) OVER g / 365.25 AS restricted_mean_lifetime_years,
                 CAST(max(tenure) OVER g AS INTEGER) AS restriction_days
          FROM area WINDOW g AS (PARTITION BY cohort)""",
          date(runDate), date(runDate), Double.toString(Z));
    }

    /**
     * Growth accounting over each customer's active periods: new (the first), retained (the previous
     * period active too), resurrected (otherwise); dormant in the period after an active one that is not
     * active, up to the current period. Counted per cohort ('none' without one) and overall.
     */
    String lifecycleStatus() {
      String activeOnly = config.cohorts().activity() == Cohorts.Activity.PURCHASE ? "WHERE purchase" : "";
      return String.format(Locale.ROOT, """
          WITH act AS (SELECT DISTINCT customer_id, %1$s AS period FROM cohort_events %2$s),
          seq AS (
            SELECT a.period, coalesce(strftime(c.cohort, '%%Y-%%m-%%d'), 'none') AS segment,
                   lag(a.period) OVER w AS prev, lead(a.period) OVER w AS next
            FROM act a LEFT JOIN cohort_customers c USING (customer_id)
            WINDOW w AS (PARTITION BY a.customer_id ORDER BY a.period)),
          st AS (
            SELECT segment, period,
                   CASE WHEN prev IS NULL THEN 'new' WHEN prev = %3$s THEN 'retained' ELSE 'resurrected' END AS status
            FROM seq
            UNION ALL
            SELECT segment, %4$s, 'dormant' FROM seq WHERE (next IS NULL OR next > %4$s) AND %4$s <= %5$s),
          counts AS (
            SELECT CASE WHEN grouping(segment) = 1 THEN 'all' ELSE segment END AS segment, period,
                   count(*) FILTER (WHERE status = 'new') AS new_customers, count(*) FILTER (WHERE status = 'retained') AS retained,
                   count(*) FILTER (WHERE status = 'resurrected') AS resurrected, count(*) FILTER (WHERE status = 'dormant') AS dormant
            FROM st GROUP BY GROUPING SETS ((segment, period), (period)))
          SELECT %6$s AS run_date, segment, period AS period_start, new_customers, retained, resurrected, dormant,
                 new_customers + retained + resurrected AS active_customers,
                 CASE WHEN dormant > 0 THEN (new_customers + resurrected) / dormant END AS quick_ratio
          FROM counts""",
          period("day"), activeOnly, plusPeriods("period", -1), plusPeriods("period", 1), current, date(runDate));
    }
  }

  @Override
  public int check(ReferenceInputs in, Statement st, Path sparkDir, Path duckdbDir) throws SQLException {
    compare(st, CohortRetentionTable.DEF, sparkDir, duckdbDir,
        List.of(CohortRetentionTable.RETENTION_MODE, CohortRetentionTable.COHORT, CohortRetentionTable.CHANNEL, CohortRetentionTable.OFFSET));
    compare(st, ChurnRatesTable.DEF, sparkDir, duckdbDir,
        List.of(ChurnRatesTable.SEGMENT_TYPE, ChurnRatesTable.SEGMENT, ChurnRatesTable.PERIOD));
    compare(st, CohortSurvivalTable.DEF, sparkDir, duckdbDir, List.of(CohortSurvivalTable.COHORT, CohortSurvivalTable.TENURE_DAYS));
    compare(st, LifecycleStatusTable.DEF, sparkDir, duckdbDir, List.of(LifecycleStatusTable.SEGMENT, LifecycleStatusTable.PERIOD));
    return 4;
  }

  /**
   * One table's rows matched on {@code keys} and compared in every column of its contract: doubles within
   * 1e-6 (relative above 1: the engines sum in different orders), everything else exactly, nulls equal
   * to nulls. A key held twice on either side is a difference too.
   */
  private static void compare(Statement st, TableDef def, Path sparkDir, Path duckdbDir, List<String> keys) throws SQLException {
    List<String> same = new ArrayList<>();
    for (var c : def.columns()) {
      same.add(c.type().equals(org.apache.spark.sql.types.DataTypes.DoubleType)
          ? String.format(Locale.ROOT,
              "((a.%1$s IS NULL AND b.%1$s IS NULL) OR abs(a.%1$s - b.%1$s) <= 1e-6 * greatest(1, abs(b.%1$s)))", c.name())
          : String.format(Locale.ROOT, "a.%1$s IS NOT DISTINCT FROM b.%1$s", c.name()));
    }
    String columns = String.join(", ", def.columnNames());
    String key = String.join(", ", keys);
    String on = keys.stream().map(k -> "a." + k + " = b." + k).collect(Collectors.joining(" AND "));
    String tables = String.format(Locale.ROOT,
        "WITH a AS (SELECT %s FROM read_parquet('%s/*.parquet')), b AS (SELECT %s FROM read_parquet('%s/*.parquet'))",
        columns, sparkDir.resolve(def.name()), columns, duckdbDir.resolve(def.name()));
    String condition = String.join(" AND ", same);
    long spark;
    long duckdb;
    long onlySpark;
    long onlyDuckdb;
    try (ResultSet rs = st.executeQuery(tables + String.format(Locale.ROOT, """
        , m AS (SELECT count(*) FILTER (WHERE coalesce(%s, false)) AS n FROM a JOIN b ON %s)
        SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b),
               (SELECT count(DISTINCT (%3$s)) FROM a), (SELECT count(DISTINCT (%3$s)) FROM b), (SELECT n FROM m)""",
        condition, on, key))) {
      rs.next();
      spark = rs.getLong(1);
      duckdb = rs.getLong(2);
      long matched = spark == rs.getLong(3) && duckdb == rs.getLong(4) ? rs.getLong(5) : 0;
      onlySpark = spark - matched;
      onlyDuckdb = duckdb - matched;
    }
    if (spark == 0) {
      throw new IllegalStateException(def.name() + " is empty in Spark (DuckDB: " + duckdb + " rows): nothing was compared");
    }
    if (onlySpark != 0 || onlyDuckdb != 0) {
      throw new IllegalStateException(String.format(Locale.ROOT,
          "%s differs between Spark and DuckDB: %d of Spark's %d rows are not DuckDB's, %d of DuckDB's %d are not Spark's; for example%s",
          def.name(), onlySpark, spark, onlyDuckdb, duckdb,
          examples(st, tables + " SELECT * FROM a FULL JOIN b ON " + on + " WHERE NOT coalesce(" + condition + ", false) ORDER BY "
              + keys.stream().map(k -> "coalesce(a." + k + ", b." + k + ")").collect(Collectors.joining(", ")) + " LIMIT 5")));
    }
    System.out.printf("  check   %s: %d rows, every row and column equal in Spark and DuckDB%n", def.name(), spark);
  }

  /** A few differing rows (Spark's columns, then DuckDB's), one per line, for the exception. */
  private static String examples(Statement st, String query) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (ResultSet rs = st.executeQuery(query)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        out.append("\n    ");
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          out.append(i == 1 ? "spark " : i == meta.getColumnCount() / 2 + 1 ? " | duckdb " : ", ").append(rs.getObject(i));
        }
      }
    }
    return out.toString();
  }
}
