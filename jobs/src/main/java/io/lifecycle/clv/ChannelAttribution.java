package io.lifecycle.clv;

import static io.lifecycle.tables.ChannelAttributionTable.*;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.spark.ExactSums;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerValueTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code channel_attribution}: each customer's journey to the first purchase as a sequence of channel
 * touches, credited by first-touch, last-touch, linear and Markov-chain attribution, weighted by
 * conversions, first-purchase revenue and predicted CLV, per month of the first purchase.
 *
 * <p>A touch is an event with a channel at or before the customer's first purchase (the purchase's own
 * channel included), in time order (ties by channel name); consecutive touches of one channel are one
 * touch (ten page views of one visit are not ten touches). A journey without a channel-tagged event is the
 * one touch {@code (none)}, so every model's credits add up to the month's first purchases. Customers who
 * have not purchased by the run date are the journeys that end in {@code (null)}: the Markov chain needs
 * them, the other models do not see them.
 *
 * <p>Markov: one chain over every journey to the run date (a month's journeys are too few for a chain of
 * their own, and a non-converting journey has no month), and, as the ChannelAttribution package does,
 * each month's conversions, revenue and CLV split by the channels' shares of the removal effects. The
 * moves are counted in Spark in one aggregation; the chain, bounded by {@code clv.attribution_channels},
 * is solved in the driver ({@link RemovalEffects}).
 */
public final class ChannelAttribution {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelAttribution.class);
  static final String TOUCH = "_touch";
  /** The event's channel, the top channels' names kept and the others {@code (other)}. */
  static final String CAPPED = "_capped";
  static final String INDEX = "_index";
  static final String TOUCHES = "_touches";
  static final String FROM = "_from";
  static final String FIRST_PURCHASE = "_first_purchase";
  static final String FIRST_REVENUE = "_first_revenue";

  private ChannelAttribution() {}

  /**
   * The table's rows from the events ({@code customer_id, event_time, event_type, amount, channel}) and
   * the customers' values ({@code customer_id, predicted_clv}).
   */
  public static Dataset<Row> of(Dataset<Row> events, Dataset<Row> values, Collection<String> purchaseTypes,
      int maxChannels, LocalDate runDate) {
    Dataset<Row> touches = touches(events, purchaseTypes, topChannels(events, maxChannels)).localCheckpoint();
    RemovalEffects markov = RemovalEffects.of(transitions(touches));
    LOG.info("channel attribution: Markov conversion probability {}, removal effects {}", markov.conversionProbability(), markov.effects());
    Dataset<Row> converted = touches.where(col(FIRST_PURCHASE).isNotNull())
        .join(values.select(Columns.CUSTOMER_ID, CustomerValueTable.PREDICTED_CLV), Columns.CUSTOMER_ID, "left")
        .withColumn(MONTH, trunc(col(FIRST_PURCHASE), "month"));
    return heuristics(converted).unionByName(markov(converted, markov, events.sparkSession()))
        .withColumn(Columns.RUN_DATE, lit(Date.valueOf(runDate)));
  }

  /** The {@code max} channels with the most events (ties by name); the others become {@code (other)}. */
  static List<String> topChannels(Dataset<Row> events, int max) {
    // Bounded: at most clv.attribution_channels rows.
    return events.where(col(Columns.CHANNEL).isNotNull()).groupBy(Columns.CHANNEL).count()
        .orderBy(col("count").desc(), col(Columns.CHANNEL)).limit(max)
        .collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  /**
   * One row per touch of each customer's journey: customer_id, the touch's channel, its index (1..n) and
   * the journey's touches n, the previous state ({@code (start)} for the first), and the first purchase's
   * time and revenue (null: the customer has not purchased). Every window has one partitioning by customer
   * and one order (time, ties by the capped channel, which is the touch wherever a touch is kept): one
   * shuffle and one sort of the events, and no customer's events are gathered into one value.
   */
  static Dataset<Row> touches(Dataset<Row> events, Collection<String> purchaseTypes, List<String> channels) {
    Column purchase = col(Columns.EVENT_TYPE).isin(purchaseTypes.toArray());
    Column time = col(Columns.EVENT_TIME);
    Column channel = col(Columns.CHANNEL);
    Column capped = when(channel.isNull(), lit(null).cast("string"))
        .when(channel.isin(channels.toArray()), channel).otherwise(lit(OTHER_CHANNELS));
    WindowSpec ordered = Window.partitionBy(Columns.CUSTOMER_ID).orderBy(time, col(CAPPED));
    WindowSpec journey = ordered.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    return events
        .withColumn(CAPPED, capped)
        .withColumn(FIRST_PURCHASE, min(when(purchase, time)).over(journey))
        .where(col(FIRST_PURCHASE).isNull().or(time.leq(col(FIRST_PURCHASE))))
        // Several purchases at the first purchase's instant are one first purchase.
        .withColumn(FIRST_REVENUE, sum(when(purchase.and(time.equalTo(col(FIRST_PURCHASE))), coalesce(col(Columns.AMOUNT), lit(0.0))))
            .over(journey))
        // A customer without a channel-tagged event (every capped channel null) has the one touch (none).
        .withColumn(TOUCH, when(max(channel.isNotNull()).over(journey), col(CAPPED)).otherwise(lit(NO_CHANNEL)))
        .where(col(TOUCH).isNotNull())
        .withColumn("_previous", lag(col(TOUCH), 1).over(ordered))
        .where(col("_previous").isNull().or(col("_previous").notEqual(col(TOUCH))))
        .select(col(Columns.CUSTOMER_ID), col(TOUCH),
            row_number().over(ordered).as(INDEX),
            count(lit(1)).over(journey).as(TOUCHES),
            coalesce(lag(col(TOUCH), 1).over(ordered), lit(RemovalEffects.START)).as(FROM),
            col(FIRST_PURCHASE), col(FIRST_REVENUE));
  }

  /** The chain's moves: into each touch from the state before it, and out of each journey's last touch. */
  static List<RemovalEffects.Transition> transitions(Dataset<Row> touches) {
    Column end = when(col(FIRST_PURCHASE).isNotNull(), lit(RemovalEffects.CONVERSION)).otherwise(lit(RemovalEffects.NULL));
    Column moves = array(
        struct(col(FROM).as("from"), col(TOUCH).as("to")),
        when(col(INDEX).equalTo(col(TOUCHES)), struct(col(TOUCH).as("from"), end.as("to"))));
    List<RemovalEffects.Transition> out = new ArrayList<>();
    // Bounded: one row per pair of states, at most (clv.attribution_channels + 3)^2.
    for (Row r : touches.select(explode(moves).as("m")).where(col("m").isNotNull())
        .groupBy(col("m.from"), col("m.to")).count().collectAsList()) {
      out.add(new RemovalEffects.Transition(r.getString(0), r.getString(1), r.getLong(2)));
    }
    return out;
  }

  /** First-touch, last-touch and linear credits of the converted customers' touches, summed per month and channel. */
  private static Dataset<Row> heuristics(Dataset<Row> converted) {
    Column credits = array(
        struct(lit(FIRST_TOUCH).as(MODEL), when(col(INDEX).equalTo(1), 1.0).otherwise(0.0).as("credit")),
        struct(lit(LAST_TOUCH).as(MODEL), when(col(INDEX).equalTo(col(TOUCHES)), 1.0).otherwise(0.0).as("credit")),
        struct(lit(LINEAR).as(MODEL), lit(1.0).divide(col(TOUCHES)).as("credit")));
    Column credit = col("c.credit");
    return converted.select(col(MONTH), col(TOUCH), col(FIRST_REVENUE), col(CustomerValueTable.PREDICTED_CLV), explode(credits).as("c"))
        .where(credit.gt(0))
        .groupBy(col(MONTH), col(TOUCH).as(Columns.CHANNEL), col("c." + MODEL).as(MODEL))
        .agg(ExactSums.sum(credit).as(CONVERSIONS),
            ExactSums.sum(credit.multiply(col(FIRST_REVENUE))).as(REVENUE),
            ExactSums.sum(credit.multiply(col(CustomerValueTable.PREDICTED_CLV))).as(PREDICTED_CLV))
        .withColumn(REMOVAL_EFFECT, lit(null).cast("double"));
  }

  /** Each month's totals split by the channels' shares of the removal effects (channels with a share only). */
  private static Dataset<Row> markov(Dataset<Row> converted, RemovalEffects chain, SparkSession spark) {
    List<Row> shares = new ArrayList<>();
    for (Map.Entry<String, Double> s : chain.shares().entrySet()) {
      if (s.getValue() > 0) {
        shares.add(RowFactory.create(s.getKey(), s.getValue(), chain.effects().get(s.getKey())));
      }
    }
    StructType schema = new StructType().add(Columns.CHANNEL, DataTypes.StringType).add("_share", DataTypes.DoubleType)
        .add(REMOVAL_EFFECT, DataTypes.DoubleType);
    Dataset<Row> months = converted.where(col(INDEX).equalTo(1)).groupBy(MONTH).agg(
        count(lit(1)).as("_conversions"),
        ExactSums.sum(col(FIRST_REVENUE)).as("_revenue"),
        ExactSums.sum(col(CustomerValueTable.PREDICTED_CLV)).as("_clv"));
    Column share = col("_share");
    return months.crossJoin(broadcast(spark.createDataFrame(shares, schema))).select(
        col(MONTH), col(Columns.CHANNEL), lit(MARKOV).as(MODEL),
        col("_conversions").multiply(share).as(CONVERSIONS),
        col("_revenue").multiply(share).as(REVENUE),
        col("_clv").multiply(share).as(PREDICTED_CLV),
        col(REMOVAL_EFFECT));
  }
}
