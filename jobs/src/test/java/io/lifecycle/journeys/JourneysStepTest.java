package io.lifecycle.journeys;

import static io.lifecycle.tables.Columns.*;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.StepResult;
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
    Dataset<Row> events = spark.createDataFrame(List.of(
            SessionizerTest.ev("c1", "2024-03-01T10:00:00Z", "page_view", "AWARENESS", null, "email"),
            SessionizerTest.ev("c1", "2024-03-01T10:10:00Z", "purchase", "CONVERSION", 12.0, null),
            SessionizerTest.ev("c1", "2024-03-05T08:00:00Z", "review", "ADVOCACY", null, null),
            SessionizerTest.ev("c2", "2024-03-02T12:00:00Z", "product_view", "CONSIDERATION", null, null)),
            SessionizerTest.EVENTS)
        .withColumn(EVENT_ID, lit(null).cast("string"))
        .withColumn(SOURCE_FILE, lit("test"))
        .withColumn(INGEST_RUN_ID, lit("run_test"))
        .withColumn(EVENT_DATE, to_date(col(EVENT_TIME)));
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
}
