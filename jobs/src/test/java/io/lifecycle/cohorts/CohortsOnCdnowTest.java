package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Steps;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CDNOW master log through ingest and the cohorts step: the 1997-Q1 monthly matrix, internally consistent. */
class CohortsOnCdnowTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void firstQuarterCohortsOnCdnow(@TempDir Path out) {
    LifecycleConfig config = TestSupport.config(
        "include file(\"" + TestSupport.projectFile("conf/cdnow.conf").getAbsolutePath() + "\")",
        "lifecycle.input.path = \"" + TestSupport.sharedDataset("cdnow/CDNOW_master.txt").getAbsolutePath() + "\"",
        "lifecycle.output.root = \"" + out + "\"");
    Steps.standard().run(new RunContext(spark, config, LocalDate.of(1998, 7, 1)), List.of("ingest", "cohorts"));
    Dataset<Row> m = spark.read().format("delta").load(out.resolve("cohort_retention").toString())
        .where("channel = 'all' and not is_projected");
    // Every CDNOW customer made a first purchase in 1997-Q1: three cohorts, 23,570 customers (7,846 + 8,476 + 7,248).
    List<Row> sizes = m.groupBy("cohort_period").agg(first("cohort_size"), count(lit(1))).orderBy("cohort_period").collectAsList();
    assertEquals(3, sizes.size());
    assertEquals(List.of(7846L, 8476L, 7248L), sizes.stream().map(r -> r.getLong(1)).toList());
    // Observed offsets: January reaches June 1998 (0..17), February 0..16, March 0..15; all complete.
    assertEquals(List.of(18L, 17L, 16L), sizes.stream().map(r -> r.getLong(2)).toList());
    assertEquals(0, m.where("not period_complete").count());
    assertEquals(3, m.where("period_offset = 0 and retention_rate = 1.0").count());
    assertEquals(0, m.where("active_customers > cohort_size or retention_rate < 0").count());
    // The cohorts' revenue adds up to all purchases.
    double revenue = m.agg(sum("revenue")).head().getDouble(0);
    double events = spark.read().format("delta").load(out.resolve("events").toString()).agg(sum("amount")).head().getDouble(0);
    assertEquals(events, revenue, 0.01);
    Dataset<Row> rates = spark.read().format("delta").load(out.resolve("churn_rates").toString());
    assertEquals(0, rates.where("customers_at_start + acquired + reactivated - churned <> customers_at_end").count());
    assertTrue(rates.where("segment_type = 'overall' and churned > 0").count() > 0);
  }
}
