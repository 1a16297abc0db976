package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.SampleRun;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig.Cohorts.Projection;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.SyntheticEventGenerator;
import io.lifecycle.tables.CohortRetentionTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The backtest of the README's cohort section, run on demand (the name is not a test class's, so the
 * suite skips it): {@code mvn -o -q -B -pl jobs test-compile && mvn -o -B surefire:test -pl jobs
 * -Dtest=ProjectionBacktestRun}. It builds the monthly retention matrix (all channels, the default
 * cohort settings, run date 2026-01-01) of the committed sample and of 20,000 generated customers
 * (seed 11), prints {@link ProjectionBacktest}'s table for 1, 2, 3 and 6 periods kept (cohorts with
 * 12 or more periods), and writes it to {@code jobs/target/projection-backtest.md}. With
 * {@code -Dlifecycle.updateFixture=true} it also rewrites the sample's matrix that {@code
 * ProjectionBacktestTest} reads ({@value #FIXTURE}).
 */
class ProjectionBacktestRun {
  static final String FIXTURE = "jobs/src/test/resources/cohorts/sample-retention.csv";
  private static final LocalDate RUN_DATE = SampleRun.RUN_DATE;

  @Test
  void backtest() throws Exception {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> sample = spark.read().option("header", true).schema(SyntheticEventGenerator.RAW_SCHEMA)
        .csv(TestSupport.projectFile("data-samples/events.csv").toString());
    List<String> sampleMatrix = matrix(typed(sample));
    CohortRetention retention = new CohortRetention(new CustomerActivity(TestSupport.config()), false,
        List.of(io.lifecycle.config.LifecycleConfig.Cohorts.RetentionMode.ON));
    Dataset<Row> observed = retention.observed(typed(sample), RUN_DATE);
    // The sample run's cohort_retention rows (SampleGoldenIT pins them): the observed and projected cells.
    long rows = observed.count() + retention.projected(spark, observed, Projection.POOLED).count();
    if (Boolean.getBoolean("lifecycle.updateFixture")) {
      Files.write(TestSupport.projectFile(FIXTURE).toPath(), sampleMatrix);
    }
    List<String> generatedMatrix = matrix(typed(SyntheticEventGenerator.events(spark, GeneratorSettings.defaults(20_000, 11))));
    List<String> table = new ArrayList<>(List.of(ProjectionBacktest.Result.MARKDOWN_HEADER));
    for (int h : new int[] {1, 2, 3, 6}) {
      table.add(ProjectionBacktest.run(ProjectionBacktest.parse(sampleMatrix), h, 12).markdownRow("sample"));
    }
    for (int h : new int[] {1, 2, 3, 6}) {
      table.add(ProjectionBacktest.run(ProjectionBacktest.parse(generatedMatrix), h, 12).markdownRow("generated 20K"));
    }
    Path out = TestSupport.projectFile("jobs/target/projection-backtest.md").toPath();
    Files.write(out, table);
    System.out.println(String.join("\n", table) + "\nsample cohort_retention rows (pooled): " + rows);
  }

  /** The raw columns typed as ingest types them; unparseable rows (the sample's hand-written ones) dropped. */
  private static Dataset<Row> typed(Dataset<Row> raw) {
    return raw.select(col("customer_id"), try_to_timestamp(col("event_time")).as("event_time"), col("event_type"),
            col("amount").try_cast("double").as("amount"), col("channel"))
        .where(col("customer_id").isNotNull().and(col("event_time").lt(lit(RUN_DATE.atStartOfDay(ZoneOffset.UTC).toInstant()))));
  }

  /** The complete cells, as {@link ProjectionBacktest#parse} reads them. */
  private static List<String> matrix(Dataset<Row> events) {
    CohortRetention retention = new CohortRetention(new CustomerActivity(TestSupport.config()), false);
    List<String> lines = new ArrayList<>(List.of("cohort_period,period_offset,cohort_size,active_customers"));
    // Bounded: cohorts x offsets (24 x 24 at most here).
    for (Row r : retention.observed(events, RUN_DATE).where(col(CohortRetentionTable.PERIOD_COMPLETE))
        .select(CohortRetentionTable.COHORT, CohortRetentionTable.OFFSET, CohortRetentionTable.COHORT_SIZE, CohortRetentionTable.ACTIVE)
        .orderBy(CohortRetentionTable.COHORT, CohortRetentionTable.OFFSET).collectAsList()) {
      lines.add(r.mkString(","));
    }
    return lines;
  }
}
