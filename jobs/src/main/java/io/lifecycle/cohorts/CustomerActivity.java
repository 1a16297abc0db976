package io.lifecycle.cohorts;

import io.lifecycle.spark.ExactSums;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.LifecycleConfig.Cohorts;
import io.lifecycle.spark.FirstChannel;
import io.lifecycle.tables.Columns;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The building blocks of every cohort table, defined once: a customer's cohort (the period of the first
 * purchase, or of the first event), acquisition channel, the periods in which they were active, and
 * their activity spells (a spell ends, and the customer churns, when no activity follows for longer than
 * the churn threshold; churn date = last activity + threshold; a later activity starts a new spell: the
 * customer is reactivated).
 */
public final class CustomerActivity {
  public static final String COHORT = "cohort_period";
  public static final String CHANNEL = "channel";
  public static final String PERIOD = "period_start";
  public static final String ACTIVE_DAY = "_day";
  public static final String SPELL_START = "spell_start";
  public static final String CHURN_DATE = "churn_date";
  public static final String FIRST_SPELL = "first_spell";
  public static final String UNKNOWN_CHANNEL = "unknown";
  /** The day the customer's lifetime starts (first purchase, or first event, per cohorts.basis). */
  public static final String FIRST_DAY = "first_day";

  private final LifecycleConfig config;
  private final Cohorts cohorts;

  public CustomerActivity(LifecycleConfig config) {
    this.config = config;
    this.cohorts = config.cohorts();
  }

  /** Start of the period (month or ISO week) holding a date. */
  public Column period(Column date) {
    return cohorts.period() == Cohorts.Period.MONTH ? trunc(date, "month") : to_date(date_trunc("week", date));
  }

  public boolean isMonthly() {
    return cohorts.period() == Cohorts.Period.MONTH;
  }

  /** Whole periods from one period start to another. */
  public Column offset(Column fromPeriod, Column toPeriod) {
    return cohorts.period() == Cohorts.Period.MONTH
        ? months_between(toPeriod, fromPeriod).cast("int")
        : datediff(toPeriod, fromPeriod).divide(7).cast("int");
  }

  public LocalDate periodOf(LocalDate day) {
    return cohorts.period() == Cohorts.Period.MONTH ? day.withDayOfMonth(1) : day.minusDays(day.getDayOfWeek().getValue() - 1);
  }

  public LocalDate nextPeriod(LocalDate start) {
    return cohorts.period() == Cohorts.Period.MONTH ? start.plusMonths(1) : start.plusWeeks(1);
  }

  private Column isPurchase() {
    return col(Columns.EVENT_TYPE).isin(config.stages().purchaseEventTypes().toArray());
  }

  private Column isActivity() {
    return cohorts.activity() == Cohorts.Activity.PURCHASE ? isPurchase() : lit(true);
  }

  /** One row per customer: cohort period and acquisition channel (customers without a cohort are left out). */
  public Dataset<Row> customers(Dataset<Row> events) {
    return events.groupBy(Columns.CUSTOMER_ID)
        .agg(min(basisTime()).as("_first"), FirstChannel.of().as(CHANNEL))
        .where(col("_first").isNotNull())
        .select(col(Columns.CUSTOMER_ID), period(to_date(col("_first"))).as(COHORT),
            coalesce(col(CHANNEL), lit(UNKNOWN_CHANNEL)).as(CHANNEL), to_date(col("_first")).as(FIRST_DAY));
  }

  /** One row per customer and period with activity: revenue and whether the activity definition holds. */
  public Dataset<Row> periods(Dataset<Row> events) {
    return events.groupBy(col(Columns.CUSTOMER_ID), period(to_date(col(Columns.EVENT_TIME))).as(PERIOD))
        .agg(active(), revenue());
  }

  /** The time an event would start the customer's lifetime (null when it cannot, per cohorts.basis). */
  private Column basisTime() {
    return cohorts.basis() == Cohorts.Basis.FIRST_PURCHASE ? when(isPurchase(), col(Columns.EVENT_TIME)) : col(Columns.EVENT_TIME);
  }

  /** The time of an event that names a channel: the acquisition channel is the earliest one's. */
  private static Column channelTime() {
    return when(col(Columns.CHANNEL).isNotNull(), col(Columns.EVENT_TIME));
  }

  private Column active() {
    return max(isActivity()).as("active");
  }

  private Column revenue() {
    return coalesce(ExactSums.sum(when(isPurchase(), col(Columns.AMOUNT))), lit(0.0)).as("revenue");
  }

  /**
   * One row per customer and period with activity (revenue, whether the activity definition holds) that
   * also carries the customer's cohort and, when asked, acquisition channel: the events are aggregated
   * once per (customer, period) and the customer's first time and first channel are then taken over
   * those few rows, instead of a second aggregation of the events joined back. Customers without a
   * cohort are left out, as in {@link #customers}.
   */
  public Dataset<Row> periodsWithCohort(Dataset<Row> events, boolean withChannel) {
    List<Column> aggregates = new ArrayList<>(List.of(revenue(), min(basisTime()).as("_first")));
    if (withChannel) {
      aggregates.add(min(channelTime()).as("_channel_time"));
      aggregates.add(FirstChannel.of().as("_channel"));
    }
    Dataset<Row> perPeriod = events.groupBy(col(Columns.CUSTOMER_ID), period(to_date(col(Columns.EVENT_TIME))).as(PERIOD))
        .agg(active(), aggregates.toArray(Column[]::new));
    WindowSpec byCustomer = Window.partitionBy(Columns.CUSTOMER_ID);
    Column channel = withChannel ? coalesce(min_by(col("_channel"), col("_channel_time")).over(byCustomer), lit(UNKNOWN_CHANNEL)) : lit(UNKNOWN_CHANNEL);
    Dataset<Row> withFirst = perPeriod.select(col(Columns.CUSTOMER_ID), col(PERIOD), col("active"), col("revenue"),
        min(col("_first")).over(byCustomer).as("_first"), channel.as(CHANNEL));
    return withFirst.where(col("_first").isNotNull())
        .select(col(Columns.CUSTOMER_ID), col(PERIOD), period(to_date(col("_first"))).as(COHORT), col(CHANNEL), col("active"), col("revenue"));
  }

  /**
   * Activity spells: one row per customer and spell with its start, last activity and churn date (null
   * when the churn is not observable yet: last activity + threshold is after the last observed day).
   * Activity here is any event: churn is about the customer leaving, whatever the cohort basis.
   */
  public Dataset<Row> spells(Dataset<Row> events, LocalDate lastDay) {
    long thresholdDays = config.churnThreshold().toDays();
    WindowSpec byDay = Window.partitionBy(Columns.CUSTOMER_ID).orderBy(ACTIVE_DAY);
    Dataset<Row> days = events.select(col(Columns.CUSTOMER_ID), to_date(col(Columns.EVENT_TIME)).as(ACTIVE_DAY)).distinct();
    Dataset<Row> flagged = days
        .withColumn("_new", coalesce(datediff(col(ACTIVE_DAY), lag(col(ACTIVE_DAY), 1).over(byDay)).gt(thresholdDays), lit(true)))
        .withColumn("_spell", sum(when(col("_new"), 1).otherwise(0)).over(byDay));
    Column churn = date_add(col("_last"), (int) thresholdDays);
    return flagged.groupBy(col(Columns.CUSTOMER_ID), col("_spell"))
        .agg(min(col(ACTIVE_DAY)).as(SPELL_START), max(col(ACTIVE_DAY)).as("_last"))
        .select(col(Columns.CUSTOMER_ID), col(SPELL_START), col("_last").as("last_active"),
            when(churn.leq(lit(java.sql.Date.valueOf(lastDay))), churn).as(CHURN_DATE),
            col("_spell").equalTo(1).as(FIRST_SPELL));
  }
}
