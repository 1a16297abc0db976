package io.lifecycle.bench;

import static io.lifecycle.bench.ReferenceInputs.quote;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.StageModel;
import io.lifecycle.journeys.CustomerJourneys;
import io.lifecycle.journeys.StageEpisodes;
import io.lifecycle.journeys.StageFunnel;
import io.lifecycle.journeys.StageTransitions;
import io.lifecycle.spark.PartitionedCheckpoint;
import io.lifecycle.tables.ColumnDef;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.CustomerStageHistoryTable;
import io.lifecycle.tables.StageFunnelTable;
import io.lifecycle.tables.StageTransitionsTable;
import io.lifecycle.tables.TableDef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;

/**
 * The {@code journeys} step's four tables ({@code customer_stage_history}, {@code customer_journeys},
 * {@code stage_transitions}, {@code stage_funnel}) by our transformations and by DuckDB SQL over the same
 * sessions Parquet, compared row by row and column by column.
 *
 * <p>Ours makes the calls a full {@code JourneysStep} run makes, each later table read back from the
 * episodes and journeys just written (Parquet here, Delta in the job), conformed to the table contract as
 * the Delta writer does. DuckDB's is written from the contract: a forward-filled stage, a running sum of
 * episode starts, churn from the gap to the next episode (or the as-of instant), then {@code
 * row_number}/{@code lag}/{@code lead} and the last ranked stage for the moves; {@code string_agg} and
 * {@code arg_max} for the journeys; {@code GROUPING SETS} for all-time and monthly transitions; a
 * (customer, stage) first/last-entry table for the funnel. {@code quantile_disc} is the nearest-rank
 * percentile our tables define (the value at rank ceil(p n), checked against it for every n up to 3,000).
 * Times are compared as epoch microseconds, whatever zone DuckDB reads Parquet timestamps in; maps as
 * sorted keys plus values in key order; doubles within 1e-6 (relative above 1), as the engines sum
 * revenue in different orders and ours sums it as decimals.
 */
final class JourneysReference implements StepReference {
  private static final long DAY_MICROS = 86_400_000_000L;
  /** Each table's key, unique per row by construction: rows are paired on it to compare doubles. */
  private static final Map<TableDef, List<String>> KEYS = Map.of(
      CustomerStageHistoryTable.DEF, List.of("customer_id", "episode_number"),
      CustomerJourneysTable.DEF, List.of("customer_id"),
      StageTransitionsTable.DEF, List.of("period_type", "period_start", "from_stage", "to_stage"),
      StageFunnelTable.DEF, List.of("period_start", "acquisition_channel", "stage"));
  private static final List<TableDef> TABLES = List.of(CustomerStageHistoryTable.DEF, CustomerJourneysTable.DEF,
      StageTransitionsTable.DEF, StageFunnelTable.DEF);

  @Override
  public String name() {
    return "journeys";
  }

  @Override
  public void spark(ReferenceInputs in, Path dir) {
    LifecycleConfig config = in.config();
    Instant asOf = in.asOf();
    Dataset<Row> sessions = in.spark().read().parquet(in.sessions().toString());
    // As the step does it: the episodes kept, partitioned by customer, for the history and the two tables after it.
    Dataset<Row> history = PartitionedCheckpoint.of(
        new StageEpisodes(config.stages(), config.churnThreshold(), asOf).episodes(sessions));
    ReferenceInputs.writeTable(history, CustomerStageHistoryTable.DEF, dir);
    ReferenceInputs.writeTable(new CustomerJourneys(config.stages(), asOf).journeys(history, sessions), CustomerJourneysTable.DEF, dir);
    ReferenceInputs.writeTable(new StageTransitions(in.runDate()).transitions(history), StageTransitionsTable.DEF, dir);
    ReferenceInputs.writeTable(new StageFunnel(config.stages(), in.runDate()).funnel(read(in, CustomerJourneysTable.DEF, dir), history),
        StageFunnelTable.DEF, dir);
  }

  private static Dataset<Row> read(ReferenceInputs in, TableDef table, Path dir) {
    return in.spark().read().parquet(dir.resolve(table.name()).toString());
  }

  @Override
  public void duckdb(ReferenceInputs in, Statement st, Path dir) throws SQLException {
    String sessions = "read_parquet('" + in.sessions().toString().replace("'", "''") + "/**/*.parquet', hive_partitioning = true)";
    try {
      // Times as epoch microseconds throughout; converted back to timestamps only in the output.
      st.execute(String.format(Locale.ROOT, """
          CREATE OR REPLACE TEMP VIEW journeys_sessions AS
          SELECT customer_id, epoch_us(session_start) AS session_start, epoch_us(session_end) AS session_end,
                 event_count, revenue, stage, first_channel, epoch_us(first_purchase_time) AS first_purchase_time
          FROM %s WHERE epoch_us(session_start) < %d""", sessions, in.asOfMicros()));
      st.execute(episodesSql(in));
      st.execute(journeysSql(in));
      copy(st, CustomerStageHistoryTable.DEF, in, dir, "journeys_episodes");
      copy(st, CustomerJourneysTable.DEF, in, dir, "journeys_journeys");
      copy(st, StageTransitionsTable.DEF, in, dir, "(" + transitionsSql(in) + ")");
      copy(st, StageFunnelTable.DEF, in, dir, "(" + funnelSql(in) + ")");
    } finally {
      st.execute("DROP TABLE IF EXISTS journeys_journeys");
      st.execute("DROP TABLE IF EXISTS journeys_episodes");
      st.execute("DROP VIEW IF EXISTS journeys_sessions");
    }
  }

  /** The contract's columns of {@code source}, in order, times back to timestamps, into {@code dir/<table>}. */
  private static void copy(Statement st, TableDef table, ReferenceInputs in, Path dir, String source) throws SQLException {
    Path folder = dir.resolve(table.name());
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String columns = table.columns().stream()
        .map(c -> c.name().equals("run_date") ? "DATE '" + in.runDate() + "' AS run_date"
            : c.type().equals(DataTypes.TimestampType) ? "make_timestamp(" + c.name() + ") AS " + c.name() : c.name())
        .collect(Collectors.joining(", "));
    st.execute("COPY (SELECT " + columns + " FROM " + source + ") TO '" + folder.resolve("data.parquet") + "' (FORMAT parquet)");
  }

  private static String stageList(LifecycleConfig config) {
    return config.stages().order().stream().map(ReferenceInputs::quote).collect(Collectors.joining(", ", "[", "]"));
  }

  /**
   * Episodes: each session's stage is the last non-null one up to it (sessions before the first staged
   * one drop out); an episode starts where the stage changes or the gap from the previous session's end
   * is over the churn threshold. A CHURNED episode follows an episode whose gap to the next one (or to
   * the as-of instant) is over the threshold. Moves compare the stage's rank with the last ranked
   * (non-CHURNED) episode's before it.
   */
  private static String episodesSql(ReferenceInputs in) {
    long churn = in.config().churnThreshold().toNanos() / 1_000;
    return String.format(Locale.ROOT, """
        CREATE OR REPLACE TEMP TABLE journeys_episodes AS
        WITH staged AS (
          SELECT customer_id, session_start, session_end, event_count, revenue,
                 last_value(stage IGNORE NULLS) OVER (PARTITION BY customer_id ORDER BY session_start
                                                      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS stage
          FROM journeys_sessions),
        marked AS (
          SELECT *, CASE WHEN lag(stage) OVER w IS DISTINCT FROM stage
                           OR session_start - lag(session_end) OVER w > %2$d THEN 1 ELSE 0 END AS starts_episode
          FROM staged WHERE stage IS NOT NULL
          WINDOW w AS (PARTITION BY customer_id ORDER BY session_start)),
        numbered AS (
          SELECT *, sum(starts_episode) OVER (PARTITION BY customer_id ORDER BY session_start
                                              ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS episode
          FROM marked),
        active AS (
          SELECT customer_id, any_value(stage) AS stage, min(session_start) AS entered_at,
                 max(session_end) AS last_activity_at, count(*) AS sessions,
                 CAST(sum(event_count) AS BIGINT) AS events, sum(revenue) AS revenue
          FROM numbered GROUP BY customer_id, episode),
        churning AS (
          SELECT *, coalesce(lead(entered_at) OVER (PARTITION BY customer_id ORDER BY entered_at), %1$d)
                      - last_activity_at > %2$d AS churns
          FROM active),
        episodes AS (
          SELECT customer_id, stage, entered_at, last_activity_at, sessions, events, revenue FROM churning
          UNION ALL
          SELECT customer_id, '%3$s', last_activity_at + %2$d, NULL, 0, 0, 0.0 FROM churning WHERE churns),
        ordered AS (
          SELECT *, list_position(%4$s, stage) AS stage_rank, row_number() OVER w AS episode_number,
                 lag(stage) OVER w AS previous_stage, lead(entered_at) OVER w AS left_at
          FROM episodes WINDOW w AS (PARTITION BY customer_id ORDER BY entered_at)),
        compared AS (
          SELECT *, last_value(stage_rank IGNORE NULLS) OVER (PARTITION BY customer_id ORDER BY entered_at
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS last_rank
          FROM ordered)
        SELECT customer_id, CAST(episode_number AS INTEGER) AS episode_number, stage, previous_stage,
               CASE WHEN stage = '%3$s' THEN 'CHURN' WHEN last_rank IS NULL THEN 'START'
                    WHEN stage_rank = last_rank + 1 THEN 'FORWARD' WHEN stage_rank > last_rank THEN 'SKIP'
                    WHEN stage_rank < last_rank THEN 'BACK' ELSE 'SAME' END AS move,
               CAST(CASE WHEN stage = '%3$s' THEN 0 WHEN last_rank IS NULL THEN stage_rank - 1
                         WHEN stage_rank > last_rank THEN stage_rank - last_rank - 1 ELSE 0 END AS INTEGER) AS stages_skipped,
               entered_at, left_at, last_activity_at, (coalesce(left_at, %1$d) - entered_at) / %5$d AS days_in_stage,
               sessions, events, revenue, coalesce(previous_stage = '%3$s', false) AS is_reactivation,
               left_at IS NULL AS is_current
        FROM compared""", in.asOfMicros(), churn, StageModel.CHURNED, stageList(in.config()), DAY_MICROS);
  }

  /**
   * One row per customer from their episodes, plus from their sessions the channel of the first staged
   * session (null when it has none: {@code first}, unlike {@code arg_min}, keeps a null) and the first
   * purchase.
   */
  private static String journeysSql(ReferenceInputs in) {
    String stages = stageList(in.config());
    return String.format(Locale.ROOT, """
        CREATE OR REPLACE TEMP TABLE journeys_journeys AS
        WITH per_customer AS (
          SELECT customer_id, string_agg(stage, '%1$s' ORDER BY episode_number) AS path,
                 CAST(count(*) AS INTEGER) AS episodes, arg_max(stage, episode_number) AS current_stage,
                 max(entered_at) AS current_stage_since, %2$s[max(list_position(%2$s, stage))] AS highest_stage,
                 CAST(sum(stages_skipped) AS INTEGER) AS stages_skipped,
                 CAST(count(*) FILTER (WHERE move = 'BACK') AS INTEGER) AS moves_back,
                 CAST(count(*) FILTER (WHERE is_reactivation) AS INTEGER) AS reactivations,
                 min(entered_at) AS first_seen_at, max(last_activity_at) AS last_activity_at,
                 CAST(sum(sessions) AS BIGINT) AS sessions, CAST(sum(events) AS BIGINT) AS events, sum(revenue) AS revenue
          FROM journeys_episodes GROUP BY customer_id),
        from_sessions AS (
          SELECT customer_id, first(first_channel ORDER BY session_start) FILTER (WHERE stage IS NOT NULL) AS acquisition_channel,
                 min(first_purchase_time) AS first_purchase_at
          FROM journeys_sessions GROUP BY customer_id)
        SELECT customer_id, path, episodes, current_stage, current_stage_since,
               CAST((%3$d - current_stage_since) // %4$d AS INTEGER) AS days_in_current_stage, highest_stage,
               stages_skipped, moves_back, stages_skipped > 0 OR moves_back > 0 AS is_non_linear,
               current_stage = '%5$s' AS is_churned, reactivations, reactivations > 0 AS is_reactivated,
               first_seen_at, last_activity_at, first_purchase_at,
               CAST(date_trunc('month', make_timestamp(first_seen_at)) AS DATE) AS acquisition_month,
               acquisition_channel, sessions, events, revenue
        FROM per_customer LEFT JOIN from_sessions USING (customer_id)""",
        CustomerJourneysTable.PATH_SEPARATOR, stages, in.asOfMicros(), DAY_MICROS, StageModel.CHURNED);
  }

  /** Consecutive episodes of a customer are a move, made when the second is entered; all time and per month. */
  private static String transitionsSql(ReferenceInputs in) {
    return String.format(Locale.ROOT, """
        WITH moves AS (
          SELECT customer_id, stage AS from_stage, lead(stage) OVER w AS to_stage,
                 (lead(entered_at) OVER w - entered_at) / %1$d AS days,
                 CAST(date_trunc('month', make_timestamp(lead(entered_at) OVER w)) AS DATE) AS month
          FROM journeys_episodes WINDOW w AS (PARTITION BY customer_id ORDER BY episode_number)),
        counted AS (
          SELECT CASE WHEN grouping(month) = 1 THEN 'ALL' ELSE 'MONTH' END AS period_type, month AS period_start,
                 from_stage, to_stage, count(DISTINCT customer_id) AS customers, count(*) AS transitions,
                 quantile_disc(days, 0.5) AS median_days_between, quantile_disc(days, 0.9) AS p90_days_between
          FROM moves WHERE to_stage IS NOT NULL
          GROUP BY GROUPING SETS ((from_stage, to_stage), (month, from_stage, to_stage)))
        SELECT *, transitions / sum(transitions) OVER (PARTITION BY period_type, period_start, from_stage) AS probability
        FROM counted""", DAY_MICROS);
  }

  /**
   * Cohorts (acquisition month by channel, and all channels) by model stage. A later stage counts as
   * reached from a stage when the customer's last entry into it is after their first entry into this
   * one; drop-off is entering and reaching none.
   */
  private static String funnelSql(ReferenceInputs in) {
    List<String> order = in.config().stages().order();
    String stageRows = IntStream.range(0, order.size()).mapToObj(i -> "(" + quote(order.get(i)) + ", " + (i + 1) + ")")
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, """
        WITH members AS (
          SELECT customer_id, acquisition_month AS period_start,
                 coalesce(acquisition_channel, '%1$s') AS acquisition_channel, is_non_linear FROM journeys_journeys
          UNION ALL
          SELECT customer_id, acquisition_month, '%2$s', is_non_linear FROM journeys_journeys),
        cohorts AS (SELECT period_start, acquisition_channel, count(*) AS cohort_customers FROM members GROUP BY ALL),
        stage_list AS (SELECT * FROM (VALUES %3$s) s(stage, stage_rank)),
        grid AS (SELECT * FROM cohorts CROSS JOIN stage_list),
        entries AS (
          SELECT customer_id, stage, any_value(stage_rank) AS stage_rank,
                 min(entered_at) AS first_entered_at, max(entered_at) AS last_entered_at
          FROM journeys_episodes JOIN stage_list USING (stage) GROUP BY customer_id, stage),
        reached AS (
          SELECT f.customer_id, f.stage, l.stage AS later_stage
          FROM entries f JOIN entries l
            ON l.customer_id = f.customer_id AND l.stage_rank > f.stage_rank AND l.last_entered_at > f.first_entered_at),
        went_further AS (SELECT DISTINCT customer_id, stage FROM reached),
        churned_from AS (SELECT DISTINCT customer_id, previous_stage AS stage FROM journeys_episodes WHERE stage = '%4$s'),
        stage_counts AS (
          SELECT m.period_start, m.acquisition_channel, e.stage, count(*) AS customers_entered,
                 count(*) FILTER (WHERE w.customer_id IS NULL) AS drop_off_customers,
                 count(c.customer_id) AS churned_from_stage, count(*) FILTER (WHERE m.is_non_linear) AS non_linear
          FROM entries e JOIN members m ON m.customer_id = e.customer_id
          LEFT JOIN went_further w ON w.customer_id = e.customer_id AND w.stage = e.stage
          LEFT JOIN churned_from c ON c.customer_id = e.customer_id AND c.stage = e.stage
          GROUP BY ALL),
        conversions AS (
          SELECT m.period_start, m.acquisition_channel, r.stage, r.later_stage, count(*) AS customers
          FROM reached r JOIN members m ON m.customer_id = r.customer_id GROUP BY ALL),
        later AS (
          SELECT g.period_start, g.acquisition_channel, g.stage, l.stage_rank AS later_rank, l.stage AS later_stage,
                 coalesce(v.customers, 0) / s.customers_entered AS share
          FROM grid g JOIN stage_list l ON l.stage_rank > g.stage_rank
          LEFT JOIN stage_counts s
            ON s.period_start = g.period_start AND s.acquisition_channel = g.acquisition_channel AND s.stage = g.stage
          LEFT JOIN conversions v ON v.period_start = g.period_start AND v.acquisition_channel = g.acquisition_channel
            AND v.stage = g.stage AND v.later_stage = l.stage),
        conversion AS (
          SELECT period_start, acquisition_channel, stage,
                 map_from_entries(list((later_stage, share) ORDER BY later_rank)) AS conversion_to_later,
                 first(share ORDER BY later_rank) AS conversion_to_next
          FROM later GROUP BY ALL),
        medians AS (
          SELECT m.period_start, m.acquisition_channel, e.stage, quantile_disc(e.days_in_stage, 0.5) AS median_days_in_stage
          FROM journeys_episodes e JOIN members m ON m.customer_id = e.customer_id
          WHERE e.stage <> '%4$s' AND e.left_at IS NOT NULL GROUP BY ALL)
        SELECT g.period_start, g.acquisition_channel, 'all' AS breakdown, '%2$s' AS breakdown_value, g.stage,
               CAST(g.stage_rank AS INTEGER) AS stage_rank,
               g.cohort_customers, coalesce(s.customers_entered, 0) AS customers_entered,
               coalesce(s.customers_entered, 0) / g.cohort_customers AS entered_rate, c.conversion_to_next,
               coalesce(c.conversion_to_later, MAP {}::MAP(VARCHAR, DOUBLE)) AS conversion_to_later,
               CASE WHEN g.stage_rank = %5$d THEN 0 ELSE coalesce(s.drop_off_customers, 0) END AS drop_off_customers,
               CASE WHEN g.stage_rank < %5$d THEN s.drop_off_customers / s.customers_entered END AS drop_off_rate,
               coalesce(s.churned_from_stage, 0) AS churned_from_stage, d.median_days_in_stage,
               s.non_linear / s.customers_entered AS non_linear_share
        FROM grid g
        LEFT JOIN stage_counts s
          ON s.period_start = g.period_start AND s.acquisition_channel = g.acquisition_channel AND s.stage = g.stage
        LEFT JOIN conversion c
          ON c.period_start = g.period_start AND c.acquisition_channel = g.acquisition_channel AND c.stage = g.stage
        LEFT JOIN medians d
          ON d.period_start = g.period_start AND d.acquisition_channel = g.acquisition_channel AND d.stage = g.stage""",
        StageFunnelTable.UNKNOWN_CHANNEL, StageFunnelTable.ALL_CHANNELS, stageRows, StageModel.CHURNED, order.size());
  }

  @Override
  public int check(ReferenceInputs in, Statement st, Path sparkDir, Path duckdbDir) throws SQLException {
    for (TableDef table : TABLES) {
      check(st, table, sparkDir.resolve(table.name()), duckdbDir.resolve(table.name()));
    }
    return TABLES.size();
  }

  /**
   * One table: the same columns as the contract on both sides; the same multiset of rows on every
   * column but the doubles (EXCEPT ALL both ways); and, rows paired on the key, every double within 1e-6.
   */
  private static void check(Statement st, TableDef table, Path ours, Path theirs) throws SQLException {
    String a = "read_parquet('" + ours + "/*.parquet')";
    String b = "read_parquet('" + theirs + "/*.parquet')";
    for (String source : List.of(a, b)) {
      List<String> columns = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("SELECT column_name FROM (DESCRIBE SELECT * FROM " + source + ")")) {
        while (rs.next()) {
          columns.add(rs.getString(1));
        }
      }
      if (!columns.equals(table.columnNames())) {
        throw new IllegalStateException(table.name() + ": columns " + columns + " of " + source + " are not the contract's "
            + table.columnNames());
      }
    }
    List<String> exact = new ArrayList<>();
    List<String> doubles = new ArrayList<>();
    List<String> projection = new ArrayList<>();
    for (ColumnDef c : table.columns()) {
      String n = c.name();
      if (c.type().equals(DataTypes.TimestampType)) {
        projection.add("epoch_us(" + n + ") AS " + n);
        exact.add(n);
      } else if (c.type().equals(DataTypes.DoubleType)) {
        projection.add(n);
        doubles.add(close("a." + n, "b." + n));
      } else if (c.type() instanceof MapType) {
        // Keys exactly, the values in key order within 1e-6.
        projection.add("list_sort(map_keys(" + n + ")) AS " + n);
        projection.add("list_transform(list_sort(map_entries(" + n + ")), e -> e.value) AS " + n + "_values");
        exact.add(n);
        doubles.add("(len(a." + n + "_values) = len(b." + n + "_values) AND coalesce(list_bool_and(list_transform(a." + n
            + "_values, (v, i) -> " + close("v", "b." + n + "_values[i]") + ")), true))");
      } else {
        projection.add(n);
        exact.add(n);
      }
    }
    String select = "SELECT " + String.join(", ", projection) + " FROM ";
    String columns = String.join(", ", exact);
    String key = KEYS.get(table).stream().map(k -> "a." + k + " IS NOT DISTINCT FROM b." + k).collect(Collectors.joining(" AND "));
    try (ResultSet rs = st.executeQuery(String.format(Locale.ROOT, """
        WITH a AS (%s), b AS (%s)
        SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b),
               (SELECT count(*) FROM (SELECT %s FROM a EXCEPT ALL SELECT %s FROM b)),
               (SELECT count(*) FROM (SELECT %s FROM b EXCEPT ALL SELECT %s FROM a)),
               (SELECT count(*) FROM a JOIN b ON %s WHERE NOT (%s))""",
        select + a, select + b, columns, columns, columns, columns, key, String.join(" AND ", doubles)))) {
      rs.next();
      long spark = rs.getLong(1);
      long duckdb = rs.getLong(2);
      if (spark != duckdb || rs.getLong(3) != 0 || rs.getLong(4) != 0 || rs.getLong(5) != 0) {
        throw new IllegalStateException(String.format(Locale.ROOT,
            "%s differs between Spark and DuckDB: Spark %d rows, DuckDB %d; %d of Spark's rows are not DuckDB's and %d of "
                + "DuckDB's not Spark's (every column but the doubles); %d pairs of rows with the same key have doubles "
                + "further apart than 1e-6", table.name(), spark, duckdb, rs.getLong(3), rs.getLong(4), rs.getLong(5)));
      }
      System.out.printf("  check   %s: %d rows, every row and column equal in Spark and DuckDB%n", table.name(), spark);
    }
  }

  /** Both null, or within 1e-6 (relative above 1). */
  private static String close(String x, String y) {
    return String.format("((%1$s IS NULL AND %2$s IS NULL) OR coalesce(abs(%1$s - %2$s) <= 1e-6 * greatest(1, abs(%2$s)), false))", x, y);
  }
}
