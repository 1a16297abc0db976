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
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.IdentityMapTable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stitching measured against the generator's ground truth: 1,500 persons, 60% of them browsing under a
 * device id before they sign up or buy, some never identifying, a fifth of the identified ones logging in
 * on a second device. Every pair of ids the stitching puts in one customer belongs to one person
 * (precision), and every pair of one person's ids ends in one customer (recall): both exactly 1 on the
 * generator's clean links.
 */
class StitchingGroundTruthTest {
  private final SparkSession spark = SharedSpark.get();

  @Test
  void precisionAndRecallAreOneOnTheGeneratorsLinks(@TempDir Path dir) {
    GeneratorSettings settings = GeneratorSettings.defaults(1_500, 5).withAnonymousShare(0.6)
        .withWindow(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 6, 30));
    SyntheticEventGenerator.events(spark, settings).write().option("header", "true").csv(dir.resolve("in").toString());
    LifecycleConfig config = TestSupport.runConfig(dir, "lifecycle.input.columns.anonymous_id = anonymous_id");
    Steps.standard().run(new RunContext(spark, config, LocalDate.of(2024, 7, 1)), List.of("ingest", "stitch"));

    Dataset<Row> map = spark.read().format("delta").load(dir.resolve("out").resolve(IdentityMapTable.DEF.name()).toString());
    Dataset<Row> truth = SyntheticEventGenerator.identityTruth(spark, settings);
    Dataset<Row> both = truth.join(map, new String[] {IdentityMapTable.ID_TYPE, IdentityMapTable.ID})
        .select(col(SyntheticEventGenerator.PERSON_ID), col(Columns.CUSTOMER_ID), col(IdentityMapTable.LINK_RULE),
            col(IdentityMapTable.IDENTIFIED))
        .cache();
    // Every id of the truth was seen and resolved; nothing was held back as shared or ambiguous.
    assertEquals(truth.count(), both.count());
    assertEquals(List.of("anonymous", "known_id", "linked"),
        TestSupport.rows(both.select(IdentityMapTable.LINK_RULE).distinct()));

    long predictedPairs = pairs(both, Columns.CUSTOMER_ID);
    long truePairs = pairs(both, SyntheticEventGenerator.PERSON_ID);
    long correctPairs = pairs(both, Columns.CUSTOMER_ID, SyntheticEventGenerator.PERSON_ID);
    assertTrue(truePairs > 1_000, "pairs of one person's ids: " + truePairs);
    assertEquals(1.0, (double) correctPairs / predictedPairs, 0.0, "precision");
    assertEquals(1.0, (double) correctPairs / truePairs, 0.0, "recall");
    // An identified person's customer is their customer id; one who never identified stays anonymous.
    Dataset<Row> persons = both.groupBy(SyntheticEventGenerator.PERSON_ID)
        .agg(countDistinct(col(Columns.CUSTOMER_ID)).as("customers"), first(col(Columns.CUSTOMER_ID)).as("customer"),
            max(col(IdentityMapTable.IDENTIFIED)).as("identified"));
    assertEquals(0, persons.where(col("customers").notEqual(1)).count());
    assertEquals(0, persons.where(col("identified").and(col("customer").notEqual(col(SyntheticEventGenerator.PERSON_ID)))).count());
    long anonymous = persons.where(not(col("identified"))).count();
    assertTrue(anonymous > 50, "persons who never identified: " + anonymous);
    assertEquals(anonymous, persons.where(col("customer").startsWith("anonymous_id:")).count());
  }

  /** Pairs of ids sharing the given columns' values: the sum of n(n-1)/2 over the groups. */
  private static long pairs(Dataset<Row> rows, String... by) {
    Row sum = rows.groupBy(java.util.Arrays.stream(by).map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new)).count().agg(sum(col("count").multiply(col("count").minus(1)).divide(2))).head();
    return sum.isNullAt(0) ? 0 : (long) sum.getDouble(0);
  }
}
