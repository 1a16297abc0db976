package io.lifecycle.sessions;

import static io.lifecycle.tables.Columns.*;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.SessionsTable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionizeStepTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void writesSessionsOfEventsBeforeTheRunDateAndARerunGivesTheSameRows(@TempDir Path dir) {
    RunContext ctx = new RunContext(spark,
        TestSupport.config("lifecycle.output.root = \"" + dir.resolve("out") + "\""), LocalDate.of(2024, 3, 3));
    Dataset<Row> events = spark.createDataFrame(List.of(
            SessionizerTest.ev("c1", "2024-03-01T10:00:00Z"),
            SessionizerTest.ev("c1", "2024-03-01T10:10:00Z", "purchase", "CONVERSION", 12.0, "email"),
            SessionizerTest.ev("c1", "2024-03-02T23:59:59Z"),
            SessionizerTest.ev("c1", "2024-03-03T00:00:00Z")),   // on the run date: not seen by the run
            SessionizerTest.EVENTS)
        .withColumn(EVENT_ID, lit(null).cast("string"))
        .withColumn(SOURCE_FILE, lit("test"))
        .withColumn(INGEST_RUN_ID, lit("run_test"))
        .withColumn(EVENT_DATE, to_date(col(EVENT_TIME)));
    ctx.store().write(EventsTable.DEF, events, ctx.runDate());

    StepResult first = new SessionizeStep().run(ctx);
    List<String> rows = TestSupport.rows(ctx.store().read(SessionsTable.DEF));
    StepResult second = new SessionizeStep().run(ctx);

    assertEquals(3, first.inputRows());
    assertEquals(2L, first.outputRows().get(SessionsTable.DEF.name()));
    assertEquals(first, second);
    assertEquals(rows, TestSupport.rows(ctx.store().read(SessionsTable.DEF)));
    assertEquals(SessionsTable.DEF.columnNames(), List.of(ctx.store().read(SessionsTable.DEF).columns()));
    assertEquals(List.of("2024-03-01|CONVERSION|12.0|email", "2024-03-02|AWARENESS|0.0|null"),
        TestSupport.rows(ctx.store().read(SessionsTable.DEF).select(SessionsTable.SESSION_DATE, STAGE,
            SessionsTable.REVENUE, SessionsTable.FIRST_CHANNEL)));
  }
}
