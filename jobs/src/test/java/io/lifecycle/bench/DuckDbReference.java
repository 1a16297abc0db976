package io.lifecycle.bench;

import static org.apache.spark.sql.functions.*;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/**
 * The same sessionization and cohort retention written as DuckDB SQL over the same Parquet files: the
 * yardstick for Spark's wall time on one machine, and an independent check of the numbers.
 *
 * <p>Both engines read the current files of the {@code events} Delta table (the clean events ingest
 * wrote, taken from the Delta snapshot, so DuckDB needs no Delta reader) and write their result as
 * Parquet partitioned like ours (sessions by session date). The SQL is the textbook formulation: lag
 * for the gap flag, a running max for the gap session's start, the aligned max-length piece, then one
 * aggregation. Cohort retention: the month of the first purchase, and per month offset the customers
 * with a purchase in it. The check compares the session count, events, total duration and revenue, and
 * every cell of the observed retention matrix (all channels); a mismatch fails the benchmark.
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
    this.files = parquetFiles.stream()
        .map(f -> "'" + f.replaceFirst("^file:", "").replace("'", "''") + "'")
        .collect(Collectors.joining(", ", "[", "]"));
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
    String cohortsFile = out.resolve("cohort_retention.parquet").toString();
    benchmark.measure("duckdb", "cohort_retention", () -> exec(st,
        "COPY (" + retentionSql(files) + ") TO '" + cohortsFile + "' (FORMAT parquet)"));
    checkSessions(store.read(SessionsTable.DEF), sessionsDir);
    checkRetention(store, cohortsFile);
  }

  /** Sessionizes into Parquet partitioned by session date, like our table; returns the folder. */
  String sessionize() {
    String sessionsDir = out.resolve("sessions").toString();
    benchmark.measure("duckdb", "sessionize", () -> exec(st,
        "COPY (" + sessionsSql(files) + ") TO '" + sessionsDir + "' (FORMAT parquet, PARTITION_BY (session_date))"));
    return sessionsDir;
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
    return config.stages().purchaseEventTypes().stream().sorted().map(t -> "'" + t.replace("'", "''") + "'")
        .collect(Collectors.joining(", "));
  }

  String sessionsSql(String files) {
    long gap = config.sessions().inactivityGap().toNanos() / 1000;
    long max = config.sessions().maxDuration().toNanos() / 1000;
    return String.format(Locale.ROOT, """
        WITH e AS (
          SELECT customer_id, epoch_us(event_time) AS t, event_type, amount, channel
          FROM read_parquet(%s) WHERE epoch_us(event_time) < %d),
        g AS (
          SELECT *, lag(t) OVER (PARTITION BY customer_id ORDER BY t) AS prev FROM e),
        s AS (
          SELECT *, max(CASE WHEN prev IS NULL OR t - prev > %d THEN t END)
                      OVER (PARTITION BY customer_id ORDER BY t ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS gap_start
          FROM g),
        p AS (
          SELECT *, CASE WHEN t - gap_start <= 0 THEN 0 ELSE (t - gap_start - 1) // %d END AS piece FROM s)
        SELECT customer_id, make_timestamp(min(t)) AS session_start, make_timestamp(max(t)) AS session_end,
               (max(t) - min(t)) / 1e6 AS duration_seconds, count(*) AS event_count,
               coalesce(sum(amount), 0) AS revenue,
               min(CASE WHEN event_type IN (%s) THEN make_timestamp(t) END) AS first_purchase_time,
               CAST(make_timestamp(min(t)) AS DATE) AS session_date
        FROM p GROUP BY customer_id, gap_start, piece""", files, asOf(), gap, max, purchaseTypes());
  }

  String retentionSql(String files) {
    return String.format(Locale.ROOT, """
        WITH e AS (
          SELECT customer_id, CAST(date_trunc('month', make_timestamp(epoch_us(event_time))) AS DATE) AS period, amount
          FROM read_parquet(%s) WHERE epoch_us(event_time) < %d AND event_type IN (%s)),
        c AS (SELECT customer_id, min(period) AS cohort FROM e GROUP BY customer_id),
        sizes AS (SELECT cohort, count(*) AS cohort_size FROM c GROUP BY cohort),
        cells AS (
          SELECT c.cohort, datediff('month', c.cohort, e.period) AS period_offset,
                 count(DISTINCT e.customer_id) AS active, sum(e.amount) AS revenue
          FROM e JOIN c USING (customer_id) GROUP BY 1, 2)
        SELECT cells.cohort, cells.period_offset, sizes.cohort_size, cells.active, cells.revenue
        FROM cells JOIN sizes USING (cohort)""", files, asOf(), purchaseTypes());
  }

  /** Session count, events, total duration and revenue of our sessions against DuckDB's. */
  void checkSessions(org.apache.spark.sql.Dataset<Row> sessions, String dir) throws SQLException {
    Row ours = sessions.agg(count(lit(1)), sum(SessionsTable.EVENT_COUNT),
        sum(SessionsTable.DURATION_SECONDS), sum(SessionsTable.REVENUE)).head();
    try (ResultSet rs = st.executeQuery("SELECT count(*), sum(event_count), sum(duration_seconds), sum(revenue) FROM read_parquet('"
        + dir + "/**/*.parquet', hive_partitioning = true)")) {
      rs.next();
      require("sessions", ours.getLong(0), rs.getLong(1));
      require("events in sessions", ours.getLong(1), rs.getLong(2));
      requireClose("total session seconds", ours.getDouble(2), rs.getDouble(3));
      requireClose("session revenue", ours.getDouble(3), rs.getDouble(4));
      System.out.printf("  check   sessions: %,d sessions, %,d events, equal in Spark and DuckDB%n", ours.getLong(0), ours.getLong(1));
    }
  }

  private void checkRetention(DeltaStore store, String file) throws SQLException {
    List<String> ours = store.read(CohortRetentionTable.DEF)
        .where(col(CohortRetentionTable.CHANNEL).equalTo("all").and(not(col(CohortRetentionTable.PROJECTED)))
            .and(col(CohortRetentionTable.ACTIVE).gt(0)))
        .select(CohortRetentionTable.COHORT, CohortRetentionTable.OFFSET, CohortRetentionTable.COHORT_SIZE,
            CohortRetentionTable.ACTIVE, CohortRetentionTable.REVENUE)
        .orderBy(CohortRetentionTable.COHORT, CohortRetentionTable.OFFSET)
        .collectAsList().stream() // bounded: cohorts x offsets (24 x 24 for two years of months)
        .map(r -> cell(String.valueOf(r.get(0)), r.getInt(1), r.getLong(2), r.getLong(3), r.getDouble(4))).toList();
    List<String> theirs = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + file + "') ORDER BY 1, 2")) {
      while (rs.next()) {
        theirs.add(cell(rs.getDate(1).toString(), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5)));
      }
    }
    if (!ours.equals(theirs)) {
      throw new IllegalStateException("cohort retention differs between Spark and DuckDB:\n spark  " + ours + "\n duckdb " + theirs);
    }
    System.out.printf("  check   cohort_retention: %d cells equal in Spark and DuckDB%n", ours.size());
  }

  /** A cell as text, revenue to the cent: the engines sum doubles in different orders. */
  private static String cell(String cohort, int offset, long size, long active, double revenue) {
    return String.format(Locale.ROOT, "%s+%d:%d/%d/%.2f", cohort, offset, active, size, revenue);
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
