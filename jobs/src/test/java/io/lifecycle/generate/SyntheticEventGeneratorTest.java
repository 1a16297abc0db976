package io.lifecycle.generate;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.tables.Columns;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SyntheticEventGeneratorTest {
  private final SparkSession spark = SharedSpark.get();
  private static final List<String> PINNED = List.of("email", "email", "organic", "social", "paid_search", "referral", "social",
      "organic", "social", "social", "email", "social");

  private static long fingerprint(Dataset<Row> df) {
    return df.select(sum(xxhash64(col("*")).cast("decimal(38,0)"))).head().getDecimal(0).longValue() ^ df.count();
  }

  @Test
  void sameSeedSameEventsWhateverThePartitioning() {
    GeneratorSettings s = GeneratorSettings.defaults(300, 11);
    long one = fingerprint(SyntheticEventGenerator.events(spark, s, 1));
    assertEquals(one, fingerprint(SyntheticEventGenerator.events(spark, s, 5)));
    assertEquals(one, fingerprint(SyntheticEventGenerator.events(spark, s, 1)));
    assertNotEquals(one, fingerprint(SyntheticEventGenerator.events(spark, GeneratorSettings.defaults(300, 12), 1)));
  }

  /**
   * The same customers get the same channels in every JVM: pinned here, since a channel order that
   * changed with the JVM (a hash map's) would pass the test above in any one of them.
   */
  @Test
  void theSameSeedGivesTheSameChannelsInEveryJvm() {
    List<String> channels = SyntheticEventGenerator.groundTruth(spark, GeneratorSettings.defaults(12, 11))
        .orderBy(Columns.CUSTOMER_ID).select("channel").collectAsList().stream().map(r -> r.getString(0)).toList();
    assertEquals(PINNED, channels);
  }

  @Test
  void eventsMatchTheirGroundTruth() {
    GeneratorSettings s = GeneratorSettings.defaults(2000, 3);
    CustomerSimulator sim = new CustomerSimulator(s);
    for (long i = 0; i < 2000; i++) {
      CustomerSimulator.Customer c = sim.simulate(i);
      List<CustomerSimulator.Event> purchases = c.events().stream().filter(e -> e.type().equals("purchase")).toList();
      assertEquals(c.truth().purchases(), purchases.size(), "purchases of " + c.truth().customerId());
      if (!purchases.isEmpty()) {
        assertEquals(c.truth().firstPurchase(), purchases.get(0).time());
        assertTrue(purchases.stream().allMatch(e -> Double.parseDouble(e.amount()) > 0));
      }
      if (c.truth().dropout() != null) {
        long last = c.events().get(c.events().size() - 1).time();
        assertEquals(c.truth().dropout(), last, "nothing after the drop-out of " + c.truth().customerId());
        assertEquals(purchases.get(purchases.size() - 1).time(), c.truth().dropout());
      }
      long endMs = s.end().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli();
      for (int k = 1; k < c.events().size(); k++) {
        assertTrue(c.events().get(k).time() >= c.events().get(k - 1).time());
      }
      assertTrue(c.events().stream().allMatch(e -> e.time() < endMs && e.time() >= c.truth().arrival()));
    }
    // The Spark output is exactly the simulation's.
    Dataset<Row> truth = SyntheticEventGenerator.groundTruth(spark, s);
    Dataset<Row> counted = SyntheticEventGenerator.events(spark, s).where("event_type = 'purchase'").groupBy("customer_id").count();
    assertEquals(0, truth.where("purchases > 0").join(counted, "customer_id").where("purchases <> count").count());
    assertEquals(truth.where("purchases > 0").count(), counted.count());
  }

  @Test
  void latentValuesFollowTheirDistributionsWithinSamplingError() {
    GeneratorSettings s = GeneratorSettings.defaults(20_000, 5);
    Row m = SyntheticEventGenerator.groundTruth(spark, s).agg(
        avg("lambda_per_week"), stddev("lambda_per_week"), avg("p_dropout"), stddev("p_dropout"),
        avg("nu"), stddev("nu"), count(lit(1))).head();
    double n = m.getLong(6);
    assertWithin(s.r() / s.alpha(), m.getDouble(0), m.getDouble(1) / Math.sqrt(n), "mean lambda = r / alpha");
    assertWithin(s.a() / (s.a() + s.b()), m.getDouble(2), m.getDouble(3) / Math.sqrt(n), "mean p = a / (a + b)");
    assertWithin(s.q() / s.v(), m.getDouble(4), m.getDouble(5) / Math.sqrt(n), "mean nu = q / v");
    // Spend per purchase: E[z] = p * E[1/nu] = p * v / (q - 1), per customer mean over buyers' purchases.
    Row spend = SyntheticEventGenerator.events(spark, GeneratorSettings.defaults(20_000, 5))
        .where("event_type = 'purchase'").groupBy("customer_id").agg(avg(col("amount").cast("double")).as("mean"))
        .agg(avg("mean"), stddev("mean"), count(lit(1))).head();
    double expected = s.p() * s.v() / (s.q() - 1);
    // Customer means are noisier than nu alone: compare with a wide but finite band (6 standard errors).
    assertEquals(expected, spend.getDouble(0), 6 * spend.getDouble(1) / Math.sqrt(spend.getLong(2)), "mean spend per purchase");
  }

  /**
   * Properties come from a stream of their own (the same events with or without them, the same rows
   * whatever the partitioning); countries at their shares and 3% without one; 'pro' four times as common
   * among customers buying at least PRO_RATE a week (40% against 10%), within sampling error.
   */
  @Test
  void customerPropertiesFollowTheirSharesAndThePlanFollowsThePurchaseRate() {
    GeneratorSettings s = GeneratorSettings.defaults(20_000, 5);
    Dataset<Row> props = SyntheticEventGenerator.customerProperties(spark, s);
    Dataset<Row> truth = SyntheticEventGenerator.groundTruth(spark, s);
    Row m = props.join(truth, "customer_id").agg(count(lit(1)), avg(when(col("country").equalTo("US"), 1.0).otherwise(0.0)),
        avg(when(col("country").isNull(), 1.0).otherwise(0.0)),
        avg(when(col("lambda_per_week").geq(CustomerSimulator.PRO_RATE), when(col("plan").equalTo("pro"), 1.0).otherwise(0.0))),
        avg(when(col("lambda_per_week").lt(CustomerSimulator.PRO_RATE), when(col("plan").equalTo("pro"), 1.0).otherwise(0.0))),
        avg(when(col("plan").equalTo("plus"), 1.0).otherwise(0.0)),
        sum(when(col("lambda_per_week").geq(CustomerSimulator.PRO_RATE), 1).otherwise(0))).head();
    assertEquals(20_000L, m.getLong(0));
    assertWithin(0.27, m.getDouble(1), Math.sqrt(0.27 * 0.73 / 20_000), "share of US");
    assertWithin(0.03, m.getDouble(2), Math.sqrt(0.03 * 0.97 / 20_000), "share without a country");
    long frequent = m.getLong(6);
    assertWithin(0.4, m.getDouble(3), Math.sqrt(0.4 * 0.6 / frequent), "pro among frequent buyers");
    assertWithin(0.1, m.getDouble(4), Math.sqrt(0.1 * 0.9 / (20_000 - frequent)), "pro among the others");
    assertWithin(0.3, m.getDouble(5), Math.sqrt(0.3 * 0.7 / 20_000), "share of plus");
    CustomerSimulator sim = new CustomerSimulator(s);
    assertEquals(new CustomerSimulator.Properties("C00000007", props.where("customer_id = 'C00000007'").head().getString(1),
        props.where("customer_id = 'C00000007'").head().getString(2)), sim.properties(7, sim.simulate(7).truth().lambda()));
  }

  private static void assertWithin(double expected, double actual, double standardError, String what) {
    assertEquals(expected, actual, 4 * standardError, what + " (4 standard errors = " + 4 * standardError + ")");
  }
}
