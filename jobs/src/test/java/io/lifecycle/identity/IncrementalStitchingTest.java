package io.lifecycle.identity;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.cli.Steps;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.SyntheticEventGenerator;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.StepResult;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.CustomerStageHistoryTable;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.IdentityMapTable;
import io.lifecycle.tables.SessionsTable;
import io.lifecycle.tables.StageFunnelTable;
import io.lifecycle.tables.StageTransitionsTable;
import io.lifecycle.tables.TableComparison;
import io.lifecycle.tables.TableDef;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daily incremental runs with identity stitching give the tables of one full run: a clickstream of 30
 * generated persons (60% anonymous first) arrives day by day after a backfill, and a hand-built visitor
 * browses and buys as a guest in the backfill, where the customer they turn out to be also buys under
 * their customer id; on the first daily run the login links the two stored customers (the guest
 * purchase becomes the first, the other a repeat), and on the second an anonymous event is re-delivered
 * after the link (a duplicate only under the resolved customer).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncrementalStitchingTest {
  private static final LocalDate FIRST_DAY = LocalDate.of(2024, 4, 5);
  private static final LocalDate LAST_DAY = LocalDate.of(2024, 4, 6);
  /** The steps stitching changes the incremental path of (cohorts, clv and the models recompute from all events). */
  private static final List<String> STEPS = List.of("ingest", "stitch", "sessionize", "journeys");
  /** The link's day: journeys waits for the next day's run, which catches up on both days' moves. */
  private static final List<String> DAILY = List.of("ingest", "stitch", "sessionize");
  private static final List<TableDef> COMPARED = List.of(EventsTable.DEF, IdentityMapTable.DEF, SessionsTable.DEF,
      CustomerStageHistoryTable.DEF, CustomerJourneysTable.DEF, StageTransitionsTable.DEF, StageFunnelTable.DEF);

  private final SparkSession spark = SharedSpark.get();
  private Path dir;
  private final Map<LocalDate, Map<String, StepResult>> daily = new LinkedHashMap<>();

  @BeforeAll
  void runEverything(@TempDir Path tmp) {
    dir = tmp;
    Path days = dir.resolve("days");
    GeneratorSettings settings = GeneratorSettings.defaults(30, 3).withAnonymousShare(0.6)
        .withWindow(LocalDate.of(2024, 3, 1), LAST_DAY);
    Dataset<Row> generated = SyntheticEventGenerator.events(spark, settings)
        .withColumn("arrival", to_date(col(Columns.EVENT_TIME).cast("timestamp")));
    generated.unionByName(handBuilt()).where(col("arrival").leq(lit(java.sql.Date.valueOf(LAST_DAY))))
        .write().partitionBy("arrival").option("header", "true").csv(days.toString());

    Path incremental = dir.resolve("incremental");
    run(incremental, LifecycleConfig.Mode.FULL, days + "/arrival=2024-0{3-*,4-0[1-4]}", FIRST_DAY, STEPS);
    for (LocalDate day = FIRST_DAY; !day.isAfter(LAST_DAY); day = day.plusDays(1)) {
      daily.put(day, run(incremental, LifecycleConfig.Mode.INCREMENTAL, days + "/arrival=" + day, day.plusDays(1),
          day.equals(LAST_DAY) ? STEPS : DAILY));
    }
    run(dir.resolve("full"), LifecycleConfig.Mode.FULL, days + "/arrival=*/part-*", LAST_DAY.plusDays(1), STEPS);
  }

  /** The guest who turns out to be customer HC, linked on 04-05, and an event of theirs re-delivered on 04-06. */
  private Dataset<Row> handBuilt() {
    List<Row> rows = List.of(
        RowFactory.create(null, "2024-04-02T10:00:00Z", "page_view", null, "social", "h1", "ha1", "2024-04-02"),
        RowFactory.create(null, "2024-04-02T10:10:00Z", "purchase", "15.00", null, "h2", "ha1", "2024-04-02"),
        RowFactory.create("HC", "2024-04-03T09:00:00Z", "page_view", null, "email", "h3", null, "2024-04-03"),
        RowFactory.create("HC", "2024-04-04T12:00:00Z", "purchase", "30.00", null, "h4", null, "2024-04-04"),
        RowFactory.create(null, "2024-04-04T18:00:00Z", "product_view", null, null, "h5", "ha1", "2024-04-04"),
        RowFactory.create("HC", "2024-04-05T08:00:00Z", "identify", null, null, "h6", "ha1", "2024-04-05"),
        RowFactory.create(null, "2024-04-04T18:00:00Z", "product_view", null, null, "h5", "ha1", "2024-04-06"));
    return spark.createDataFrame(rows, SyntheticEventGenerator.RAW_SCHEMA_WITH_ANONYMOUS_ID.add("arrival", "string"))
        .withColumn("arrival", to_date(col("arrival")));
  }

  private Map<String, StepResult> run(Path out, LifecycleConfig.Mode mode, String input, LocalDate runDate,
      List<String> steps) {
    LifecycleConfig config = TestSupport.config(
            "lifecycle.output.root = \"" + out + "\"",
            "lifecycle.input.columns.anonymous_id = anonymous_id",
            "lifecycle.cohorts.breakdowns = [identity]",
            "lifecycle.churn.inactivity_threshold = 5 days",
            "lifecycle.quality.max_quarantine_share = 0.5")
        .withInputPath(input).withMode(mode);
    return Steps.standard().run(new RunContext(spark, config, runDate), steps);
  }

  @Test
  void dailyRunsGiveTheTablesOfOneFullRun() {
    for (TableDef t : COMPARED) {
      TableComparison.assertSameRows(spark, dir.resolve("full").toString(), dir.resolve("incremental").toString(), t);
    }
  }

  @Test
  void theLinkMergesTwoStoredCustomersAndRestagesTheirEvents() {
    Dataset<Row> events = spark.read().format("delta").load(dir.resolve("incremental").resolve("events").toString());
    assertEquals(List.of(
            "h1|page_view|AWARENESS", "h2|purchase|CONVERSION", "h3|page_view|AWARENESS", "h4|purchase|RETENTION",
            "h5|product_view|RETENTION", "h6|identify|null"),
        TestSupport.rows(events.where(col(Columns.CUSTOMER_ID).equalTo("HC")).select("event_id", "event_type", "stage")));
    assertEquals(0, events.where(col(Columns.CUSTOMER_ID).equalTo("anonymous_id:ha1")).count());
    // The link on 04-05 (run 04-06) moved the guest's stored events: both stored customers were rewritten.
    long rewritten = daily.get(LocalDate.of(2024, 4, 5)).get("stitch").outputRows().get(EventsTable.DEF.name());
    assertTrue(rewritten >= 6, "events rewritten by the link: " + rewritten);
    Dataset<Row> journeys = spark.read().format("delta").load(dir.resolve("incremental").resolve(CustomerJourneysTable.DEF.name()).toString());
    assertEquals(0, journeys.where(col(Columns.CUSTOMER_ID).equalTo("anonymous_id:ha1")).count());
    assertEquals(1, journeys.where(col(Columns.CUSTOMER_ID).equalTo("HC")).count());
    // The funnel counts the anonymous visitors apart.
    Dataset<Row> funnel = spark.read().format("delta").load(dir.resolve("incremental").resolve(StageFunnelTable.DEF.name()).toString());
    assertEquals(List.of("anonymous", "identified"), TestSupport.rows(funnel.where(col(Columns.BREAKDOWN).equalTo("identity"))
        .select(Columns.BREAKDOWN_VALUE).distinct()));
  }
}
