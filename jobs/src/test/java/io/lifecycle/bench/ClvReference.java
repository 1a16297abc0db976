package io.lifecycle.bench;


import io.lifecycle.clv.ClvIntervals;
import io.lifecycle.clv.ClvStep;
import io.lifecycle.stats.CustomerSummary;
import io.lifecycle.stats.ModelFits;
import io.lifecycle.stats.PurchaseModel;
import io.lifecycle.clv.SimpleClv;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.GammaGammaModel;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.LifecycleConfig.Clv;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerValueTable;
import io.lifecycle.tables.SegmentValueTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@code clv} step's per-customer tables by our code and by DuckDB SQL: the BTYD customer summary
 * ({@code customer_summary}: frequency, recency, age, monetary value, revenue per customer who
 * purchased), {@code customer_value} (historical value, BG/NBD P(alive) and expected purchases over the
 * horizon, Gamma-Gamma expected spend, the discounted predicted CLV, the value tier, cohort and
 * acquisition channel) and {@code segment_value} (overall, per cohort and per channel).
 *
 * <p>The model fits are driver-side optimizations over a compressed summary, not engine work: Spark's
 * side fits BG/NBD and Gamma-Gamma once with {@link ModelFits} on its own summary, and the DuckDB SQL
 * takes those parameters as numbers, so the comparison covers the summary aggregation and the
 * per-customer prediction formulas. The purchase model is BG/NBD: the holdout that would choose between
 * it and Pareto/NBD (and the Pareto/NBD fit) is not run on either side. The SQL evaluates FHL (2005)
 * eq. 10 in its textbook form, 2F1(r+x, b+x; a+b+x-1; z) as a power series in log space (each term
 * carries the (1-z)^(r+x) factor, so nothing overflows); our code sums Euler's transformation of it,
 * so the two evaluations are independent, and they agree within the same 1e-6 as every other column.
 *
 * <p>Not covered: {@code cohort_survival} and {@code customer_journeys} are other steps' tables, so
 * both sides run without them, as a {@code clv} step run alone does: {@code years_retained} and both
 * {@code simple_clv} columns are null on both sides, and {@code segment_value} has no current_stage or
 * path rows. {@code clv_models} and {@code clv_holdout} hold the fits themselves.
 */
final class ClvReference implements StepReference {
  /** The customer summary's table name in the reference (no job table: customer_value carries it). */
  static final String SUMMARY = "customer_summary";
  /** Doubles' relative tolerance (above 1): ours sums decimals, DuckDB doubles, and 2F1 is evaluated two ways. */
  private static final double TOLERANCE = 1e-6;

  private BgNbdModel purchase;
  private GammaGammaModel spend;

  @Override
  public String name() {
    return "clv";
  }

  @Override
  public void spark(ReferenceInputs in, Path dir) {
    LifecycleConfig config = in.config();
    // The events are read once, by the summary (as the step reads them when its holdout is off).
    Dataset<Row> summary = CustomerSummary.withChannel(in.runEvents(), config.stages().purchaseEventTypes(), in.runDate().minusDays(1),
        config.clv().timeUnit()).persist(StorageLevel.MEMORY_AND_DISK());
    ModelFits.Fit<BgNbdModel> bg = ModelFits.bgNbd(ModelFits.triples(summary));
    ModelFits.Fit<GammaGammaModel> gg = ModelFits.gammaGamma(ModelFits.spends(summary));
    purchase = bg.usable() ? bg.fit().model() : null;
    spend = gg.usable() ? gg.fit().model() : null;
    summary.drop(CustomerSummary.CHANNEL).write().mode("overwrite").parquet(dir.resolve(SUMMARY).toString());
    Dataset<Row> values = ClvStep.customerValues(config, summary, purchase == null ? null : PurchaseModel.of(purchase),
        spend, in.runDate());
    // Without intervals: the reference compares the point values (the interval columns null on both sides).
    Dataset<Row> segments = ClvIntervals.withSegmentIntervals(new SimpleClv(config).segments(values, null, null, in.runDate()), null)
        .localCheckpoint();
    ReferenceInputs.writeTable(ClvStep.withSimpleClv(values, segments), CustomerValueTable.DEF, dir);
    ReferenceInputs.writeTable(segments, SegmentValueTable.DEF, dir);
    summary.unpersist();
  }

  @Override
  public void duckdb(ReferenceInputs in, Statement st, Path dir) throws SQLException {
    st.execute("CREATE OR REPLACE TEMP TABLE clv_summary AS " + summarySql(in));
    copy(st, "SELECT * FROM clv_summary", dir, SUMMARY);
    st.execute("CREATE OR REPLACE TEMP TABLE clv_value AS " + valueSql(in));
    copy(st, "SELECT * FROM clv_value", dir, CustomerValueTable.DEF.name());
    copy(st, segmentSql(in), dir, SegmentValueTable.DEF.name());
  }

  private static void copy(Statement st, String sql, Path dir, String table) throws SQLException {
    try {
      Files.createDirectories(dir.resolve(table));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    st.execute("COPY (" + sql + ") TO '" + dir.resolve(table).resolve("part-0.parquet") + "' (FORMAT parquet)");
  }

  private static double daysPerUnit(Clv clv) {
    return clv.timeUnit() == Clv.TimeUnit.WEEKS ? 7 : 1;
  }

  /**
   * One row per customer with a purchase before the run date: purchase days first (several purchases on
   * a day are one), then per customer the repeat days, the first-to-last and first-to-cutoff spans in
   * the time unit, and the mean spend of the repeat days.
   */
  private static String summarySql(ReferenceInputs in) {
    String types = in.purchaseTypesSql();
    return String.format(Locale.ROOT, """
        WITH days AS (
          SELECT customer_id, CAST(make_timestamp(epoch_us(event_time)) AS DATE) AS day,
                 coalesce(sum(amount), 0) AS spend, count(*) AS purchases
          FROM read_parquet(%s) WHERE epoch_us(event_time) < %d AND event_type IN (%s)
          GROUP BY ALL),
        numbered AS (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY day) AS k FROM days)
        SELECT customer_id, count(*) - 1 AS frequency,
               datediff('day', min(day), max(day)) / %s AS recency,
               datediff('day', min(day), DATE '%s') / %s AS age,
               avg(spend) FILTER (WHERE k > 1) AS monetary_value,
               sum(spend) AS total_revenue, CAST(sum(purchases) AS BIGINT) AS purchases,
               min(day) AS first_purchase_date, max(day) AS last_purchase_date
        FROM numbered GROUP BY customer_id""",
        ReferenceInputs.duckdbList(in.typedEventFiles()), in.asOfMicros(), types,
        num(daysPerUnit(in.config().clv())), in.runDate().minusDays(1), num(daysPerUnit(in.config().clv())));
  }

  /**
   * customer_value from clv_summary. BG/NBD (FHL 2005): P(alive) = 1 / (1 + [x > 0] a/(b+x-1)
   * ((alpha+T)/(alpha+t_x))^(r+x)); E[Y(t)] = (a+b+x-1)/(a-1) (1 - (1-z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z))
   * P(alive), z = t/(alpha+T+t), for t = 1..horizon months; the predicted CLV discounts each month's
   * increment. The series' terms are positive and their ratio tends to z; the term count per row,
   * (2 z (r+x+2) + 80) / (1-z), runs past the largest term (near (r+x) z/(1-z)) and then far enough for
   * the tail to vanish: on the benchmark's data the two sides agree to about 1e-12.
   */
  private String valueSql(ReferenceInputs in) {
    Clv clv = in.config().clv();
    String predictions;
    if (purchase == null) {
      predictions = "SELECT DISTINCT frequency AS x, age, NULL::DOUBLE AS expected, NULL::DOUBLE AS discounted FROM clv_summary";
    } else {
      // Outside these the textbook form needs care the reference does not take (ours handles a near 1).
      if (!(purchase.a() + purchase.b() - 1 > 0) || Math.abs(purchase.a() - 1) < 1e-4) {
        throw new IllegalStateException("the reference's BG/NBD SQL needs a + b > 1 and a not within 1e-4 of 1: " + purchase);
      }
      predictions = String.format(Locale.ROOT, """
          WITH k AS (SELECT DISTINCT frequency AS x, age FROM clv_summary),
          h AS (SELECT m, m * 365.25 / 12 / %1$s AS t FROM range(1, %2$d + 1) r(m)),
          kh AS (
            SELECT x, age, m, t / (%3$s + age + t) AS z, ln((%3$s + age) / (%3$s + age + t)) AS log1mz FROM k, h),
          terms AS (
            SELECT x, age, m, z, log1mz,
                   unnest(range(CAST(ceil((2 * z * (%4$s + x + 2) + 80) / (1 - z)) AS BIGINT))) AS n
            FROM kh),
          sums AS (
            SELECT x, age, m,
                   sum(exp((%4$s + x) * log1mz + n * ln(z)
                       + lgamma(%4$s + x + n) - lgamma(%4$s + x) + lgamma(%6$s + x + n) - lgamma(%6$s + x)
                       - lgamma(%5$s + %6$s + x - 1 + n) + lgamma(%5$s + %6$s + x - 1) - lgamma(n + 1))) AS product
            FROM terms GROUP BY ALL),
          cumulative AS (
            SELECT x, age, m, (%5$s + %6$s + x - 1) / (%5$s - 1) * (1 - product) AS e FROM sums)
          SELECT x, age, max(e) FILTER (WHERE m = %2$d) AS expected,
                 sum((e - coalesce(lag_e, 0)) / pow(1 + %7$s, m / 12)) AS discounted
          FROM (SELECT *, lag(e) OVER (PARTITION BY x, age ORDER BY m) AS lag_e FROM cumulative)
          GROUP BY x, age""",
          num(daysPerUnit(clv)), clv.horizonMonths(), num(purchase.alpha()), num(purchase.r()), num(purchase.a()),
          num(purchase.b()), num(clv.annualDiscountRate()));
    }
    String alive = purchase == null ? "NULL::DOUBLE" : String.format(Locale.ROOT,
        "1 / (1 + CASE WHEN s.frequency = 0 THEN 0 ELSE exp(least(700, ln(%3$s / (%4$s + s.frequency - 1))"
            + " + (%1$s + s.frequency) * ln((%2$s + s.age) / (%2$s + s.recency)))) END)",
        num(purchase.r()), num(purchase.alpha()), num(purchase.a()), num(purchase.b()));
    String meanSpend = spend == null ? "NULL::DOUBLE" : String.format(Locale.ROOT,
        "%1$s * (%3$s + CASE WHEN s.frequency > 0 THEN s.frequency * s.monetary_value ELSE 0 END) / (%1$s * s.frequency + %2$s - 1)",
        num(spend.p()), num(spend.q()), num(spend.v()));
    return String.format(Locale.ROOT, """
        WITH p AS (%s),
        channels AS (
          SELECT customer_id, arg_min(channel, {'t': epoch_us(event_time), 'c': channel}) AS channel
          FROM read_parquet(%s) WHERE epoch_us(event_time) < %d AND channel IS NOT NULL GROUP BY customer_id),
        v AS (
          SELECT s.*, %s AS p_alive, %s AS expected_mean_spend, p.expected, p.discounted, c.channel
          FROM clv_summary s LEFT JOIN p ON p.x = s.frequency AND p.age = s.age
          LEFT JOIN channels c USING (customer_id)),
        valued AS (SELECT *, %s * expected_mean_spend * p_alive * discounted AS predicted_clv FROM v),
        ranked AS (
          SELECT predicted_clv, row_number() OVER (ORDER BY predicted_clv) AS k, count(*) OVER () AS n
          FROM valued WHERE predicted_clv IS NOT NULL),
        cuts AS (
          SELECT max(predicted_clv) FILTER (WHERE k = greatest(1, ceil(0.8 * n))) AS top20,
                 max(predicted_clv) FILTER (WHERE k = greatest(1, ceil(0.95 * n))) AS top5 FROM ranked)
        SELECT DATE '%s' AS run_date, customer_id, frequency, recency, age, monetary_value, total_revenue,
               total_revenue * %s AS historical_clv, NULL::DOUBLE AS simple_clv, p_alive,
               p_alive * expected AS expected_purchases, expected_mean_spend, predicted_clv,
               CASE WHEN predicted_clv >= top5 THEN 'top_5' WHEN predicted_clv >= top20 THEN 'top_20' ELSE 'rest' END AS value_tier,
               CAST(date_trunc('month', first_purchase_date) AS DATE) AS cohort_period,
               coalesce(channel, 'unknown') AS acquisition_channel, %s AS purchase_model,
               NULL::DOUBLE AS p_alive_low, NULL::DOUBLE AS p_alive_high,
               NULL::DOUBLE AS predicted_clv_low, NULL::DOUBLE AS predicted_clv_high
        FROM valued, cuts""",
        predictions, ReferenceInputs.duckdbList(in.typedEventFiles()), in.asOfMicros(), alive, meanSpend,
        num(clv.grossMargin()), in.runDate(), num(clv.grossMargin()), purchase == null ? "NULL::VARCHAR" : "'bg_nbd'");
  }

  /**
   * segment_value's overall, cohort and channel rows from clv_value: one grouping-sets aggregation.
   * Years observed per customer: days since the first purchase, at least a month.
   */
  private static String segmentSql(ReferenceInputs in) {
    Clv clv = in.config().clv();
    StringBuilder cost = new StringBuilder("CASE acquisition_channel");
    for (Map.Entry<String, Double> e : clv.acquisitionCost().entrySet()) {
      cost.append(" WHEN ").append(ReferenceInputs.quote(e.getKey())).append(" THEN ").append(num(e.getValue()));
    }
    cost.append(" ELSE ").append(num(clv.acquisitionCostOf(null))).append(" END");
    return String.format(Locale.ROOT, """
        WITH b AS (
          SELECT v.*, greatest(datediff('day', s.first_purchase_date, DATE '%s'), 365.25 / 12) / 365.25 AS years,
                 %s AS cost, predicted_clv * (1 - p_alive) AS at_risk
          FROM clv_value v JOIN clv_summary s USING (customer_id))
        SELECT DATE '%s' AS run_date,
               CASE WHEN grouping(cohort_period) = 0 THEN 'cohort' WHEN grouping(acquisition_channel) = 0 THEN 'channel'
                    ELSE 'all' END AS segment_type,
               coalesce(CASE WHEN grouping(cohort_period) = 0 THEN strftime(cohort_period, '%%Y-%%m-%%d')
                             WHEN grouping(acquisition_channel) = 0 THEN acquisition_channel ELSE 'all' END, 'unknown') AS segment,
               count(*) AS customers, sum(total_revenue) * %s / sum(years) AS yearly_profit_per_customer,
               NULL::DOUBLE AS years_retained, avg(cost) AS acquisition_cost, NULL::DOUBLE AS simple_clv,
               sum(predicted_clv) AS predicted_clv_total, sum(at_risk) AS revenue_at_risk,
               NULL::DOUBLE AS predicted_clv_total_low, NULL::DOUBLE AS predicted_clv_total_high,
               NULL::DOUBLE AS revenue_at_risk_low, NULL::DOUBLE AS revenue_at_risk_high
        FROM b GROUP BY GROUPING SETS ((), (cohort_period), (acquisition_channel))""",
        in.runDate().minusDays(1), cost, in.runDate(), num(clv.grossMargin()));
  }

  @Override
  public int check(ReferenceInputs in, Statement st, Path sparkDir, Path duckdbDir) throws SQLException {
    compare(st, SUMMARY, List.of(Columns.CUSTOMER_ID), sparkDir, duckdbDir);
    compare(st, CustomerValueTable.DEF.name(), List.of(Columns.CUSTOMER_ID), sparkDir, duckdbDir);
    compare(st, SegmentValueTable.DEF.name(), List.of(SegmentValueTable.SEGMENT_TYPE, SegmentValueTable.SEGMENT), sparkDir, duckdbDir);
    return 3;
  }

  /**
   * Both sides' rows of one table matched on the key (a full join: a row only one side has differs), every
   * other column equal: doubles within {@link #TOLERANCE} (relative above 1), the rest exactly, nulls
   * equal to nulls. The two sides must have the same columns.
   */
  private static void compare(Statement st, String table, List<String> key, Path sparkDir, Path duckdbDir) throws SQLException {
    String ours = "read_parquet('" + sparkDir.resolve(table) + "/*.parquet')";
    String theirs = "read_parquet('" + duckdbDir.resolve(table) + "/*.parquet')";
    Map<String, String> types = columns(st, ours);
    Map<String, String> theirTypes = columns(st, theirs);
    if (!types.keySet().equals(theirTypes.keySet())) {
      throw new IllegalStateException(table + ": Spark has columns " + types.keySet() + ", DuckDB " + theirTypes.keySet());
    }
    List<String> conditions = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, String> c : types.entrySet()) {
      if (key.contains(c.getKey())) {
        continue;
      }
      String a = "a." + c.getKey();
      String b = "b." + c.getKey();
      conditions.add(c.getValue().equals("DOUBLE") || c.getValue().equals("FLOAT")
          ? String.format(Locale.ROOT, "((%1$s IS NULL AND %2$s IS NULL) OR abs(%1$s - %2$s) <= %3$s * greatest(1, abs(%1$s)))", a, b, TOLERANCE)
          : a + " IS NOT DISTINCT FROM " + b);
      names.add(c.getKey());
    }
    String on = key.stream().map(k -> "a." + k + " = b." + k).collect(Collectors.joining(" AND "));
    String missing = "a." + key.get(0) + " IS NULL OR b." + key.get(0) + " IS NULL";
    StringBuilder sql = new StringBuilder("SELECT (SELECT count(*) FROM " + ours + "), (SELECT count(*) FROM " + theirs + "), ");
    sql.append("count(*) FILTER (WHERE ").append(missing).append(")");
    for (String condition : conditions) {
      sql.append(", count(*) FILTER (WHERE NOT (").append(missing).append(") AND NOT coalesce(").append(condition).append(", false))");
    }
    sql.append(" FROM ").append(ours).append(" a FULL JOIN ").append(theirs).append(" b ON ").append(on);
    try (ResultSet rs = st.executeQuery(sql.toString())) {
      rs.next();
      long spark = rs.getLong(1);
      long duckdb = rs.getLong(2);
      long unmatched = rs.getLong(3);
      List<String> differing = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        if (rs.getLong(4 + i) != 0) {
          differing.add(names.get(i) + " in " + rs.getLong(4 + i) + " rows");
        }
      }
      if (spark != duckdb || unmatched != 0 || !differing.isEmpty()) {
        throw new IllegalStateException(String.format(Locale.ROOT,
            "%s differs between Spark and DuckDB: Spark %d rows, DuckDB %d rows, %d rows only on one side; different %s",
            table, spark, duckdb, unmatched, differing));
      }
      System.out.printf(Locale.ROOT, "  check   %s: %d rows, every row and column equal in Spark and DuckDB%n", table, spark);
    }
  }

  private static Map<String, String> columns(Statement st, String source) throws SQLException {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
      while (rs.next()) {
        out.put(rs.getString("column_name"), rs.getString("column_type"));
      }
    }
    return out;
  }

  /** A double as a DuckDB DOUBLE literal, every digit kept (a bare 0.3 would be a DECIMAL). */
  private static String num(double value) {
    return "'" + value + "'::DOUBLE";
  }
}
