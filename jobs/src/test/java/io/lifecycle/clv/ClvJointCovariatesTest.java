package io.lifecycle.clv;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static io.lifecycle.clv.CovariateRows.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.LifecycleException;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.generate.GeneratorSettings;
import io.lifecycle.generate.SyntheticEventGenerator;
import io.lifecycle.spark.CustomerBreakdowns;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.CustomerSummary;
import io.lifecycle.stats.ModelFits;
import io.lifecycle.stats.ParetoNbdModel;
import io.lifecycle.stats.RfmSummary;
import io.lifecycle.tables.ClvModelsTable;
import io.lifecycle.tables.Columns;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several covariates in one joint fit, on generated customers whose paid-search channel buys at twice the
 * rate and whose CRM plan 'pro' is held by 40% of the frequent buyers and 10% of the others:
 * {@code clv.covariates = [acquisition_channel, plan]} recovers paid search's factor of two within two
 * standard errors beside a significant purchase factor of 'pro'; a numeric property that is 1 for the
 * paid-search customers and 0 for the others ({@code clv.numeric_covariates = [paid]}, beside plan)
 * recovers the same factor per unit. The clv step's covariates part ({@link ClvCovariates}) runs on the
 * summary and fits the step makes, once per config, from the generated events in memory
 * (ClvCovariatesTest runs ingest and the whole step).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClvJointCovariatesTest {
  private final SparkSession spark = SharedSpark.get();
  /** Per model, the covariates fit of each config. */
  private Map<String, Row> categorical;
  private Map<String, Row> numeric;
  private Map<String, Row> binned;
  private Path properties;
  private long customers;
  private static final LocalDate RUN_DATE = LocalDate.of(2026, 1, 1);

  @BeforeAll
  void run(@TempDir Path dir) {
    GeneratorSettings settings = GeneratorSettings.defaults(4_000, 5).withRateFactor("paid_search", 2.0);
    // The generator's events as ingest types them (the clean generated rows need nothing else; ClvCovariatesTest ingests).
    Dataset<Row> events = SyntheticEventGenerator.events(spark, settings).select(col(Columns.CUSTOMER_ID),
        col(Columns.EVENT_TIME).cast("timestamp").as(Columns.EVENT_TIME), col(Columns.EVENT_TYPE),
        col(Columns.AMOUNT).cast("double").as(Columns.AMOUNT), col(Columns.CHANNEL));
    // The generator's CRM table, with a numeric column: 1 for the paid-search customers, 0 for the others.
    properties = dir.resolve("properties");
    SyntheticEventGenerator.customerProperties(spark, settings)
        .join(SyntheticEventGenerator.groundTruth(spark, settings).select("customer_id", "channel"), "customer_id")
        .select(col("customer_id"), col("country"), col("plan"), when(col("channel").equalTo("paid_search"), 1).otherwise(0).as("paid"),
            // The same with up to 0.01 of noise: 4,000 distinct values, cut into 20 bins at its exact quantiles.
            when(col("channel").equalTo("paid_search"), 1).otherwise(0)
                .plus(pmod(hash(col("customer_id")), lit(1000)).divide(100_000.0)).as("paid_noisy"))
        .write().option("header", "true").csv(properties.toString());
    LifecycleConfig channelAndPlan = config("lifecycle.clv.covariates = [acquisition_channel, plan]");
    // The clv step's inputs to its covariates fits, as the step computes them.
    Dataset<Row> summary = CustomerSummary.withChannel(events, channelAndPlan.stages().purchaseEventTypes(), RUN_DATE.minusDays(1),
        channelAndPlan.clv().timeUnit()).persist(StorageLevel.MEMORY_AND_DISK());
    RfmSummary triples = ModelFits.triples(summary);
    ModelFits.Fit<BgNbdModel> bg = ModelFits.bgNbd(triples);
    ModelFits.Fit<ParetoNbdModel> pareto = ModelFits.paretoNbd(triples);
    customers = (long) triples.totalWeight();
    categorical = byModel(ClvCovariates.fits(channelAndPlan, events, summary, RUN_DATE, bg, pareto));
    numeric = byModel(ClvCovariates.fits(config("lifecycle.clv.covariates = [plan]", "lifecycle.clv.numeric_covariates = [paid]"),
        events, summary, RUN_DATE, bg, pareto));
    binned = byModel(ClvCovariates.fits(config("lifecycle.clv.covariates = [plan]", "lifecycle.clv.numeric_covariates = [paid_noisy]"),
        events, summary, RUN_DATE, bg, pareto));
    summary.unpersist();
  }

  private LifecycleConfig config(String... covariates) {
    List<String> lines = new java.util.ArrayList<>(List.of("lifecycle.input.customer_properties.path = \"" + properties + "\""));
    lines.addAll(List.of(covariates));
    return TestSupport.config(lines.toArray(String[]::new));
  }

  /** The clv_models rows by model. */
  private Map<String, Row> byModel(List<Row> rows) {
    Map<String, Row> fits = new TreeMap<>();
    // Bounded: one covariates fit per model.
    spark.createDataFrame(rows, ClvModelsTable.DEF.schema()).collectAsList().forEach(r -> fits.put(r.getAs(ClvModelsTable.MODEL), r));
    return fits;
  }

  @Test
  void theChannelAndThePlanTogetherRecoverPaidSearchsFactorAndProsHigherRate() {
    Row bg = categorical.get(ClvModelsTable.BG_NBD);
    assertFactorOfTwo(bg, "covariate=acquisition_channel,plan", "purchase[acquisition_channel=paid_search]");
    // 'free', the most common plan, is the reference; 'pro' is held by the frequent buyers: a higher rate, far beyond noise.
    assertFalse(bg.<scala.collection.Map<String, Double>>getAs(ClvModelsTable.PARAMETERS).contains("purchase[plan=free]"));
    String pro = "purchase[plan=pro]";
    assertTrue(logFactor(bg, pro) > 3 * logError(bg, pro), measured(bg, pro));
    // Four other channels and two other plans, three factors each; the LR test against the model without them.
    assertEquals(18, bg.<Integer>getAs(ClvModelsTable.LR_DEGREES_OF_FREEDOM));
    assertTrue(bg.<Double>getAs(ClvModelsTable.LR_P_VALUE) < 1e-6, bg.toString());
    Row pareto = categorical.get(ClvModelsTable.PARETO_NBD);
    assertEquals(12, pareto.<Integer>getAs(ClvModelsTable.LR_DEGREES_OF_FREEDOM));
    assertTrue(pareto.<Double>getAs(ClvModelsTable.LR_P_VALUE) < 1e-6, pareto.toString());
    // Every customer of the fit without covariates is in one cell.
    assertEquals(customers, bg.<Long>getAs(ClvModelsTable.CUSTOMERS));
    assertEquals(2, categorical.size());
  }

  @Test
  void aNumericPropertyRecoversTheFactorPerUnit() {
    Row bg = numeric.get(ClvModelsTable.BG_NBD);
    assertFactorOfTwo(bg, "covariate=plan,paid", "purchase[paid]");
    // Two other plans and one numeric column, three factors each.
    assertEquals(9, bg.<Integer>getAs(ClvModelsTable.LR_DEGREES_OF_FREEDOM));
    assertTrue(bg.<Double>getAs(ClvModelsTable.LR_P_VALUE) < 1e-6, bg.toString());
    assertEquals(6, numeric.get(ClvModelsTable.PARETO_NBD).<Integer>getAs(ClvModelsTable.LR_DEGREES_OF_FREEDOM));
  }

  /**
   * A numeric property with 4,000 distinct values (paid plus up to 0.01 of noise) is cut into its 20 bins
   * at the exact quantiles, each at its customers' mean: the factor per unit is recovered as from the 0/1
   * column, and the cells stay bounded (3 plans x 20 bins).
   */
  @Test
  void aContinuousPropertyIsBinnedAndStillRecoversTheFactor() {
    Row bg = binned.get(ClvModelsTable.BG_NBD);
    assertFactorOfTwo(bg, "covariate=plan,paid_noisy", "purchase[paid_noisy]");
    assertEquals(9, bg.<Integer>getAs(ClvModelsTable.LR_DEGREES_OF_FREEDOM));
    assertEquals(customers, bg.<Long>getAs(ClvModelsTable.CUSTOMERS));
    // Within 0.02 of the 0/1 column's estimate: the bins' means differ from 0 and 1 by at most the noise.
    assertEquals(logFactor(numeric.get(ClvModelsTable.BG_NBD), "purchase[paid]"), logFactor(bg, "purchase[paid_noisy]"), 0.02);
  }

  /**
   * Each customer's covariates: the channel from the summary (none: 'unknown'), first_stage from the
   * events' earliest staged event, plan and a numeric score from the properties table (no row or no
   * value: '(unknown)' and null).
   */
  @Test
  void eachCustomersCovariatesComeFromTheSummaryTheEventsAndTheProperties(@TempDir Path dir) throws java.io.IOException {
    LifecycleConfig config = TestSupport.config("lifecycle.input.customer_properties.path = \""
            + TestSupport.inputFile(dir, "p.csv", "customer_id,plan,score\nalice,pro,2.5\nbob,free,\n") + "\"",
        "lifecycle.clv.covariates = [acquisition_channel, first_stage, plan]", "lifecycle.clv.numeric_covariates = [score]");
    StructType summarySchema = new StructType().add(Columns.CUSTOMER_ID, "string").add(CustomerSummary.FREQUENCY, "long")
        .add(CustomerSummary.RECENCY, "double").add(CustomerSummary.AGE, "double").add(CustomerSummary.CHANNEL, "string");
    Dataset<Row> summary = spark.createDataFrame(List.of(RowFactory.create("alice", 1L, 2.0, 3.0, "email"),
        RowFactory.create("bob", 0L, 0.0, 3.0, null), RowFactory.create("carol", 2L, 1.0, 4.0, "organic")), summarySchema);
    StructType eventSchema = new StructType().add(Columns.CUSTOMER_ID, "string").add(Columns.EVENT_TIME, "timestamp")
        .add(Columns.STAGE, "string");
    Dataset<Row> events = spark.createDataFrame(List.of(
        RowFactory.create("alice", java.sql.Timestamp.valueOf("2025-01-02 00:00:00"), "CONVERSION"),
        RowFactory.create("alice", java.sql.Timestamp.valueOf("2025-01-01 00:00:00"), "AWARENESS"),
        RowFactory.create("bob", java.sql.Timestamp.valueOf("2025-01-01 00:00:00"), null),
        RowFactory.create("carol", java.sql.Timestamp.valueOf("2025-01-03 00:00:00"), "CONSIDERATION")), eventSchema);
    Dataset<Row> covariates = ClvCovariates.withCovariates(config, events, summary).select(col(Columns.CUSTOMER_ID),
        col(ClvCovariates.categorical(0)), col(ClvCovariates.categorical(1)), col(ClvCovariates.categorical(2)),
        col(ClvCovariates.numeric(0)));
    assertEquals(List.of("alice|email|AWARENESS|pro|2.5", "bob|unknown|(unknown)|free|null",
        "carol|organic|CONSIDERATION|(unknown)|null"), TestSupport.rows(covariates));
  }

  /**
   * Covariates that cross into more than {@value ClvCovariates#MAX_CELLS} cells are not fitted (the cap
   * bounds the rows the driver holds and the likelihood's terms): 300 customers with every combination of
   * ten values of a, ten of b and three of c make 300 cells, and the step goes on without a covariates row.
   */
  @Test
  void tooManyCellsSkipTheFit(@TempDir Path dir) throws java.io.IOException {
    StringBuilder csv = new StringBuilder("customer_id,a,b,c\n");
    List<Row> summaryRows = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      csv.append("c").append(i).append(',').append(i % 10).append(',').append(i / 10 % 10).append(',').append(i / 100).append('\n');
      summaryRows.add(RowFactory.create("c" + i, (long) (i % 3), 1.0 + i % 3, 10.0, "organic"));
    }
    LifecycleConfig config = TestSupport.config("lifecycle.input.customer_properties.path = \""
        + TestSupport.inputFile(dir, "p.csv", csv.toString()) + "\"", "lifecycle.clv.covariates = [a, b, c]");
    StructType summarySchema = new StructType().add(Columns.CUSTOMER_ID, "string").add(CustomerSummary.FREQUENCY, "long")
        .add(CustomerSummary.RECENCY, "double").add(CustomerSummary.AGE, "double").add(CustomerSummary.CHANNEL, "string");
    Dataset<Row> summary = spark.createDataFrame(summaryRows, summarySchema);
    // The cap is checked before any fit is used: none is needed.
    assertEquals(List.of(), ClvCovariates.fits(config, summary.limit(0), summary, RUN_DATE, null, null));
  }

  /** A numeric covariate with a value that is not a number stops the run, naming the column and the value. */
  @Test
  void aValueThatIsNotANumberIsNamed(@TempDir Path dir) throws java.io.IOException {
    LifecycleConfig config = TestSupport.config("lifecycle.input.customer_properties.path = \""
        + TestSupport.inputFile(dir, "p.csv", "customer_id,score\nalice,1.5\nbob,high\ncarol,\n") + "\"");
    LifecycleException e = assertThrows(LifecycleException.class, () -> CustomerBreakdowns.properties(spark,
        config.cohorts().breakdowns().properties(), config.privacy(), List.of(), List.of("score")));
    assertTrue(e.getMessage().contains("score") && e.getMessage().contains("'high'"), e.getMessage());
  }
}
