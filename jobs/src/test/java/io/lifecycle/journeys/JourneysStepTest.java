package io.lifecycle.journeys;

import static io.lifecycle.tables.Columns.*;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.cli.Steps;
import io.lifecycle.sessions.SessionizeStep;
import io.lifecycle.sessions.SessionizerTest;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.CustomerStageHistoryTable;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.StageFunnelTable;
import io.lifecycle.tables.StageTransitionsTable;
import io.lifecycle.tables.TableDef;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JourneysStepTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void eventsToSessionsToJourneyTablesAndARerunGivesTheSameTables(@TempDir Path dir) {
    RunContext ctx = new RunContext(spark,
        TestSupport.config("lifecycle.output.root = \"" + dir.resolve("out") + "\""), LocalDate.of(2024, 3, 10));
    Dataset<Row> events = events("run_test");
    ctx.store().write(EventsTable.DEF, events, ctx.runDate());
    new SessionizeStep().run(ctx);

    StepResult first = new JourneysStep().run(ctx);
    List<String> journeys = TestSupport.rows(ctx.store().read(CustomerJourneysTable.DEF));
    StepResult second = new JourneysStep().run(ctx);

    assertEquals(3, first.inputRows());
    assertEquals(Map.of("customer_stage_history", 3L, "customer_journeys", 2L, "stage_transitions", 2L, "stage_funnel", 18L),
        first.outputRows());
    assertEquals(first, second);
    assertEquals(journeys, TestSupport.rows(ctx.store().read(CustomerJourneysTable.DEF)));
    // c1's first session holds a page view and the first purchase: its stage is CONVERSION.
    assertEquals(List.of("c1|CONVERSION>ADVOCACY|ADVOCACY|4|email|2024-03-01T10:10:00Z",
            "c2|CONSIDERATION|CONSIDERATION|1|null|null"),
        TestSupport.rows(ctx.store().read(CustomerJourneysTable.DEF).select(CUSTOMER_ID, CustomerJourneysTable.PATH,
            CustomerJourneysTable.CURRENT_STAGE, CustomerJourneysTable.STAGES_SKIPPED,
            CustomerJourneysTable.ACQUISITION_CHANNEL, CustomerJourneysTable.FIRST_PURCHASE_AT)));
    for (TableDef t : List.of(CustomerStageHistoryTable.DEF, CustomerJourneysTable.DEF, StageTransitionsTable.DEF, StageFunnelTable.DEF)) {
      assertEquals(t.columnNames(), List.of(ctx.store().read(t).columns()), t.name());
    }
  }

  /**
   * Without new events, an incremental run recomputes only the customer whom the passing days churned
   * and gives a full run's tables; another CLV setting changes nothing, and after a change of the churn
   * threshold it computes every journey.
   */
  @Test
  void incrementalRunsRecomputeTheChurnedByTimeAndAChangedConfigRecomputesAll(@TempDir Path dir) {
    Path out = dir.resolve("out");
    LifecycleConfig config = TestSupport.config("lifecycle.output.root = \"" + out + "\"",
        "lifecycle.churn.inactivity_threshold = 5 days");
    RunContext first = new RunContext(spark, config, LocalDate.of(2024, 3, 10));
    // Ingested by the run of 03-09: older than every run below.
    first.store().write(EventsTable.DEF, events("run_20240309"), first.runDate());
    Steps.standard().run(first, List.of("sessionize", "journeys"));

    // At 03-10 c1 (last active 03-05 08:00) is within 5 days, c2 (03-02) churned; at 03-20 c1 has churned.
    LocalDate later = LocalDate.of(2024, 3, 20);
    StepResult incremental = Steps.standard().run(
        new RunContext(spark, config.withMode(LifecycleConfig.Mode.INCREMENTAL), later), List.of("journeys")).get("journeys");
    assertEquals(1L, incremental.outputRows().get(JourneysStep.RECOMPUTED_CUSTOMERS));
    Map<String, List<String>> tables = journeyTables(out);

    Path fullOut = dir.resolve("full");
    RunContext full = new RunContext(spark, config.withOutputRoot(fullOut.toString()), later);
    full.store().write(EventsTable.DEF, events("run_20240309"), later);
    Steps.standard().run(full, List.of("sessionize", "journeys"));
    assertEquals(journeyTables(fullOut), tables);
    assertEquals(List.of("c1|CONVERSION>ADVOCACY>CHURNED|CHURNED", "c2|CONSIDERATION>CHURNED|CHURNED"),
        TestSupport.rows(spark.read().format("delta").load(out.resolve(CustomerJourneysTable.DEF.name()).toString())
            .select(CUSTOMER_ID, CustomerJourneysTable.PATH, CustomerJourneysTable.CURRENT_STAGE)));

    // Another CLV setting leaves every journey as it was: the rerun of 03-20 recomputes no one.
    LifecycleConfig otherClv = TestSupport.config("lifecycle.output.root = \"" + out + "\"",
        "lifecycle.churn.inactivity_threshold = 5 days", "lifecycle.clv.path_segments = 7").withMode(LifecycleConfig.Mode.INCREMENTAL);
    StepResult afterClvChange = Steps.standard().run(new RunContext(spark, otherClv, later), List.of("journeys")).get("journeys");
    assertEquals(0L, afterClvChange.outputRows().get(JourneysStep.RECOMPUTED_CUSTOMERS), "a CLV setting changes no journey");
    assertEquals(tables, journeyTables(out));

    LifecycleConfig changed = TestSupport.config("lifecycle.output.root = \"" + out + "\"",
        "lifecycle.churn.inactivity_threshold = 20 days").withMode(LifecycleConfig.Mode.INCREMENTAL);
    StepResult afterChange = Steps.standard().run(new RunContext(spark, changed, later.plusDays(1)), List.of("journeys"))
        .get("journeys");
    assertNull(afterChange.outputRows().get(JourneysStep.RECOMPUTED_CUSTOMERS), "a changed config recomputes every journey");
    // With 20 days neither has churned by 03-21 (c1 inactive 15.7 days, c2 18.5).
    assertEquals(List.of("c1|ADVOCACY", "c2|CONSIDERATION"), TestSupport.rows(spark.read().format("delta")
        .load(out.resolve(CustomerJourneysTable.DEF.name()).toString()).select(CUSTOMER_ID, CustomerJourneysTable.CURRENT_STAGE)));
  }

  private Map<String, List<String>> journeyTables(Path out) {
    Map<String, List<String>> tables = new java.util.LinkedHashMap<>();
    for (TableDef t : List.of(CustomerStageHistoryTable.DEF, CustomerJourneysTable.DEF, StageTransitionsTable.DEF)) {
      tables.put(t.name(), TestSupport.rows(spark.read().format("delta").load(out.resolve(t.name()).toString())));
    }
    return tables;
  }

  private Dataset<Row> events(String ingestRunId) {
    return spark.createDataFrame(List.of(
            SessionizerTest.ev("c1", "2024-03-01T10:00:00Z", "page_view", "AWARENESS", null, "email"),
            SessionizerTest.ev("c1", "2024-03-01T10:10:00Z", "purchase", "CONVERSION", 12.0, null),
            SessionizerTest.ev("c1", "2024-03-05T08:00:00Z", "review", "ADVOCACY", null, null),
            SessionizerTest.ev("c2", "2024-03-02T12:00:00Z", "product_view", "CONSIDERATION", null, null)),
            SessionizerTest.EVENTS)
        .withColumn(EVENT_ID, lit(null).cast("string"))
        .withColumn(SOURCE_FILE, lit("test"))
        .withColumn(INGEST_RUN_ID, lit(ingestRunId))
        .withColumn(EVENT_DATE, to_date(col(EVENT_TIME)));
  }
}
