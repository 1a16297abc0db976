package io.lifecycle.identity;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.cli.Steps;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.IdentityMapTable;
import io.lifecycle.tables.QuarantineTable;
import io.lifecycle.tables.SessionsTable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stitch step on a few hand-written rows: a visitor's cookie events and guest purchase before the
 * login that links them, a second cookie on the customer's device, a visitor who never identifies, and
 * a row with no id at all. The events move to the resolved customer and are restaged (the guest
 * purchase becomes the customer's first), the identity map says why, the link-only event stays out of
 * the sessions, and a rerun moves nothing.
 */
class StitchStepTest {
  private final SparkSession spark = SharedSpark.get();

  static final String HEADER = "customer_id,event_time,event_type,amount,channel,event_id,anonymous_id,device_id";
  static final String DAY_ONE = String.join("\n",
      ",2024-03-01T10:00:00Z,page_view,,organic,e1,a1,",
      ",2024-03-01T10:05:00Z,purchase,10,organic,e2,a1,",
      ",2024-03-01T11:00:00Z,page_view,,social,e6,a9,",
      ",2024-03-01T11:10:00Z,product_view,,social,e7,a9,",
      ",2024-03-01T12:00:00Z,page_view,,,e8,,",
      "c2,2024-03-01T13:00:00Z,page_view,,,e9,,");
  static final String DAY_TWO = String.join("\n",
      "c1,2024-03-02T09:00:00Z,identify,,,e3,a1,",
      "c1,2024-03-02T09:30:00Z,purchase,20,,e4,,d1",
      ",2024-03-02T15:00:00Z,product_view,,,e5,a2,d1");

  static final String[] STITCHING = {
      "lifecycle.input.columns.anonymous_id = anonymous_id",
      "lifecycle.input.identity.extra_id_columns = [device_id]",
      "lifecycle.quality.max_quarantine_share = 0.5"};

  private Map<String, StepResult> run(Path dir, LocalDate runDate, List<String> steps, String... more) {
    String[] conf = new String[STITCHING.length + more.length];
    System.arraycopy(STITCHING, 0, conf, 0, STITCHING.length);
    System.arraycopy(more, 0, conf, STITCHING.length, more.length);
    LifecycleConfig config = TestSupport.runConfig(dir, conf);
    return Steps.standard().run(new RunContext(spark, config, runDate), steps);
  }

  private Dataset<Row> table(Path dir, String name) {
    return spark.read().format("delta").load(dir.resolve("out").resolve(name).toString());
  }

  @Test
  void eventsMoveToTheResolvedCustomerAndAreRestaged(@TempDir Path dir) throws Exception {
    TestSupport.inputFile(dir, "events.csv", HEADER + "\n" + DAY_ONE + "\n" + DAY_TWO + "\n");
    Map<String, StepResult> results = run(dir, LocalDate.of(2024, 3, 5),
        List.of("ingest", "stitch", "sessionize", "journeys", "report"));

    assertEquals(List.of("missing_identity"), TestSupport.rows(table(dir, QuarantineTable.DEF.name()).select(QuarantineTable.REASON)));
    assertEquals(List.of(
            "anonymous_id:a9|e6|AWARENESS|null|null",
            "anonymous_id:a9|e7|CONSIDERATION|null|null",
            // The guest purchase is c1's first: CONVERSION; the purchase after the login a repeat.
            "c1|e1|AWARENESS|run_20240305|anonymous_id:a1",
            "c1|e2|CONVERSION|run_20240305|anonymous_id:a1",
            "c1|e3|null|null|null",
            "c1|e4|RETENTION|null|null",
            "c1|e5|RETENTION|run_20240305|anonymous_id:a2",
            "c2|e9|AWARENESS|null|null"),
        TestSupport.rows(table(dir, "events").select("customer_id", "event_id", "stage", "stitch_run_id", "stitched_from")));
    assertEquals(List.of(
            "anonymous_id|a1|c1|true|linked|2024-03-01 10:00:00|2024-03-02 09:00:00|3",
            "anonymous_id|a2|c1|true|linked|2024-03-02 15:00:00|2024-03-02 15:00:00|1",
            "anonymous_id|a9|anonymous_id:a9|false|anonymous|2024-03-01 11:00:00|2024-03-01 11:10:00|2",
            "customer_id|c1|c1|true|known_id|2024-03-02 09:00:00|2024-03-02 09:30:00|2",
            "customer_id|c2|c2|true|known_id|2024-03-01 13:00:00|2024-03-01 13:00:00|1",
            "device_id|d1|c1|true|linked|2024-03-02 09:30:00|2024-03-02 15:00:00|2"),
        TestSupport.rows(table(dir, IdentityMapTable.DEF.name()).selectExpr("id_type", "id", "customer_id", "identified",
            "link_rule", "cast(first_seen as string)", "cast(last_seen as string)", "events")));
    // The table as its contract says, comments included (the sample run, without anonymous ids, has none).
    Dataset<Row> map = table(dir, IdentityMapTable.DEF.name());
    assertEquals(IdentityMapTable.DEF.columns().stream().map(c -> c.name() + " " + c.type().simpleString()).toList(),
        java.util.Arrays.stream(map.schema().fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList());
    assertTrue(java.util.Arrays.stream(map.schema().fields()).allMatch(f -> f.getComment().isDefined()));
    // A full run rewrites the whole table (its 8 events) when anything moved.
    assertEquals(Map.of(IdentityMapTable.DEF.name(), 6L, "events", 8L), results.get("stitch").outputRows());
    // The identify row links ids but is no interaction: c1's sessions hold its 4 other events.
    assertEquals(List.of("anonymous_id:a9|2", "c1|1", "c1|1", "c1|2", "c2|1"),
        TestSupport.rows(table(dir, SessionsTable.DEF.name()).select("customer_id", SessionsTable.EVENT_COUNT)));

    // The report's identity funnel: c1, c2 and the anonymous a9 visited; c1 and c2 identified; c1 bought.
    String report = java.nio.file.Files.readString(dir.resolve("out").resolve(io.lifecycle.report.ReportStep.LATEST));
    String funnel = report.substring(report.indexOf("<th>visitors</th>"));
    assertTrue(funnel.startsWith("<th>visitors</th><th>identified</th><th>identified and converted</th><th>anonymous, purchased</th>"
        + "</tr></thead><tbody><tr><td class=\"num\">3</td><td>2 (67%)</td><td>1 (50% of identified)</td><td class=\"num\">0</td>"),
        funnel.substring(0, 400));
    assertTrue(report.contains("No id was held back from linking."));

    // A rerun of the day ingests the provisional ids again and stitches them the same way.
    List<String> before = TestSupport.rows(table(dir, "events").drop("ingest_run_id"));
    run(dir, LocalDate.of(2024, 3, 5), List.of("ingest", "stitch"));
    assertEquals(before, TestSupport.rows(table(dir, "events").drop("ingest_run_id")));
    // Stitching again moves nothing: the same tables (a full run rewrites them whole).
    List<String> mapRows = TestSupport.rows(table(dir, IdentityMapTable.DEF.name()));
    run(dir, LocalDate.of(2024, 3, 5), List.of("stitch"));
    assertEquals(before, TestSupport.rows(table(dir, "events").drop("ingest_run_id")));
    assertEquals(mapRows, TestSupport.rows(table(dir, IdentityMapTable.DEF.name())));
  }

  @Test
  void withoutIdsToStitchTheStepDoesNotRun(@TempDir Path dir) throws Exception {
    TestSupport.inputFile(dir, "events.csv", "customer_id,event_time,event_type\nc1,2024-03-01T10:00:00Z,page_view\n");
    LifecycleConfig config = TestSupport.runConfig(dir);
    assertFalse(Steps.standard().select(List.of(), config).stream().anyMatch(s -> s.name().equals("stitch")));
    assertTrue(Steps.standard().select(List.of(), TestSupport.runConfig(dir, STITCHING)).stream()
        .anyMatch(s -> s.name().equals("stitch")));
    StepResult asked = Steps.standard().run(new RunContext(spark, config, LocalDate.of(2024, 3, 5)), List.of("stitch"))
        .get("stitch");
    assertTrue(asked.isSkipped());
    assertTrue(asked.skippedBecause().contains("input.columns.anonymous_id"), asked.skippedBecause());
  }
}
