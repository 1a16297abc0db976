package io.lifecycle.bench;

import static io.lifecycle.bench.ReferenceInputs.quote;
import static io.lifecycle.bench.ReferenceInputs.quotedList;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.ConfigLoader;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.StageRule;
import io.lifecycle.generate.SyntheticEventGenerator;
import io.lifecycle.ingest.CanonicalEvents;
import io.lifecycle.ingest.EventNormalizer;
import io.lifecycle.ingest.IngestStep;
import io.lifecycle.ingest.RawEventReader;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.QuarantineTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code ingest} of a full run: the clean {@code events} table (validation and normalization,
 * deduplication, the stage rule) and {@code events_quarantine} (each bad row with its reason, detail and
 * raw record), plus the counts (read = clean + duplicates + quarantined + skipped).
 *
 * <p>Spark runs the step's own pieces as a full run calls them (the reader, the normalizer, the
 * quarantine projection, {@link CanonicalEvents#of}), writing Parquet instead of Delta. DuckDB
 * states the same contract in SQL: trim and blank-to-null, the ISO-8601 shapes the default timestamp
 * formats accept, the first failing check as the reason, {@code row_number} over the dedup key, the first
 * purchase as a window minimum and the stage rules as one CASE built from the config.
 *
 * <p>The generated data has almost no bad rows, so both engines read a copy of it (hard links) with one
 * extra Parquet file of fixed rows derived from the smallest buying customer: one per quarantine reason a
 * Parquet input can have in a full run, an exact duplicate, a re-delivered event (same id, the same
 * instant written with an offset, another channel; its file sorts first, so it is the copy kept), two
 * id-less rows equal after normalization, and clean rows at the limits (earliest date, the future
 * tolerance, date-only and offset times, an unknown type). Not covered: {@code malformed} (text formats),
 * {@code unreadable_file} (needs {@code ignoreCorruptFiles}), {@code too_late} (incremental runs),
 * {@code unknown_event_type} (strict event types; the benchmark's config is not strict), pseudonymized
 * ids. Per-run metadata is not compared ({@code ingest_run_id}, {@code run_id}); {@code source_file} is
 * compared by file name, which shows which copy of a duplicate was kept.
 */
final class IngestReference implements StepReference {
  static final String COUNTS = "ingest_counts";
  private static final String EXTRA_FILE = "a-ingest-reference-bad-rows.parquet";
  /** The smallest customer id with a purchase, in the fixed rows below. */
  private static final String BUYER = "$buyer";
  /** The generator's purchase event type. */
  private static final String PURCHASE = "purchase";
  /** The extra rows besides two copies of generated ones: customer_id, event_time, event_type, amount, channel, event_id. */
  private static final String[][] FIXED_ROWS = {
    {BUYER, "2025-06-01T10:00:00Z", "page_view", null, "email\uFFFD", "ref-invalid-encoding"},
    {"   ", "2025-06-01T10:00:00Z", "page_view", null, null, "ref-missing-customer-id"},
    {BUYER, null, "page_view", null, null, "ref-missing-time"},
    {BUYER, "2025-13-01T10:00:00Z", "page_view", null, null, "ref-unparseable-time"},
    {BUYER, "1989-12-31T23:59:59.999999Z", "page_view", null, null, "ref-before-start"},
    {BUYER, "2026-01-02T00:00:00.000001Z", "page_view", null, null, "ref-future-time"},
    {BUYER, "2025-06-01T10:00:00Z", "  ", null, null, "ref-missing-event-type"},
    {BUYER, "2025-06-01T10:00:00Z", PURCHASE, "12,50", null, "ref-non-numeric-amount"},
    {BUYER, "2025-06-01T10:00:00Z", PURCHASE, "-5.00", null, "ref-negative-amount"},
    // Clean: padded id and channel, a local time with a space, a spelled-out type with an amount it does not keep.
    {"  " + BUYER + " ", "2025-06-01 10:00:00", " Add To-Cart ", "3.50", " social ", "ref-normalized"},
    {BUYER, "2025-06-02", PURCHASE, "0", null, "ref-date-only"},
    {BUYER, "2026-01-02T00:00:00Z", "review", null, null, "ref-at-future-tolerance"},
    {BUYER, "1990-01-01T00:00:00Z", "teleport", null, null, "ref-earliest-unknown-type"},
    {BUYER, "2025-06-03T09:00:00+02:00", PURCHASE, "19.99", "email", null},
    // Equal without an id once normalized (a page view keeps no amount): one is kept, the one with a channel.
    {BUYER, "2025-06-03T08:00:00Z", "page_view", "1", null, null},
    {BUYER, "2025-06-03T08:00:00.000Z", "Page View", "2", "social", null},
    // One event sent twice in one file, the correction first: the same id, file and channel, so only the
    // content decides which copy is kept (the earliest time, then type and amount).
    {BUYER, "2025-06-04T12:05:00Z", PURCHASE, "31.00", "email", "ref-sent-twice"},
    {BUYER, "2025-06-04T12:00:00Z", PURCHASE, "30.00", "email", "ref-sent-twice"},
  };

  @Override
  public String name() {
    return IngestStep.NAME;
  }

  @Override
  public void spark(ReferenceInputs in, Path dir) {
    LifecycleConfig config = configFor(in, withBadRows(in));
    RunContext ctx = new RunContext(in.spark(), config, in.runDate());
    Dataset<Row> raw = new RawEventReader(in.spark(), config.input()).read();
    Dataset<Row> normalized = new EventNormalizer(config.input(), config.stages(), config.quality(), ctx.asOf(), null)
        .normalize(raw)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // One row, as in IngestStep.
      Row counts = normalized.agg(
              count(lit(1)),
              sum(when(col(EventNormalizer.SKIPPED), 1).otherwise(0)),
              sum(when(col(EventNormalizer.REASON).isNotNull(), 1).otherwise(0)))
          .head();
      QuarantineTable.DEF.conform(IngestStep.quarantine(normalized, ctx))
          .write().mode("overwrite").parquet(dir.resolve(QuarantineTable.DEF.name()).toString());
      Dataset<Row> clean = normalized.where(col(EventNormalizer.REASON).isNull().and(not(col(EventNormalizer.SKIPPED))));
      EventsTable.DEF.conform(CanonicalEvents.of(clean, config, ctx.runId()))
          .write().mode("overwrite").parquet(dir.resolve(EventsTable.DEF.name()).toString());
      long read = counts.getLong(0);
      long skipped = counts.getLong(1);
      long quarantined = counts.getLong(2);
      long written = in.spark().read().parquet(dir.resolve(EventsTable.DEF.name()).toString()).count();
      IngestStep.Counts c = new IngestStep.Counts(read, written, read - skipped - quarantined - written, quarantined, skipped);
      Files.writeString(dir.resolve(COUNTS + ".csv"), "read,clean,duplicates,quarantined,skipped\n"
          + c.read() + "," + c.clean() + "," + c.duplicates() + "," + c.quarantined() + "," + c.skipped() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      normalized.unpersist();
    }
  }

  @Override
  public void duckdb(ReferenceInputs in, Statement st, Path dir) throws SQLException {
    Path input = withBadRows(in);
    LifecycleConfig config = configFor(in, input);
    requireSupported(config);
    String files = quote(input.resolve("*.parquet").toString());
    st.execute("CREATE OR REPLACE TEMP TABLE ingest_rows AS " + rowsSql(config, in, files));
    exec(st, "COPY (" + quarantineSql(in) + ") TO '" + file(dir, QuarantineTable.DEF.name()) + "' (FORMAT parquet)");
    exec(st, "COPY (" + eventsSql(config, RunContext.runIdOf(in.runDate())) + ") TO '" + file(dir, EventsTable.DEF.name()) + "' (FORMAT parquet)");
    // Duplicates counted apart from the window that drops them: valid rows less distinct keys.
    exec(st, "COPY (SELECT read, clean, valid - keys AS duplicates, quarantined, 0 AS skipped FROM ("
        + "SELECT count(*) AS read, count(*) FILTER (WHERE reason IS NOT NULL) AS quarantined,"
        + " count(*) FILTER (WHERE reason IS NULL) AS valid,"
        + " count(DISTINCT row(" + dedupKey(config) + ")) FILTER (WHERE reason IS NULL) AS keys,"
        + " (SELECT count(*) FROM read_parquet('" + file(dir, EventsTable.DEF.name()) + "')) AS clean FROM ingest_rows))"
        + " TO '" + dir.resolve(COUNTS + ".csv") + "' (HEADER)");
    st.execute("DROP TABLE ingest_rows");
  }

  @Override
  public int check(ReferenceInputs in, Statement st, Path sparkDir, Path duckdbDir) throws SQLException {
    long events = compare(st, EventsTable.DEF.name(), sparkDir, duckdbDir, """
        customer_id, epoch_us(event_time) AS event_time, event_type, stage, round(amount, 6) AS amount, channel,
        event_id, regexp_extract(source_file, '[^/]*$') AS source_file, CAST(event_date AS DATE) AS event_date""");
    long quarantine = compare(st, QuarantineTable.DEF.name(), sparkDir, duckdbDir, """
        CAST(run_date AS DATE) AS run_date, reason, detail, raw_record, regexp_extract(source_file, '[^/]*$') AS source_file""");
    long[] ours = counts(st, sparkDir);
    long[] theirs = counts(st, duckdbDir);
    if (!Arrays.equals(ours, theirs) || theirs[0] != theirs[1] + theirs[2] + theirs[3] + theirs[4]
        || theirs[1] != events || theirs[3] != quarantine) {
      throw new IllegalStateException("ingest counts (read, clean, duplicates, quarantined, skipped) differ: Spark "
          + Arrays.toString(ours) + ", DuckDB " + Arrays.toString(theirs) + "; tables " + events + " events, "
          + quarantine + " quarantined");
    }
    System.out.printf(Locale.ROOT, "  check   ingest counts: read %,d = clean %,d + duplicates %,d + quarantined %,d + skipped %,d "
        + "in Spark and DuckDB (input: the generated events and %d fixed rows of %s)%n",
        ours[0], ours[1], ours[2], ours[3], ours[4], FIXED_ROWS.length + 2, EXTRA_FILE);
    return 2;
  }

  /** Compares one table's comparable projection both ways with EXCEPT ALL; returns its rows. */
  private static long compare(Statement st, String table, Path sparkDir, Path duckdbDir, String columns) throws SQLException {
    String a = "SELECT " + columns + " FROM read_parquet('" + sparkDir.resolve(table) + "/*.parquet')";
    String b = "SELECT " + columns + " FROM read_parquet('" + duckdbDir.resolve(table) + "/*.parquet')";
    try (ResultSet rs = st.executeQuery(String.format(Locale.ROOT, """
        WITH a AS (%s), b AS (%s)
        SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b),
               (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM b)),
               (SELECT count(*) FROM (SELECT * FROM b EXCEPT ALL SELECT * FROM a))""", a, b))) {
      rs.next();
      long spark = rs.getLong(1);
      if (spark != rs.getLong(2) || rs.getLong(3) != 0 || rs.getLong(4) != 0) {
        throw new IllegalStateException(table + " differs between Spark and DuckDB: Spark " + spark + " rows, DuckDB "
            + rs.getLong(2) + "; " + rs.getLong(3) + " of Spark's rows are not DuckDB's, " + rs.getLong(4)
            + " of DuckDB's are not Spark's");
      }
      System.out.printf(Locale.ROOT, "  check   %s: %,d rows, every row and column equal in Spark and DuckDB%n", table, spark);
      return spark;
    }
  }

  private static long[] counts(Statement st, Path dir) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT read, clean, duplicates, quarantined, skipped FROM read_csv('"
        + dir.resolve(COUNTS + ".csv") + "', header = true)")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)};
    }
  }

  /**
   * Every input row with its canonical fields and its first failing check ({@code reason}, null when
   * clean) and the value at fault ({@code detail}), in the order of the README's quarantine table.
   */
  private static String rowsSql(LifecycleConfig config, ReferenceInputs in, String files) {
    var stages = config.stages();
    var quality = config.quality();
    long start = quality.earliestEventDate().atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
    long future = in.asOfMicros() + quality.futureTolerance().toNanos() / 1000;
    String type = stages.aliases().isEmpty() ? "t" : stages.aliases().entrySet().stream()
        .map(a -> " WHEN " + quote(a.getKey()) + " THEN " + quote(a.getValue())).collect(Collectors.joining("", "CASE t", " ELSE t END"));
    List<String> raw = Arrays.asList(SyntheticEventGenerator.RAW_SCHEMA.fieldNames());
    // The raw row as JSON without its null fields, as Spark's to_json writes it.
    String record = raw.stream()
        .map(c -> "CASE WHEN " + ident(c) + " IS NOT NULL THEN " + quote("\"" + c + "\":") + " || to_json(" + ident(c) + ") END")
        .collect(Collectors.joining(", ", "'{' || concat_ws(',', ", ") || '}'"));
    String date = "\\d{4}-\\d{2}-\\d{2}";
    String time = date + "[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?";
    return String.format(Locale.ROOT, """
        WITH f AS (
          SELECT nullif(trim(customer_id), '') AS customer_id, nullif(trim(event_time), '') AS time_text,
                 lower(regexp_replace(trim(nullif(trim(event_type), '')), '[ \\t\\n\\x0B\\f\\r-]+', '_', 'g')) AS t,
                 nullif(trim(amount), '') AS amount_text, nullif(trim(channel), '') AS channel,
                 nullif(trim(event_id), '') AS event_id, filename AS source_file, %s AS raw_record
          FROM read_parquet(%s, filename = true)),
        p AS (
          SELECT *, %s AS event_type,
                 -- The default formats: a date, or a local time (UTC), or a time with Z or an offset
                 -- (+HH:MM after T or a space, +HHMM after T only).
                 CASE WHEN regexp_full_match(time_text, '%s|%s') THEN epoch_us(try_cast(time_text AS TIMESTAMP))
                      WHEN regexp_full_match(time_text, '%s(Z|[+-]\\d{2}:\\d{2})')
                        OR regexp_full_match(time_text, '%sT\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?(Z|[+-]\\d{4})')
                        THEN epoch_us(try_cast(time_text AS TIMESTAMPTZ)) END AS t_us,
                 try_cast(amount_text AS DOUBLE) AS a,
                 concat_ws(',', CASE WHEN contains(customer_id, chr(65533)) THEN 'customer_id' END,
                                CASE WHEN contains(%s, chr(65533)) THEN 'event_type' END,
                                CASE WHEN contains(channel, chr(65533)) THEN 'channel' END,
                                CASE WHEN contains(event_id, chr(65533)) THEN 'event_id' END) AS bad_bytes
          FROM f),
        r AS (
          SELECT *, CASE
              WHEN bad_bytes <> '' THEN 'invalid_encoding'
              WHEN customer_id IS NULL THEN 'missing_customer_id'
              WHEN time_text IS NULL THEN 'missing_time'
              WHEN t_us IS NULL THEN 'unparseable_time'
              WHEN t_us < %d THEN 'before_start'
              WHEN t_us > %d THEN 'future_time'
              WHEN event_type IS NULL THEN 'missing_event_type'
              WHEN %s AND event_type NOT IN (%s) THEN 'unknown_event_type'
              WHEN amount_text IS NOT NULL AND (a IS NULL OR isnan(a) OR isinf(a)) THEN 'non_numeric_amount'
              WHEN a < 0 THEN 'negative_amount' END AS reason
          FROM p)
        SELECT customer_id, t_us, event_type, CASE WHEN event_type IN (%s) THEN a END AS amount, channel, event_id,
               source_file, reason,
               left(CASE reason WHEN 'invalid_encoding' THEN bad_bytes WHEN 'unparseable_time' THEN time_text
                                WHEN 'before_start' THEN CAST(make_timestamp(t_us) AS VARCHAR)
                                WHEN 'future_time' THEN CAST(make_timestamp(t_us) AS VARCHAR)
                                WHEN 'unknown_event_type' THEN event_type
                                WHEN 'non_numeric_amount' THEN amount_text WHEN 'negative_amount' THEN amount_text END, 1000) AS detail,
               CASE WHEN reason IS NOT NULL THEN left(raw_record, %d) END AS raw_record
        FROM r""",
        record, files, type, date, time, time, date, type, start, future,
        stages.strictEventTypes(), quotedList(stages.knownEventTypes()), quotedList(stages.purchaseEventTypes()), 10_000);
  }

  private static String quarantineSql(ReferenceInputs in) {
    return "SELECT DATE '" + in.runDate() + "' AS run_date, '" + RunContext.runIdOf(in.runDate()) + "' AS run_id, reason, "
        + "detail, raw_record, source_file FROM ingest_rows WHERE reason IS NOT NULL";
  }

  /**
   * Clean rows, one per dedup key (the copy from the first file, then the smallest id, channel, time, type
   * and amount: a total order, so the kept copy never depends on the order rows are read in), each
   * with the stage of the first rule that matches given the customer's first purchase time.
   */
  private static String eventsSql(LifecycleConfig config, String runId) {
    var stages = config.stages();
    StringBuilder stage = new StringBuilder("CASE");
    for (StageRule rule : stages.rules()) {
      String when = switch (rule.when()) {
        case ANY -> "true";
        case BEFORE_FIRST_PURCHASE -> "(first_purchase IS NULL OR t_us < first_purchase)";
        case FIRST_PURCHASE -> "t_us = first_purchase";
        case AFTER_FIRST_PURCHASE -> "t_us >= first_purchase";
        case REPEAT_PURCHASE -> "t_us > first_purchase";
      };
      stage.append(" WHEN event_type IN (").append(quotedList(rule.eventTypes())).append(") AND ").append(when)
          .append(" THEN ").append(quote(rule.stage()));
    }
    stage.append(" END");
    String kept = config.input().dedup() == LifecycleConfig.Dedup.NONE ? "" : "QUALIFY row_number() OVER (PARTITION BY "
        + dedupKey(config) + " ORDER BY source_file, event_id NULLS LAST, channel NULLS LAST, t_us, event_type, amount NULLS LAST) = 1";
    return String.format(Locale.ROOT, """
        WITH d AS (SELECT * FROM ingest_rows WHERE reason IS NULL %s),
        s AS (SELECT *, min(t_us) FILTER (WHERE event_type IN (%s)) OVER (PARTITION BY customer_id) AS first_purchase FROM d)
        SELECT customer_id, make_timestamp(t_us) AS event_time, event_type, %s AS stage, amount, channel, event_id,
               source_file, '%s' AS ingest_run_id, CAST(make_timestamp(t_us) AS DATE) AS event_date
        FROM s""", kept, quotedList(stages.purchaseEventTypes()), stage, runId);
  }

  /**
   * A customer's events are duplicates when their ids are equal, or, without an id, their time, type and
   * amount (auto); in event_id mode id-less rows only when every field and the file are equal.
   */
  private static String dedupKey(LifecycleConfig config) {
    String content = config.input().dedup() == LifecycleConfig.Dedup.EVENT_ID
        ? "t_us, event_type, amount, channel, source_file" : "t_us, event_type, amount";
    return "customer_id, event_id, " + Arrays.stream(content.split(", "))
        .map(c -> "CASE WHEN event_id IS NULL THEN " + c + " END").collect(Collectors.joining(", "));
  }

  /**
   * The generated events (hard links) and {@value #EXTRA_FILE} beside them, in a folder next to the
   * input, made again when the input or the fixed rows change. Written by DuckDB: a few milliseconds, where a
   * Spark write would add a job to the timed Spark side.
   */
  static Path withBadRows(ReferenceInputs in) {
    Path source = in.rawEvents();
    Path copy = source.resolveSibling(source.getFileName() + "-ingest-reference");
    // The marker names the fixed rows it was made with, so a change to them rebuilds the copy too.
    String version = Integer.toHexString(Arrays.deepHashCode(FIXED_ROWS));
    try {
      Path done = copy.resolve("_SUCCESS");
      if (Files.exists(done) && Files.readString(done).equals(version)
          && Files.getLastModifiedTime(done).compareTo(Files.getLastModifiedTime(source.resolve("_SUCCESS"))) >= 0) {
        return copy;
      }
      if (Files.exists(copy)) {
        try (Stream<Path> old = Files.list(copy)) {
          for (Path p : old.toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(copy);
      List<Path> parts;
      try (Stream<Path> listed = Files.list(source)) {
        parts = listed.filter(p -> p.getFileName().toString().endsWith(".parquet")
            && !p.getFileName().toString().startsWith("_") && !p.getFileName().toString().startsWith(".")).sorted().toList();
      }
      for (Path p : parts) {
        try {
          Files.createLink(copy.resolve(p.getFileName()), p);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(p, copy.resolve(p.getFileName()));
        }
      }
      try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
        st.execute("COPY (" + badRowsSql(parts) + ") TO '" + copy.resolve(EXTRA_FILE) + "' (FORMAT parquet)");
      }
      Files.writeString(done, version);
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("writing the ingest reference's bad rows: " + e.getMessage(), e);
    }
  }

  /** The fixed extra rows, in the generator's raw columns (all text). */
  private static String badRowsSql(Collection<Path> parts) {
    String files = ReferenceInputs.duckdbList(parts.stream().map(Path::toString).toList());
    String values = Arrays.stream(FIXED_ROWS)
        .map(r -> Arrays.stream(r).map(v -> v == null ? "NULL" : quote(v)).collect(Collectors.joining(", ", "(", ")")))
        .collect(Collectors.joining(",\n  "));
    List<String> columns = Arrays.asList(SyntheticEventGenerator.RAW_SCHEMA.fieldNames());
    String cols = String.join(", ", columns);
    String fixed = columns.stream().map(c -> "CAST(" + (c.equals("customer_id") ? "replace(v.customer_id, '" + BUYER + "', buyer.id)" : "v." + c)
        + " AS VARCHAR) AS " + c).collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, """
        WITH src AS (SELECT %s FROM read_parquet(%s)),
        buyer AS (SELECT min(customer_id) AS id FROM src WHERE event_type = %s),
        mine AS (SELECT * FROM src WHERE customer_id = (SELECT id FROM buyer)),
        first_purchase AS (SELECT * FROM mine WHERE event_type = %s ORDER BY event_time, event_id LIMIT 1),
        first_event AS (SELECT * FROM mine ORDER BY event_time, event_id LIMIT 1)
        SELECT * FROM first_purchase
        UNION ALL
        SELECT customer_id, replace(event_time, 'Z', '+00:00'), event_type, amount, 'email', event_id FROM first_event
        UNION ALL
        SELECT %s FROM (VALUES
          %s) v(%s), buyer""", cols, files, quote(PURCHASE), quote(PURCHASE), fixed, values, cols);
  }

  /** The benchmark's config reading {@code input} as Parquet, as a full run does. */
  private static LifecycleConfig configFor(ReferenceInputs in, Path input) {
    LifecycleConfig c = in.config();
    LifecycleConfig.Input i = c.input();
    LifecycleConfig.Input parquet = new LifecycleConfig.Input(input.toString(), LifecycleConfig.InputFormat.PARQUET,
        i.options(), i.textDelimiter(), i.textFields(), i.textSkipPattern(), i.columns(), i.eventTypeConstant(),
        i.timestampFormats(), i.zone(), i.dedup(), i.identity());
    return new LifecycleConfig(c.source(), c.hash(), c.sectionHashes(), parquet, c.stages(), c.privacy(), c.quality(), c.sessions(),
        c.churnThreshold(), c.cohorts(), c.clv(), c.models(), c.output(), c.generate(), c.incremental());
  }

  /** The settings the SQL is written for; others fail loudly instead of comparing something else. */
  private static void requireSupported(LifecycleConfig config) {
    LifecycleConfig.Input input = config.input();
    List<String> problems = new ArrayList<>();
    if (!input.timestampFormats().equals(ConfigLoader.parse("", "defaults").input().timestampFormats())
        || !input.zone().normalized().equals(ZoneOffset.UTC)) {
      problems.add("the default input.timestamp formats and zone UTC");
    }
    if (input.eventTypeConstant() != null || input.stitchesIdentities() || input.columns().entrySet().stream()
        .anyMatch(e -> e.getKey() != LifecycleConfig.Field.ANONYMOUS_ID && !e.getKey().key().equals(e.getValue()))) {
      problems.add("input.columns as generated, no anonymous id and no event_type_constant");
    }
    if (config.privacy().pseudonymize()) {
      problems.add("privacy.pseudonymize = false");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the ingest reference needs " + String.join(", ", problems));
    }
  }

  private static void exec(Statement st, String sql) throws SQLException {
    st.execute(sql);
  }

  private static String file(Path dir, String table) {
    try {
      return Files.createDirectories(dir.resolve(table)).resolve("data.parquet").toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
