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
 * Parquet partitioned like ours (sessions by session date). Both compute the whole sessions table,
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
    this.files = fileList(parquetFiles);
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
    checkSessions(java.util.Arrays.asList(store.read(SessionsTable.DEF).inputFiles()), sessionsDir);
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
    String names = order.stream().map(DuckDbReference::quote).collect(Collectors.joining(", ", "[", "]"));
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

  private static String quote(String text) {
    return "'" + text.replace("'", "''") + "'";
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

  /**
   * Every session of ours against DuckDB's, row by row and column by column (times to the microsecond,
   * the type counts as sorted entries, revenue to 1e-6: the engines sum doubles in different orders).
   * Our rows are read from {@code ourFiles} (Parquet under session_date= folders, as both engines write).
   */
  void checkSessions(List<String> ourFiles, String dir) throws SQLException {
    String ours = "read_parquet(" + fileList(ourFiles) + ", hive_partitioning = true)";
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

  private static String fileList(List<String> files) {
    return files.stream()
        .map(f -> "'" + f.replaceFirst("^file:", "").replace("'", "''") + "'")
        .collect(Collectors.joining(", ", "[", "]"));
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
