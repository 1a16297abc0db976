package io.lifecycle.stats;

import io.lifecycle.spark.ExactSums;
import io.lifecycle.spark.FirstChannel;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig.Clv.TimeUnit;
import io.lifecycle.tables.Columns;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The per-customer purchase summary that buy-till-you-die models take, as of a cutoff: frequency x
 * (repeat purchase days: purchases on one day count once), recency t_x (first to last purchase day),
 * age T (first purchase day to the last day observed), mean spend per repeat purchase day, total
 * revenue. Times in the configured unit, measured between calendar days, as in Fader, Hardie and Lee
 * (2005) and the CDNOW benchmarks.
 */
public final class CustomerSummary {
  public static final String FREQUENCY = "frequency";
  public static final String RECENCY = "recency";
  public static final String AGE = "age";
  public static final String MONETARY_VALUE = "monetary_value";
  public static final String TOTAL_REVENUE = "total_revenue";
  public static final String FIRST_PURCHASE_DATE = "first_purchase_date";
  public static final String LAST_PURCHASE_DATE = "last_purchase_date";
  public static final String PURCHASES = "purchases";
  /** The acquisition channel, in {@link #withChannel} only. */
  public static final String CHANNEL = "acquisition_channel";
  /** {@link #customersPerPurchaseDay}'s columns: the day, and the customers who purchased on it. */
  public static final String PURCHASE_DAY = "purchase_day";
  public static final String CUSTOMERS = "customers";

  private static final String DAY = "_day";
  private static final String DAY_SPEND = "_day_spend";
  private static final String CHANNEL_TIME = "_channel_time";

  private CustomerSummary() {}

  /**
   * @param events canonical events (customer_id, event_time, event_type, amount)
   * @param purchaseTypes event types that are purchases
   * @param lastDay the last calendar day observed (the day before the run date): purchases after it are
   *     ignored, and T is measured to it
   */
  public static Dataset<Row> of(Dataset<Row> events, Set<String> purchaseTypes, LocalDate lastDay, TimeUnit unit) {
    Column day = to_date(col(Columns.EVENT_TIME));
    Dataset<Row> days = events
        .where(isPurchase(purchaseTypes, lastDay))
        .groupBy(col(Columns.CUSTOMER_ID), day.as(DAY))
        .agg(coalesce(ExactSums.sum(col(Columns.AMOUNT)), lit(0.0)).as(DAY_SPEND), count(lit(1)).as(PURCHASES));
    return perCustomer(days, lastDay, unit, false);
  }

  /**
   * {@link #of} with each customer's acquisition channel ({@link #CHANNEL}): the channel of the customer's
   * first event that has one, of any type and day ({@link FirstChannel}). One pass over the events gives
   * both: each event becomes up to two rows, its purchase (keyed by day) and its channel (keyed by
   * channel, with its time), so the per-day and per-channel aggregation keeps fixed-width buffers
   * (Spark hashes it; a channel kept in an aggregation buffer makes Spark sort every event), and only
   * the few rows per customer that come out of it pick the first channel.
   *
   * @param events canonical events (customer_id, event_time, event_type, amount, channel)
   */
  public static Dataset<Row> withChannel(Dataset<Row> events, Set<String> purchaseTypes, LocalDate lastDay, TimeUnit unit) {
    Column day = to_date(col(Columns.EVENT_TIME));
    Column purchase = isPurchase(purchaseTypes, lastDay);
    Column asPurchase = when(purchase, struct(day.as(DAY), lit(null).cast("string").as(Columns.CHANNEL),
        col(Columns.AMOUNT).as(Columns.AMOUNT), lit(null).cast("timestamp").as(Columns.EVENT_TIME)));
    Column asChannel = when(col(Columns.CHANNEL).isNotNull(), struct(lit(null).cast("date").as(DAY), col(Columns.CHANNEL),
        lit(null).cast("double").as(Columns.AMOUNT), col(Columns.EVENT_TIME)));
    Dataset<Row> days = events.select(col(Columns.CUSTOMER_ID), inline(array(asPurchase, asChannel)))
        .where(col(DAY).isNotNull().or(col(Columns.CHANNEL).isNotNull()))
        .groupBy(col(Columns.CUSTOMER_ID), col(DAY), col(Columns.CHANNEL))
        .agg(coalesce(ExactSums.sum(col(Columns.AMOUNT)), lit(0.0)).as(DAY_SPEND), count(col(DAY)).as(PURCHASES),
            min(col(Columns.EVENT_TIME)).as(CHANNEL_TIME));
    return perCustomer(days, lastDay, unit, true).where(col(FIRST_PURCHASE_DATE).isNotNull());
  }

  /**
   * Per calendar day to {@code lastDay}: the customers with a purchase that day ({@link #PURCHASE_DAY},
   * {@link #CUSTOMERS}), purchase days counted as the summary counts them. A day's repeat purchase days are
   * these customers less those whose first purchase day it is: summed over the days, the summaries'
   * frequency. One row per day with a purchase.
   *
   * @param events canonical events (customer_id, event_time, event_type)
   */
  public static Dataset<Row> customersPerPurchaseDay(Dataset<Row> events, Set<String> purchaseTypes, LocalDate lastDay) {
    return events.where(isPurchase(purchaseTypes, lastDay))
        .groupBy(to_date(col(Columns.EVENT_TIME)).as(PURCHASE_DAY))
        .agg(count_distinct(col(Columns.CUSTOMER_ID)).as(CUSTOMERS))
        .select(col(PURCHASE_DAY), col(CUSTOMERS));
  }

  /** A purchase event on a day up to {@code lastDay}: what makes a purchase day. */
  private static Column isPurchase(Set<String> purchaseTypes, LocalDate lastDay) {
    return col(Columns.EVENT_TYPE).isin(purchaseTypes.toArray()).and(to_date(col(Columns.EVENT_TIME)).leq(lit(java.sql.Date.valueOf(lastDay))));
  }

  /**
   * Per customer from the purchase days (rows with a null day are not purchase days): the summary's
   * columns, and when {@code channel} the first channel of the (channel, first time) rows.
   */
  private static Dataset<Row> perCustomer(Dataset<Row> days, LocalDate lastDay, TimeUnit unit, boolean channel) {
    double daysPerUnit = unit == TimeUnit.WEEKS ? 7.0 : 1.0;
    Column purchaseDay = col(DAY).isNotNull();
    List<Column> aggs = new ArrayList<>(List.of(
        max(col(DAY)).as(LAST_PURCHASE_DATE),
        count(col(DAY)).minus(1).as(FREQUENCY),
        ExactSums.sum(when(purchaseDay, col(DAY_SPEND))).as(TOTAL_REVENUE),
        min_by(col(DAY_SPEND), col(DAY)).as("_first_day_spend"),
        sum(col(PURCHASES)).as(PURCHASES)));
    if (channel) {
      aggs.add(min_by(col(Columns.CHANNEL), when(col(Columns.CHANNEL).isNotNull(), struct(col(CHANNEL_TIME), col(Columns.CHANNEL)))).as(CHANNEL));
    }
    Dataset<Row> perCustomer = days.groupBy(col(Columns.CUSTOMER_ID)).agg(min(col(DAY)).as(FIRST_PURCHASE_DATE), aggs.toArray(Column[]::new));
    Column x = col(FREQUENCY);
    List<Column> out = new ArrayList<>(List.of(
        col(Columns.CUSTOMER_ID),
        x.cast("long").as(FREQUENCY),
        datediff(col(LAST_PURCHASE_DATE), col(FIRST_PURCHASE_DATE)).divide(daysPerUnit).as(RECENCY),
        datediff(lit(java.sql.Date.valueOf(lastDay)), col(FIRST_PURCHASE_DATE)).divide(daysPerUnit).as(AGE),
        when(x.gt(0), col(TOTAL_REVENUE).minus(col("_first_day_spend")).divide(x)).as(MONETARY_VALUE),
        col(TOTAL_REVENUE),
        col(PURCHASES),
        col(FIRST_PURCHASE_DATE),
        col(LAST_PURCHASE_DATE)));
    if (channel) {
      out.add(col(CHANNEL));
    }
    return perCustomer.select(out.toArray(Column[]::new));
  }
}
