package io.lifecycle.clv;

import static org.apache.spark.sql.functions.col;
import static io.lifecycle.clv.CovariateRows.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.cli.Steps;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.SyntheticEventGenerator;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.tables.ClvModelsTable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clv.covariates = [acquisition_channel]} on generated customers whose paid-search channel buys at
 * twice the rate of the others: the clv step's BG/NBD fit with the channel recovers the factor within two
 * standard errors, finds the other channels alike, and its likelihood-ratio test rejects the model without
 * the channel; the fits without covariates are still there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClvCovariatesTest {
  private final SparkSession spark = SharedSpark.get();
  private Map<String, Row> fits;
  private long plainFits;

  @BeforeAll
  void run(@TempDir Path dir) {
    SyntheticEventGenerator.events(spark, GeneratorSettings.defaults(4_000, 5).withRateFactor("paid_search", 2.0))
        .write().option("header", "true").csv(dir.resolve("in").toString());
    LifecycleConfig config = TestSupport.config(
            "lifecycle.output.root = \"" + dir.resolve("out") + "\"",
            "lifecycle.clv.covariates = [acquisition_channel]",
            "lifecycle.clv.intervals = none",
            "lifecycle.clv.holdout_weeks = 0")
        .withInputPath(dir.resolve("in") + "/part-*");
    Steps.standard().run(new RunContext(spark, config, LocalDate.of(2026, 1, 1)), List.of("ingest", "clv"));
    Dataset<Row> models = spark.read().format("delta").load(dir.resolve("out").resolve(ClvModelsTable.DEF.name()).toString());
    fits = new java.util.TreeMap<>();
    // Bounded: two covariates fits.
    models.where(col(ClvModelsTable.PURPOSE).equalTo(ClvModelsTable.PURPOSE_COVARIATES)).collectAsList()
        .forEach(r -> fits.put(r.getAs(ClvModelsTable.MODEL), r));
    plainFits = models.where(col(ClvModelsTable.PURPOSE).equalTo(ClvModelsTable.PURPOSE_FULL)).count();
  }

  @Test
  void bgNbdWithTheChannelRecoversTheFactorOfTwo() {
    Row bg = fits.get(ClvModelsTable.BG_NBD);
    assertFactorOfTwo(bg, "covariate=acquisition_channel", "purchase[paid_search]");
    // organic, the most common channel, is the reference; the other channels buy as it does.
    for (String channel : List.of("social", "email", "referral")) {
      String p = "purchase[" + channel + "]";
      assertEquals(0, logFactor(bg, p), 3 * logError(bg, p), p);
    }
    assertFalse(bg.<scala.collection.Map<String, Double>>getAs(ClvModelsTable.PARAMETERS).contains("purchase[organic]"));
  }

  @Test
  void theLikelihoodRatioTestRejectsTheModelsWithoutTheChannel() {
    Row bg = fits.get(ClvModelsTable.BG_NBD);
    // Four non-reference channels, three factors each (purchase, dropout_a, dropout_b).
    assertEquals(12, bg.<Integer>getAs(ClvModelsTable.LR_DEGREES_OF_FREEDOM));
    assertTrue(bg.<Double>getAs(ClvModelsTable.LR_STATISTIC) > 30, bg.toString());
    assertTrue(bg.<Double>getAs(ClvModelsTable.LR_P_VALUE) < 1e-4, bg.toString());
    Row pareto = fits.get(ClvModelsTable.PARETO_NBD);
    assertNotNull(pareto, fits.toString());
    assertEquals(8, pareto.<Integer>getAs(ClvModelsTable.LR_DEGREES_OF_FREEDOM));
    assertTrue(pareto.<Double>getAs(ClvModelsTable.LR_P_VALUE) < 1e-4, pareto.toString());
    assertEquals(2, fits.size());
    // The fits without covariates (BG/NBD, Pareto/NBD, Gamma-Gamma) are unchanged in number; their LR columns null.
    assertEquals(3, plainFits);
  }
}
