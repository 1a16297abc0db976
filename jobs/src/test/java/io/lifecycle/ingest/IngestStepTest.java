package io.lifecycle.ingest;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.QuarantineTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestStepTest {
  private final SparkSession spark = SharedSpark.get();

  private StepResult ingest(Path dir, String file, String body, LocalDate runDate, String... conf) throws Exception {
    TestSupport.inputFile(dir, file, body);
    return new IngestStep().run(new RunContext(spark, TestSupport.runConfig(dir, conf), runDate));
  }

  private Dataset<Row> table(Path dir, String name) {
    return spark.read().format("delta").load(dir.resolve("out").resolve(name).toString());
  }

  @Test
  void everyBadRowKindIsQuarantinedWithItsReasonAndCountsAddUp(@TempDir Path dir) throws Exception {
    String csv = String.join("\n",
        "customer_id,event_time,event_type,amount,channel,event_id",
        "c1,2024-03-01T10:00:00Z,page_view,,organic,e1",
        "c1,2024-03-01T10:05:00Z,purchase,19.99,organic,e2",
        "c1,2024-03-01T10:05:00Z,purchase,19.99,organic,e2",           // duplicate event id
        ",2024-03-01T10:00:00Z,page_view,,,e3",                           // missing customer
        "c2,,page_view,,,e4",                                             // missing time
        "c2,yesterday,page_view,,,e5",                                    // unparseable time
        "c2,2030-01-01T00:00:00Z,page_view,,,e6",                         // future
        "c2,1970-01-01T00:00:00Z,page_view,,,e6b",                        // before start
        "c2,2024-03-02T00:00:00Z,,,,e7",                                  // missing type
        "c2,2024-03-02T00:00:00Z,purchase,abc,,e8",                       // non-numeric amount
        "c2,2024-03-02T00:00:00Z,purchase,-5,,e9",                        // negative amount
        "c2,2024-03-02T00:00:00Z,purchase,\"unterminated,,e10",           // malformed quoting
        "c3,2024-03-02T01:00:00Z,Mystery Event,,,e11",                    // unknown type, kept (not strict)
        "c3,2024-03-02T02:00:00Z,product_view,,,",                        // no event id
        "c3,2024-03-02T02:00:00Z,product_view,,,");                       // duplicate by content
    StepResult r = ingest(dir, "events.csv", csv + "\n", LocalDate.of(2024, 3, 10),
        "lifecycle.quality.max_quarantine_share = 0.9");
    assertEquals(15, r.inputRows());
    List<String> reasons = TestSupport.rows(table(dir, "events_quarantine").select(QuarantineTable.REASON));
    assertEquals(List.of("before_start", "future_time", "malformed", "missing_customer_id", "missing_event_type",
        "missing_time", "negative_amount", "non_numeric_amount", "unparseable_time"), reasons);
    assertEquals(9, r.quarantinedRows());
    Dataset<Row> events = table(dir, "events");
    assertEquals(List.of(
            "c1|2024-03-01T10:00:00Z|page_view|AWARENESS|null|organic|e1",
            "c1|2024-03-01T10:05:00Z|purchase|CONVERSION|19.99|organic|e2",
            "c3|2024-03-02T01:00:00Z|mystery_event|null|null|null|e11",
            "c3|2024-03-02T02:00:00Z|product_view|CONSIDERATION|null|null|null"),
        TestSupport.rows(events.select("customer_id", "event_time", "event_type", "stage", "amount", "channel", "event_id")));
    // read = clean + duplicates + quarantined
    assertEquals(4L, r.outputRows().get("events"));
    assertEquals(15, 4 + 2 + 9);
    Row q = table(dir, "events_quarantine").where("reason = 'unparseable_time'").head();
    assertEquals("yesterday", q.getAs("detail"));
    assertTrue(q.<String>getAs("raw_record").contains("yesterday"));
    assertTrue(q.<String>getAs("source_file").endsWith("events.csv"));
  }

  @Test
  void quarantineLimitFailsAfterWritingQuarantineAndKeepsEvents(@TempDir Path dir) throws Exception {
    String good = "customer_id,event_time,event_type\nc1,2024-03-01T10:00:00Z,page_view\n";
    ingest(dir, "a.csv", good, LocalDate.of(2024, 3, 10));
    long before = table(dir, "events").count();
    LifecycleException e = assertThrows(LifecycleException.class, () -> ingest(dir, "a.csv",
        "customer_id,event_time,event_type\nc1,2024-03-01T10:00:00Z,page_view\n,x,y\n,x,y\n", LocalDate.of(2024, 3, 10)));
    assertEquals(ExitCode.DATA_QUALITY, e.exitCode());
    assertTrue(e.getMessage().contains("2 of 3 rows"), e.getMessage());
    assertEquals(2, table(dir, "events_quarantine").count());
    assertEquals(before, table(dir, "events").count());
  }

  @Test
  void timeZonesAndFormatsConvertToUtc(@TempDir Path dir) throws Exception {
    String csv = String.join("\n",
        "customer_id,event_time,event_type",
        "c1,2024-07-01 12:00:00,page_view",          // local New York time (EDT, UTC-4)
        "c1,2024-01-15 12:00:00,page_view",          // local New York time (EST, UTC-5)
        "c1,2024-07-01T12:00:00+02:00,page_view",    // explicit offset wins over the zone
        "c1,2024-07-01T12:00:00.5Z,page_view",
        "c1,1719835200000,page_view");               // epoch millis = 2024-07-01T12:00:00Z
    ingest(dir, "tz.csv", csv + "\n", LocalDate.of(2024, 8, 1),
        "lifecycle.input.timestamp.zone = America/New_York",
        "lifecycle.input.timestamp.formats = [\"yyyy-MM-dd'T'HH:mm:ss[.SSSSSS]XXX\", \"yyyy-MM-dd HH:mm:ss\", epoch_millis]");
    assertEquals(List.of("2024-01-15T17:00:00Z", "2024-07-01T10:00:00Z", "2024-07-01T12:00:00.500Z", "2024-07-01T12:00:00Z",
            "2024-07-01T16:00:00Z"),
        TestSupport.rows(table(dir, "events").select("event_time")));
    assertEquals(List.of("2024-01-15", "2024-07-01", "2024-07-01", "2024-07-01", "2024-07-01"),
        TestSupport.rows(table(dir, "events").select("event_date")));
  }

  @Test
  void stagesDependOnFirstPurchase(@TempDir Path dir) throws Exception {
    String csv = String.join("\n",
        "customer_id,event_time,event_type,amount",
        "c1,2024-03-01T10:00:00Z,product_view,",
        "c1,2024-03-02T10:00:00Z,purchase,10",
        "c1,2024-03-03T10:00:00Z,product_view,",
        "c1,2024-03-04T10:00:00Z,purchase,12.5",
        "c1,2024-03-05T10:00:00Z,Support Ticket,",
        "c1,2024-03-06T10:00:00Z,review,",
        "c2,2024-03-01T10:00:00Z,add-to-cart,");
    ingest(dir, "s.csv", csv + "\n", LocalDate.of(2024, 4, 1));
    assertEquals(List.of(
            "c1|2024-03-01T10:00:00Z|product_view|CONSIDERATION",
            "c1|2024-03-02T10:00:00Z|purchase|CONVERSION",
            "c1|2024-03-03T10:00:00Z|product_view|RETENTION",
            "c1|2024-03-04T10:00:00Z|purchase|RETENTION",
            "c1|2024-03-05T10:00:00Z|support_ticket|EXPERIENCE",
            "c1|2024-03-06T10:00:00Z|review|ADVOCACY",
            "c2|2024-03-01T10:00:00Z|add_to_cart|CONSIDERATION"),
        TestSupport.rows(table(dir, "events").select("customer_id", "event_time", "event_type", "stage")));
  }

  @Test
  void theCopyKeptOfAnEventSentTwiceInOneFileDoesNotDependOnTheRowOrder(@TempDir Path dir) throws Exception {
    // The same id, file and channel: only the content can decide, and the earliest copy is kept either way.
    String header = "customer_id,event_time,event_type,amount,channel,event_id";
    String correction = "c1,2024-03-01T10:05:00Z,purchase,31.00,email,e1";
    String original = "c1,2024-03-01T10:00:00Z,purchase,30.00,email,e1";
    for (List<String> rows : List.of(List.of(correction, original), List.of(original, correction))) {
      Path run = dir.resolve(rows.get(0).equals(original) ? "original-first" : "correction-first");
      ingest(run, "events.csv", header + "\n" + String.join("\n", rows) + "\n", LocalDate.of(2024, 3, 10));
      assertEquals(List.of("c1|2024-03-01T10:00:00Z|30.0"),
          TestSupport.rows(table(run, "events").select("customer_id", "event_time", "amount")), run.getFileName().toString());
    }
  }

  @Test
  void strictEventTypesQuarantineUnknownTypes(@TempDir Path dir) throws Exception {
    String csv = "customer_id,event_time,event_type\nc1,2024-03-01T10:00:00Z,page_view\nc1,2024-03-01T10:01:00Z,teleport\n";
    StepResult r = ingest(dir, "u.csv", csv, LocalDate.of(2024, 4, 1),
        "lifecycle.stages.strict_event_types = true", "lifecycle.quality.max_quarantine_share = 0.5");
    assertEquals(1, r.quarantinedRows());
    Row q = table(dir, "events_quarantine").head();
    assertEquals("unknown_event_type", q.getAs("reason"));
    assertEquals("teleport", q.getAs("detail"));
  }

  @Test
  void jsonLinesWithExtraColumnsAndNumbers(@TempDir Path dir) throws Exception {
    String json = String.join("\n",
        "{\"customer_id\": \"007\", \"event_time\": \"2024-03-01T10:00:00Z\", \"event_type\": \"purchase\", \"amount\": 12.5, \"extra\": [1,2]}",
        "{\"customer_id\": 42, \"event_time\": \"2024-03-01T11:00:00Z\", \"event_type\": \"page_view\"}",
        "not json at all");
    StepResult r = ingest(dir, "e.json", json + "\n", LocalDate.of(2024, 4, 1),
        "lifecycle.input.format = json", "lifecycle.quality.max_quarantine_share = 0.5");
    assertEquals(3, r.inputRows());
    assertEquals(List.of("007|purchase|12.5", "42|page_view|null"),
        TestSupport.rows(table(dir, "events").select("customer_id", "event_type", "amount")));
    assertEquals("malformed", table(dir, "events_quarantine").head().getAs("reason"));
  }

  @Test
  void textFormatWithHeaderSkipAndTransactionOnlyData(@TempDir Path dir) throws Exception {
    String text = " customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n 00002 19970112  2\r\n";
    StepResult r = ingest(dir, "cd.txt", text, LocalDate.of(1998, 7, 1),
        "include file(\"" + TestSupport.projectFile("conf/cdnow.conf").getAbsolutePath() + "\")",
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"",
        "lifecycle.quality.max_quarantine_share = 0.5");
    assertEquals(4, r.inputRows());
    assertEquals(List.of("00001|1997-01-01T00:00:00Z|purchase|CONVERSION|11.77", "00002|1997-01-12T00:00:00Z|purchase|CONVERSION|12.0"),
        TestSupport.rows(table(dir, "events").select("customer_id", "event_time", "event_type", "stage", "amount")));
    Row q = table(dir, "events_quarantine").head();
    assertEquals("malformed", q.getAs("reason"));
    assertEquals("expected 4 fields, found 3", q.getAs("detail"));
  }

  @Test
  void missingInputAndMissingRequiredColumn(@TempDir Path dir) throws Exception {
    LifecycleConfig config = TestSupport.config("lifecycle.input.path = \"" + dir.resolve("nothing-here") + "\"",
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"");
    LifecycleException e = assertThrows(LifecycleException.class,
        () -> new IngestStep().run(new RunContext(spark, config, LocalDate.of(2024, 1, 1))));
    assertEquals(ExitCode.INPUT_UNAVAILABLE, e.exitCode());
    assertTrue(e.getMessage().contains("does not exist"));
    LifecycleException col = assertThrows(LifecycleException.class,
        () -> ingest(dir, "x.csv", "cust,event_time,event_type\nc1,2024-01-01T00:00:00Z,page_view\n", LocalDate.of(2024, 2, 1)));
    assertEquals(ExitCode.USAGE_OR_CONFIG, col.exitCode());
    assertTrue(col.getMessage().contains("Required column 'customer_id'"), col.getMessage());
  }

  @Test
  void defaultRunDateIsTheDayAfterTheLatestUsableEventResolvedBeforeIngest(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in");
    Files.createDirectories(input);
    // The later rows are quarantined (no customer, an unparseable time): they do not move the run date.
    Files.writeString(input.resolve("a.csv"), "customer_id,event_time,event_type\nc1,2024-03-01T23:59:59Z,page_view\n"
        + ",2024-03-05T10:00:00Z,page_view\nc2,not-a-time,page_view\n");
    LifecycleConfig config = TestSupport.config("lifecycle.input.path = \"" + input + "\"",
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"", "lifecycle.quality.max_quarantine_share = 0.9");
    LocalDate runDate = io.lifecycle.cli.RunDates.resolve(spark, config, true);
    assertEquals(LocalDate.of(2024, 3, 2), runDate);
    new IngestStep().run(new RunContext(spark, config, runDate));
    assertEquals("run_20240302", table(dir, "events").head().getAs("ingest_run_id"));
    assertEquals(EventsTable.DEF.columnNames(), List.of(table(dir, "events").columns()));
    // Without ingest, from the stored events; with no usable row and no date, a clear error.
    assertEquals(LocalDate.of(2024, 3, 2), io.lifecycle.cli.RunDates.resolve(spark, config.withOutputRoot(dir.resolve("out").toString()), false));
    Files.writeString(input.resolve("a.csv"), "customer_id,event_time,event_type\n,2024-03-05T10:00:00Z,page_view\n");
    LifecycleException none = assertThrows(LifecycleException.class, () -> io.lifecycle.cli.RunDates.resolve(spark, config, true));
    assertEquals(ExitCode.DATA_QUALITY, none.exitCode());
    assertTrue(none.getMessage().contains("holds no usable event to take the run date from; give --run-date"), none.getMessage());
  }

  @Test
  void pseudonymizedIdsReachNoOutputTable(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, "team-secret");
    String csv = "customer_id,event_time,event_type\nalice,2024-03-01T10:00:00Z,page_view\nalice,2024-03-01T10:01:00Z,page_view\n,2024-03-01T10:02:00Z,page_view\n";
    ingest(dir, "p.csv", csv, LocalDate.of(2024, 4, 1), "lifecycle.privacy.pseudonymize = true",
        "lifecycle.privacy.key_file = \"" + key + "\"", "lifecycle.quality.max_quarantine_share = 0.5");
    String expected = io.lifecycle.privacy.PseudonymizerTestAccess.hmac("team-secret", "alice");
    assertEquals(List.of(expected, expected), TestSupport.rows(table(dir, "events").select("customer_id")));
    assertNull(table(dir, "events_quarantine").head().getAs("raw_record"));
  }

  @Test
  void corruptGzipFailsNamingTheFileOrIsQuarantinedWhenConfigured(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in");
    Files.createDirectories(input);
    Files.writeString(input.resolve("good.csv"), "customer_id,event_time,event_type\nc1,2024-03-01T10:00:00Z,page_view\n");
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write("customer_id,event_time,event_type\nc2,2024-03-01T10:00:00Z,page_view\n".getBytes());
    }
    Files.write(input.resolve("bad.csv.gz"), java.util.Arrays.copyOf(gz.toByteArray(), 30)); // truncated
    LifecycleConfig strict = TestSupport.config("lifecycle.input.path = \"" + input + "\"",
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"");
    io.lifecycle.pipeline.Pipeline pipeline = new io.lifecycle.pipeline.Pipeline(List.of(new IngestStep()));
    LifecycleException e = assertThrows(LifecycleException.class,
        () -> pipeline.run(new RunContext(spark, strict, LocalDate.of(2024, 4, 1)), List.of()));
    assertTrue(e.getMessage().contains("cannot read input file") && e.getMessage().contains("bad.csv.gz"), e.getMessage());
    assertEquals(ExitCode.DATA_QUALITY, e.exitCode());

    LifecycleConfig lenient = TestSupport.config("lifecycle.input.path = \"" + input + "\"",
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"", "lifecycle.input.options.ignoreCorruptFiles = \"true\"",
        "lifecycle.quality.max_quarantine_share = 0.5");
    StepResult r = new IngestStep().run(new RunContext(spark, lenient, LocalDate.of(2024, 4, 1)));
    assertEquals(2, r.inputRows());
    assertEquals(1, r.quarantinedRows());
    Row q = table(dir, "events_quarantine").head();
    assertEquals("unreadable_file", q.getAs("reason"));
    assertTrue(q.<String>getAs("source_file").endsWith("bad.csv.gz"));
  }
}
