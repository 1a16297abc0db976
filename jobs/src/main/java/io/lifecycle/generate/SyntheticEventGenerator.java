package io.lifecycle.generate;

import static org.apache.spark.sql.functions.col;

import java.util.Iterator;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Synthetic events with ground truth, generated in parallel by Spark: each customer index of a
 * {@code spark.range} is simulated from its own random stream on whichever executor holds it, so the
 * output depends only on the settings and the seed, never on partitioning, and nothing is built in the
 * driver. The simulation is a typed flatMap rather than column expressions because a customer's life
 * is a sequential random process (each purchase decides whether there is a next one).
 */
public final class SyntheticEventGenerator {
  /** The raw event columns, as a user's export would have them (all text). */
  public static final StructType RAW_SCHEMA = new StructType()
      .add("customer_id", DataTypes.StringType)
      .add("event_time", DataTypes.StringType)
      .add("event_type", DataTypes.StringType)
      .add("amount", DataTypes.StringType)
      .add("channel", DataTypes.StringType)
      .add("event_id", DataTypes.StringType);

  /** The column of a device's (cookie's) id, on every event when the anonymous share is positive. */
  public static final String ANONYMOUS_ID = "anonymous_id";

  /**
   * The raw columns with a positive anonymous share: the anonymous id after the event id, and a null
   * customer id on the events of anonymous visitors (see DeviceIdentities).
   */
  public static final StructType RAW_SCHEMA_WITH_ANONYMOUS_ID = RAW_SCHEMA.add(ANONYMOUS_ID, DataTypes.StringType);

  /** One row per customer with the latent values the events were drawn from. */
  public static final StructType TRUTH_SCHEMA = new StructType()
      .add("customer_id", DataTypes.StringType)
      .add("channel", DataTypes.StringType)
      .add("arrival_time", DataTypes.StringType)
      .add("first_purchase_time", DataTypes.StringType)
      .add("lambda_per_week", DataTypes.DoubleType)
      .add("p_dropout", DataTypes.DoubleType)
      .add("dropout_time", DataTypes.StringType)
      .add("nu", DataTypes.DoubleType)
      .add("purchases", DataTypes.IntegerType)
      .add("alive_at_end", DataTypes.BooleanType);

  /** One row per customer with the properties a CRM would hold (see CustomerSimulator#properties). */
  public static final StructType PROPERTIES_SCHEMA = new StructType()
      .add("customer_id", DataTypes.StringType)
      .add("country", DataTypes.StringType)
      .add("plan", DataTypes.StringType);

  public static final String PERSON_ID = "person_id";
  public static final String ID_TYPE = "id_type";
  public static final String ID = "id";
  /** id_type of a customer id, named as the raw column is. */
  public static final String CUSTOMER_ID_TYPE = "customer_id";
  /** id_type of a device's anonymous id, named as the raw column is. */
  public static final String ANONYMOUS_ID_TYPE = ANONYMOUS_ID;

  /**
   * One row per id a person used, the answer identity stitching should find: person_id is the person's
   * customer id, also for a person who never showed it; id_type {@value #CUSTOMER_ID_TYPE} (only when
   * some event carried it) or {@value #ANONYMOUS_ID_TYPE} (one per device).
   */
  public static final StructType IDENTITY_TRUTH_SCHEMA = new StructType()
      .add(PERSON_ID, DataTypes.StringType)
      .add(ID_TYPE, DataTypes.StringType)
      .add(ID, DataTypes.StringType);

  private SyntheticEventGenerator() {}

  /** The events' columns for these settings: the anonymous id only with a positive anonymous share. */
  public static StructType rawSchema(GeneratorSettings settings) {
    return settings.anonymousIds() ? RAW_SCHEMA_WITH_ANONYMOUS_ID : RAW_SCHEMA;
  }

  public static Dataset<Row> events(SparkSession spark, GeneratorSettings settings) {
    return events(spark, settings, partitions(spark, settings));
  }

  static Dataset<Row> events(SparkSession spark, GeneratorSettings settings, int partitions) {
    StructType schema = rawSchema(settings);
    boolean anonymousIds = settings.anonymousIds();
    Dataset<Row> customers = spark.range(0, settings.customers(), 1, partitions)
        .flatMap((FlatMapFunction<Long, Row>) index -> {
          CustomerSimulator sim = new CustomerSimulator(settings);
          return sim.simulate(index).events().stream().map(e -> row(e, anonymousIds)).iterator();
        }, Encoders.row(schema));
    if (settings.bots() == 0) {
      return customers;
    }
    // Each bot streams its events lazily, so a bot with millions of events never sits in memory.
    Dataset<Row> bots = spark.range(0, settings.bots(), 1, Math.max(1, settings.bots()))
        .flatMap((FlatMapFunction<Long, Row>) index -> {
          Iterator<CustomerSimulator.Event> it = new CustomerSimulator(settings).bot(index);
          return Stream.generate(() -> (Object) null).takeWhile(x -> it.hasNext()).map(x -> row(it.next(), anonymousIds)).iterator();
        }, Encoders.row(schema));
    return customers.unionByName(bots);
  }

  public static Dataset<Row> groundTruth(SparkSession spark, GeneratorSettings settings) {
    return spark.range(0, settings.customers(), 1, partitions(spark, settings))
        .map((MapFunction<Long, Row>) index -> {
          CustomerSimulator.Truth t = new CustomerSimulator(settings).simulate(index).truth();
          return RowFactory.create(t.customerId(), t.channel(), CustomerSimulator.iso(t.arrival()),
              t.firstPurchase() == null ? null : CustomerSimulator.iso(t.firstPurchase()),
              t.lambda(), t.pDropout(), t.dropout() == null ? null : CustomerSimulator.iso(t.dropout()),
              t.nu(), t.purchases(), t.aliveAtEnd());
        }, Encoders.row(TRUTH_SCHEMA))
        .orderBy(col("customer_id"));
  }

  /** Each customer's country and plan, for {@code input.customer_properties} and breakdowns. */
  public static Dataset<Row> customerProperties(SparkSession spark, GeneratorSettings settings) {
    return spark.range(0, settings.customers(), 1, partitions(spark, settings))
        .map((MapFunction<Long, Row>) index -> {
          CustomerSimulator sim = new CustomerSimulator(settings);
          CustomerSimulator.Properties p = sim.properties(index, sim.simulate(index).truth().lambda());
          return RowFactory.create(p.customerId(), p.country(), p.plan());
        }, Encoders.row(PROPERTIES_SCHEMA))
        .orderBy(col("customer_id"));
  }

  /**
   * Each person's ids (IDENTITY_TRUTH_SCHEMA), ordered; with no anonymous share only their customer ids.
   * Bots are left out: they are not persons, and their events carry their customer id alone.
   */
  public static Dataset<Row> identityTruth(SparkSession spark, GeneratorSettings settings) {
    return spark.range(0, settings.customers(), 1, partitions(spark, settings))
        .flatMap((FlatMapFunction<Long, Row>) index -> {
          CustomerSimulator.Customer c = new CustomerSimulator(settings).simulate(index);
          String person = c.truth().customerId();
          Stream<Row> known = c.identity().identified()
              ? Stream.of(RowFactory.create(person, CUSTOMER_ID_TYPE, person)) : Stream.empty();
          Stream<Row> devices = c.identity().anonymousIds().stream().map(id -> RowFactory.create(person, ANONYMOUS_ID_TYPE, id));
          return Stream.concat(known, devices).iterator();
        }, Encoders.row(IDENTITY_TRUTH_SCHEMA))
        .orderBy(col(PERSON_ID), col(ID_TYPE), col(ID));
  }

  private static Row row(CustomerSimulator.Event e, boolean anonymousId) {
    String time = CustomerSimulator.iso(e.time());
    return anonymousId
        ? RowFactory.create(e.customerId(), time, e.type(), e.amount(), e.channel(), e.eventId(), e.anonymousId())
        : RowFactory.create(e.customerId(), time, e.type(), e.amount(), e.channel(), e.eventId());
  }

  /** About 50K customers (roughly a million events) per partition: sized output files at any scale. */
  private static int partitions(SparkSession spark, GeneratorSettings settings) {
    return (int) Math.min(Integer.MAX_VALUE, settings.customers() / 50_000 + 1);
  }
}
