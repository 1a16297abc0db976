package io.lifecycle.bench;

import static io.lifecycle.bench.ReferenceInputs.quote;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.io.DeltaStore;
import io.lifecycle.tables.CohortRetentionTable;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.SessionsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The same sessionization and cohort retention written as DuckDB SQL over the same Parquet files: the
 * yardstick for Spark's wall time on one machine, and an independent check of the numbers.
 *
 * <p>Both engines read the current files of the {@code events} Delta table (the clean events ingest
 * wrote, taken from the Delta snapshot, so DuckDB needs no Delta reader) and write their result as
 * Parquet. Both compute the whole sessions table,
 * every column of it, so the times compare the same work. The SQL is the textbook formulation: lag for
 * the gap flag, a running max for the gap session's start, the aligned max-length piece, then one
 * aggregation. Cohort retention: the month of the first purchase, and per month offset the customers
 * with a purchase in it. The check compares every session row by row and every cell of the observed
 * retention matrix (all channels); a mismatch fails the benchmark.
 */
final class DuckDbReference implements AutoCloseable {
  private final LifecycleConfig config;
  private final LocalDate runDate;
  private final Benchmark benchmark;
  private final String files;
  private final Path out;
  private final Connection db;
  private final Statement st;

  /** A DuckDB database in a fresh folder under {@code work}, reading the given Parquet files. */
  DuckDbReference(List<String> parquetFiles, Path work, LifecycleConfig config, LocalDate runDate, Benchmark benchmark)
      throws Exception {
    this.config = config;
    this.runDate = runDate;
    this.benchmark = benchmark;
    this.files = ReferenceInputs.duckdbList(parquetFiles);
    this.out = work.resolve("duckdb-" + System.nanoTime());
    Files.createDirectories(out);
    this.db = DriverManager.getConnection("jdbc:duckdb:" + out.resolve("scratch.duckdb"));
    this.st = db.createStatement();
    st.execute("SET threads = " + Runtime.getRuntime().availableProcessors());
    // The driver's heap by default (the same budget as Spark's); --duckdb-memory overrides.
    long gigabytes = benchmark.duckdbMemoryGb() > 0 ? benchmark.duckdbMemoryGb()
        : Math.max(1, Runtime.getRuntime().maxMemory() >> 30);
    st.execute("SET memory_limit = '" + gigabytes + "GB'");
    st.execute("SET temp_directory = '" + out.resolve("tmp") + "'");
    st.execute("SET preserve_insertion_order = false");
  }

  /** The current files of the {@code events} Delta table: what our steps read. */
  static List<String> eventFiles(DeltaStore store) {
    return java.util.Arrays.asList(store.read(EventsTable.DEF).inputFiles());
  }

  /** Times both queries, then checks them against the tables our steps wrote. */
  void runAndCheck(DeltaStore store) throws Exception {
    String sessionsDir = sessionize();
    String cohortsFile = cohortRetention();
    checkSessions(java.util.Arrays.asList(store.read(SessionsTable.DEF).inputFiles()), sessionsDir);
    checkRetention(java.util.Arrays.asList(store.read(CohortRetentionTable.DEF).inputFiles()), cohortsFile);
  }

  /** The observed cohort retention matrix into one Parquet file; returns it. */
  String cohortRetention() {
    String file = out.resolve("cohort_retention.parquet").toString();
    benchmark.measure("duckdb", "cohort_retention", () -> exec(st,
        "COPY (" + retentionSql(files) + ") TO '" + file + "' (FORMAT parquet)"));
    return file;
  }

  /** Sessionizes into one Parquet file in a folder of its own (our table has no partition folders); returns the folder. */
  String sessionize() {
    Path sessionsDir = out.resolve("sessions");
    try {
      Files.createDirectories(sessionsDir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    benchmark.measure("duckdb", "sessionize", () -> exec(st,
        "COPY (" + sessionsSql(files) + ") TO '" + sessionsDir.resolve("sessions.parquet") + "' (FORMAT parquet)"));
    return sessionsDir.toString();
  }

  /** The statement step references run their SQL on (this database, its settings). */
  Statement statement() {
    return st;
  }

  /** A fresh folder for one step reference's tables. */
  Path folder(String step) throws java.io.IOException {
    return Files.createDirectories(out.resolve(step));
  }

  @Override
  public void close() throws SQLException {
    st.close();
    db.close();
  }

  private static Void exec(Statement st, String sql) {
    try {
      st.execute(sql);
      return null;
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB: " + e.getMessage(), e);
    }
  }

  /** The run's as-of instant in epoch microseconds: times are compared as numbers, whatever zone DuckDB reads. */
  private long asOf() {
    return runDate.atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
  }

  private String purchaseTypes() {
    return ReferenceInputs.quotedList(config.stages().purchaseEventTypes());
  }

  /**
   * The whole {@code sessions} table, column for column as {@code Sessionizer} defines it: lag for the
   * gap flag, a running max for the gap session's start (over peers too, so ties at a session's first
   * instant stay together), the aligned max-length piece, one aggregation. The session id is the same
   * sha256, the type counts a histogram, the first channel the one with the least (time, channel), the
   * stages a bit per rank of the model's order mapped back to names. (Collecting the ranks as a list was
   * slower; counting each event type with a filter measured the same.)
   */
  String sessionsSql(String files) {
    long gap = config.sessions().inactivityGap().toNanos() / 1000;
    long max = config.sessions().maxDuration().toNanos() / 1000;
    List<String> order = config.stages().order();
    StringBuilder rank = new StringBuilder("CASE stage");
    for (int i = 0; i < order.size(); i++) {
      rank.append(" WHEN ").append(quote(order.get(i))).append(" THEN ").append(i + 1);
    }
    rank.append(" END");
    String names = order.stream().map(ReferenceInputs::quote).collect(Collectors.joining(", ", "[", "]"));
    return String.format(Locale.ROOT, """
        WITH e AS (
          SELECT customer_id, epoch_us(event_time) AS t, event_type, amount, channel, %s AS rank
          FROM read_parquet(%s) WHERE epoch_us(event_time) < %d),
        g AS (
          SELECT *, lag(t) OVER (PARTITION BY customer_id ORDER BY t) AS prev FROM e),
        s AS (
          SELECT *, max(CASE WHEN prev IS NULL OR t - prev > %d THEN t END)
                      OVER (PARTITION BY customer_id ORDER BY t) AS gap_start
          FROM g),
        p AS (
          SELECT *, CASE WHEN t - gap_start <= 0 THEN 0 ELSE (t - gap_start - 1) // %d END AS piece FROM s),
        a AS (
          SELECT customer_id, min(t) AS t0, max(t) AS t1, count(*) AS event_count,
                 histogram(event_type) AS event_type_counts,
                 coalesce(sum(amount), 0) AS revenue,
                 arg_min(channel, {'t': t, 'c': channel}) FILTER (WHERE channel IS NOT NULL) AS first_channel,
                 max(rank) AS top, bit_or(1 << rank) AS bits,
                 min(t) FILTER (WHERE event_type IN (%s)) AS first_purchase
          FROM p GROUP BY customer_id, gap_start, piece)
        SELECT customer_id, substr(sha256(customer_id || '|' || CAST(t0 AS VARCHAR)), 1, 32) AS session_id,
               make_timestamp(t0) AS session_start, make_timestamp(t1) AS session_end,
               (t1 - t0) / 1e6 AS duration_seconds, event_count, event_type_counts, revenue, first_channel,
               %s[top] AS stage, list_filter(%s, (x, i) -> coalesce((bits >> i) & 1 = 1, false)) AS stages,
               make_timestamp(first_purchase) AS first_purchase_time, CAST(make_timestamp(t0) AS DATE) AS session_date
        FROM a""", rank, files, asOf(), gap, max, purchaseTypes(), names, names);
  }

  /**
   * The observed 'on' cells of {@code cohort_retention} for all channels (the other retention modes' are
   * checked by {@code CohortsReference}), column for column as {@code
   * CohortRetention.observed} defines them: cohorts by first purchase (or first event) period, every offset
   * from 0 to the current period (0 where nobody was active), active customers, revenue, retention and
   * revenue per customer, the running revenue per customer, and whether the period had ended.
   */
  String retentionSql(String files) {
    var cohorts = config.cohorts();
    boolean monthly = cohorts.period() == LifecycleConfig.Cohorts.Period.MONTH;
    String unit = monthly ? "month" : "week";
    java.util.function.BinaryOperator<String> offset = (from, to) -> monthly
        ? "datediff('month', " + from + ", " + to + ")" : "datediff('day', " + from + ", " + to + ") // 7";
    String basis = cohorts.basis() == LifecycleConfig.Cohorts.Basis.FIRST_PURCHASE ? "min(ts) FILTER (WHERE purchase)" : "min(ts)";
    String active = cohorts.activity() == LifecycleConfig.Cohorts.Activity.PURCHASE ? "bool_or(purchase)" : "true";
    var activity = new io.lifecycle.cohorts.CustomerActivity(config);
    String current = "DATE '" + activity.periodOf(runDate.minusDays(1)) + "'";
    String runPeriod = "DATE '" + activity.periodOf(runDate) + "'";
    return String.format(Locale.ROOT, """
        WITH e AS (
          SELECT customer_id, make_timestamp(epoch_us(event_time)) AS ts, event_type IN (%s) AS purchase, amount
          FROM read_parquet(%s) WHERE epoch_us(event_time) < %d),
        c AS (SELECT customer_id, CAST(date_trunc('%s', %s) AS DATE) AS cohort FROM e GROUP BY customer_id HAVING %s IS NOT NULL),
        p AS (
          SELECT customer_id, CAST(date_trunc('%s', ts) AS DATE) AS period, %s AS active,
                 coalesce(sum(amount) FILTER (WHERE purchase), 0) AS revenue
          FROM e GROUP BY 1, 2),
        sizes AS (SELECT cohort, count(*) AS cohort_size FROM c GROUP BY cohort),
        grid AS (SELECT cohort, cohort_size, unnest(range(0, %s + 1)) AS period_offset FROM sizes),
        cells AS (
          SELECT c.cohort, %s AS period_offset, sum(CASE WHEN p.active THEN 1 ELSE 0 END) AS active, sum(p.revenue) AS revenue
          FROM p JOIN c USING (customer_id) WHERE p.period >= c.cohort GROUP BY 1, 2)
        SELECT grid.cohort AS cohort_period, 'all' AS channel, CAST(grid.period_offset AS INTEGER) AS period_offset,
               grid.cohort_size, coalesce(cells.active, 0) AS active_customers,
               coalesce(cells.active, 0) / grid.cohort_size AS retention_rate, coalesce(cells.revenue, 0) AS revenue,
               coalesce(cells.revenue, 0) / grid.cohort_size AS revenue_per_customer,
               sum(coalesce(cells.revenue, 0)) OVER (PARTITION BY grid.cohort ORDER BY grid.period_offset) / grid.cohort_size
                   AS cumulative_revenue_per_customer,
               %s > grid.period_offset AS period_complete
        FROM grid LEFT JOIN cells USING (cohort, period_offset)""",
        purchaseTypes(), files, asOf(), unit, basis, basis, unit, active, offset.apply("cohort", current),
        offset.apply("c.cohort", "p.period"), offset.apply("grid.cohort", runPeriod));
  }

  /**
   * Every session of ours against DuckDB's, row by row and column by column (times to the microsecond,
   * the type counts as sorted entries, revenue to 1e-6: the engines sum doubles in different orders).
   * Our rows are read from {@code ourFiles}.
   */
  void checkSessions(List<String> ourFiles, String dir) throws SQLException {
    String ours = "read_parquet(" + ReferenceInputs.duckdbList(ourFiles) + ", hive_partitioning = true)";
    String theirs = "read_parquet('" + dir + "/**/*.parquet', hive_partitioning = true)";
    try (ResultSet rs = st.executeQuery(String.format(Locale.ROOT, """
        WITH a AS (%s), b AS (%s)
        SELECT (SELECT count(*) FROM a), (SELECT sum(event_count) FROM a), (SELECT count(*) FROM b),
               (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM b)),
               (SELECT count(*) FROM (SELECT * FROM b EXCEPT ALL SELECT * FROM a))""",
        comparable(ours), comparable(theirs)))) {
      rs.next();
      long sessions = rs.getLong(1);
      require("sessions", sessions, rs.getLong(3));
      if (rs.getLong(4) != 0 || rs.getLong(5) != 0) {
        throw new IllegalStateException("sessions differ between Spark and DuckDB: " + rs.getLong(4) + " of Spark's "
            + sessions + " rows are not DuckDB's, " + rs.getLong(5) + " of DuckDB's are not Spark's");
      }
      System.out.printf("  check   sessions: %,d sessions of %,d events, every row and column equal in Spark and DuckDB%n",
          sessions, rs.getLong(2));
    }
  }

  private static String comparable(String source) {
    return "SELECT customer_id, session_id, epoch_us(session_start) AS s, epoch_us(session_end) AS e, "
        + "round(duration_seconds, 6) AS d, event_count, "
        + "list_sort(list_transform(map_entries(event_type_counts), x -> x.key || '=' || CAST(x.value AS VARCHAR))) AS types, "
        + "round(revenue, 6) AS r, first_channel, stage, stages, epoch_us(first_purchase_time) AS fp, "
        + "CAST(session_date AS DATE) AS session_date FROM " + source;
  }

  /**
   * Every observed cell of ours for all channels against DuckDB's, row by row (rates and revenue to
   * 1e-6: the engines sum doubles in different orders). Our cells are read from {@code ourFiles}.
   */
  void checkRetention(List<String> ourFiles, String file) throws SQLException {
    // Rounding both sides to 6 decimals flipped a cell whose value sat on a rounding boundary: the
    // cells are matched by key and the doubles compared within 1e-6 (relative above 1).
    String cells = "SELECT cohort_period, period_offset, cohort_size, active_customers, retention_rate AS r, "
        + "revenue AS rev, revenue_per_customer AS rpc, cumulative_revenue_per_customer AS crpc, period_complete FROM ";
    String ours = cells + "read_parquet(" + ReferenceInputs.duckdbList(ourFiles) + ") WHERE retention_mode = 'on' AND channel = 'all' AND NOT coalesce(is_projected, false)";
    String theirs = cells + "read_parquet('" + file + "')";
    String close = "abs(a.%1$s - b.%1$s) <= 1e-6 * greatest(1, abs(b.%1$s))";
    String same = "a.cohort_size = b.cohort_size AND a.active_customers = b.active_customers"
        + " AND a.period_complete = b.period_complete AND " + String.join(" AND ",
            String.format(close, "r"), String.format(close, "rev"), String.format(close, "rpc"), String.format(close, "crpc"));
    try (ResultSet rs = st.executeQuery(String.format(Locale.ROOT, """
        WITH a AS (%s), b AS (%s),
             m AS (SELECT a.cohort_period FROM a JOIN b USING (cohort_period, period_offset) WHERE %s)
        SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b),
               (SELECT count(*) FROM a) - (SELECT count(*) FROM m),
               (SELECT count(*) FROM b) - (SELECT count(*) FROM m)""", ours, theirs, same))) {
      rs.next();
      require("cohort retention cells", rs.getLong(1), rs.getLong(2));
      if (rs.getLong(3) != 0 || rs.getLong(4) != 0) {
        throw new IllegalStateException("cohort retention differs between Spark and DuckDB: " + rs.getLong(3)
            + " of Spark's cells are not DuckDB's, " + rs.getLong(4) + " of DuckDB's are not Spark's");
      }
      System.out.printf("  check   cohort_retention: %d cells, every row and column equal in Spark and DuckDB%n", rs.getLong(1));
    }
  }

  private static void require(String what, long spark, long duckdb) {
    if (spark != duckdb) {
      throw new IllegalStateException(what + " differ: Spark " + spark + ", DuckDB " + duckdb);
    }
  }

  private static void requireClose(String what, double spark, double duckdb) {
    if (Math.abs(spark - duckdb) > 1e-6 * Math.max(1, Math.abs(spark))) {
      throw new IllegalStateException(what + " differ: Spark " + spark + ", DuckDB " + duckdb);
    }
  }
}
