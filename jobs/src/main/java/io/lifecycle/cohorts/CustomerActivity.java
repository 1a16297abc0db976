package io.lifecycle.cohorts;

import io.lifecycle.spark.ExactSums;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.LifecycleConfig.Cohorts;
import io.lifecycle.spark.CustomerBreakdowns;
import io.lifecycle.spark.FirstChannel;
import io.lifecycle.tables.CohortRetentionTable;
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
  public static final String LAST_ACTIVE = "last_active";
  public static final String SPELL = "_spell";
  public static final String SPELL_END = "_spell_end";
  public static final String ACTIVE = "active";
  public static final String REVENUE = "revenue";
  public static final String UNKNOWN_CHANNEL = "unknown";
  /** The day the customer's lifetime starts (first purchase, or first event, per cohorts.basis). */
  public static final String FIRST_DAY = "first_day";

  private final LifecycleConfig config;
  private final Cohorts cohorts;
  private final CustomerBreakdowns breakdowns;

  public CustomerActivity(LifecycleConfig config) {
    this.config = config;
    this.cohorts = config.cohorts();
    this.breakdowns = new CustomerBreakdowns(config);
  }

  /** cohorts.breakdowns: the values {@link #days} carries per customer, and the segments they make. */
  public CustomerBreakdowns breakdowns() {
    return breakdowns;
  }

  /** Start of the period (month, ISO week or day) holding a date. */
  public Column period(Column date) {
    return switch (cohorts.period()) {
      case MONTH -> trunc(date, "month");
      case WEEK -> to_date(date_trunc("week", date));
      case DAY -> to_date(date);
    };
  }

  /** Whole periods from one period start to another. */
  public Column offset(Column fromPeriod, Column toPeriod) {
    return switch (cohorts.period()) {
      case MONTH -> months_between(toPeriod, fromPeriod).cast("int");
      case WEEK -> datediff(toPeriod, fromPeriod).divide(7).cast("int");
      case DAY -> datediff(toPeriod, fromPeriod);
    };
  }

  /** The start of the period {@code k} periods after the one starting at {@code start}. */
  public Column plusPeriods(Column start, Column k) {
    return switch (cohorts.period()) {
      case MONTH -> add_months(start, k);
      case WEEK -> date_add(start, k.multiply(7));
      case DAY -> date_add(start, k);
    };
  }

  /** cohorts.retention_modes. */
  public List<Cohorts.RetentionMode> retentionModes() {
    return cohorts.retentionModes();
  }

  public LocalDate periodOf(LocalDate day) {
    return switch (cohorts.period()) {
      case MONTH -> day.withDayOfMonth(1);
      case WEEK -> day.minusDays(day.getDayOfWeek().getValue() - 1);
      case DAY -> day;
    };
  }

  public LocalDate nextPeriod(LocalDate start) {
    return switch (cohorts.period()) {
      case MONTH -> start.plusMonths(1);
      case WEEK -> start.plusWeeks(1);
      case DAY -> start.plusDays(1);
    };
  }

  private Column isPurchase() {
    return col(Columns.EVENT_TYPE).isin(config.stages().purchaseEventTypes().toArray());
  }

  /** Activity per cohorts.activity_events when set, else per cohorts.activity. */
  private Column isActivity() {
    if (!cohorts.activityEvents().isEmpty()) {
      return col(Columns.EVENT_TYPE).isin(cohorts.activityEvents().toArray());
    }
    return cohorts.activity() == Cohorts.Activity.PURCHASE ? isPurchase() : lit(true);
  }

  /** The time an event would start the customer's lifetime (null when it cannot, per cohorts.basis). */
  private Column basisTime() {
    return cohorts.basis() == Cohorts.Basis.FIRST_PURCHASE ? when(isPurchase(), col(Columns.EVENT_TIME)) : col(Columns.EVENT_TIME);
  }

  /** The time of an event that names a channel: the acquisition channel is the earliest one's. */
  private static Column channelTime() {
    return when(col(Columns.CHANNEL).isNotNull(), col(Columns.EVENT_TIME));
  }

  /**
   * One row per customer and day with an event (and, with the channel, per channel named that day),
   * carrying all that the four cohort tables read from the events: whether the day holds activity (per
   * cohorts.activity), its revenue (an exact partial sum), the customer's cohort, first day and, when
   * asked, acquisition channel (null for a customer without a cohort, as are the cohort and first day),
   * and the activity spell the day belongs to (its number and start, and whether the day ends it). The
   * events are aggregated once, to customer-days (a few per customer); the customer's values and the
   * spells are then one window over each customer's days: no table joins customers back, and every
   * frame derived from these days stays partitioned by customer (their per-customer aggregations and
   * windows shuffle nothing more). Rows of one day in several channels are one day to the spells: the
   * first of them may start a spell, only the last may end one. With cohorts.breakdowns, each row also
   * carries its customer's breakdown values ({@link CustomerBreakdowns#columns}), joined once here.
   */
  public Dataset<Row> days(Dataset<Row> events, boolean withChannel) {
    List<Column> keys = new ArrayList<>(List.of(col(Columns.CUSTOMER_ID), to_date(col(Columns.EVENT_TIME)).as(ACTIVE_DAY)));
    List<Column> aggregates = new ArrayList<>(List.of(ExactSums.partial(when(isPurchase(), col(Columns.AMOUNT))).as(REVENUE),
        min(basisTime()).as("_first")));
    if (withChannel) {
      // The channel as a key, not min_by's string buffer, which would make Spark sort the events to aggregate them.
      keys.add(col(Columns.CHANNEL).as("_channel"));
      aggregates.add(min(channelTime()).as("_channel_time"));
    }
    Dataset<Row> perDay = events.groupBy(keys.toArray(Column[]::new))
        .agg(max(isActivity()).as(ACTIVE), aggregates.toArray(Column[]::new));
    WindowSpec byDay = Window.partitionBy(Columns.CUSTOMER_ID).orderBy(ACTIVE_DAY);
    WindowSpec upTo = byDay.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec customer = byDay.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Column first = to_date(min(col("_first")).over(customer));
    Column channel = withChannel
        ? when(first.isNotNull(), coalesce(min_by(col("_channel"), firstChannelOrder()).over(customer), lit(UNKNOWN_CHANNEL)))
        : lit(null).cast("string");
    long thresholdDays = config.churnThreshold().toDays();
    // A day more than the threshold after the customer's previous one (or the first day) starts a spell;
    // one with no day within the threshold after it ends one.
    Dataset<Row> flagged = perDay.withColumn("_starts",
        coalesce(datediff(col(ACTIVE_DAY), lag(col(ACTIVE_DAY), 1).over(byDay)).gt(thresholdDays), lit(true)));
    Dataset<Row> days = flagged.select(col(Columns.CUSTOMER_ID), col(ACTIVE_DAY), col(ACTIVE), col(REVENUE),
        period(first).as(COHORT), first.as(FIRST_DAY), channel.as(CHANNEL),
        sum(when(col("_starts"), 1).otherwise(0)).over(upTo).as(SPELL),
        max(when(col("_starts"), col(ACTIVE_DAY))).over(upTo).as(SPELL_START),
        coalesce(datediff(lead(col(ACTIVE_DAY), 1).over(byDay), col(ACTIVE_DAY)).gt(thresholdDays), lit(true)).as(SPELL_END));
    return breakdowns.isEmpty() ? days : breakdowns.attach(days, breakdowns.of(events));
  }

  /**
   * The (channel, breakdown, breakdown_value) segments of cohort_retention a row of a customer counts
   * in, for {@code explode}: the whole cohort ('all' everywhere), its channel when cohorts.by_channel, and each
   * breakdown's value; a single segment when neither is configured.
   */
  List<Column> retentionSegments(boolean byChannel) {
    String all = CohortRetentionTable.ALL_CHANNELS;
    List<Column> out = new ArrayList<>(List.of(struct(lit(all).as(CHANNEL),
        lit(Columns.ALL_BREAKDOWNS).as(Columns.BREAKDOWN), lit(all).as(Columns.BREAKDOWN_VALUE))));
    if (byChannel) {
      out.add(struct(col(CHANNEL).as(CHANNEL), lit(Columns.ALL_BREAKDOWNS).as(Columns.BREAKDOWN),
          lit(all).as(Columns.BREAKDOWN_VALUE)));
    }
    out.addAll(breakdowns.segments(lit(all).as(CHANNEL)));
    return out;
  }

  /** The keys {@code first} followed by the breakdown value columns, for a grouping or a select. */
  Column[] withBreakdowns(Column... first) {
    List<Column> out = new ArrayList<>(List.of(first));
    out.addAll(breakdowns.columns());
    return out.toArray(Column[]::new);
  }

  /**
   * The order whose least row names the acquisition channel, as {@link FirstChannel}: the earliest day
   * row naming one, two channels at the same instant going to the first in name order.
   */
  private static Column firstChannelOrder() {
    return when(col("_channel_time").isNotNull(), struct(col("_channel_time"), col("_channel")));
  }

  /**
   * One row per customer and period with an event ({@link #days}): whether the period holds activity,
   * its revenue, and the customer's cohort, channel and breakdown values.
   */
  public Dataset<Row> periodsOf(Dataset<Row> days) {
    return days.groupBy(withBreakdowns(col(Columns.CUSTOMER_ID), period(col(ACTIVE_DAY)).as(PERIOD), col(COHORT), col(CHANNEL)))
        .agg(max(col(ACTIVE)).as(ACTIVE), coalesce(ExactSums.total(col(REVENUE)), lit(0.0)).as(REVENUE));
  }

  /** One row per customer and day with activity (per cohorts.activity) of {@link #days}: what {@link ActivitySummary} reads. */
  public Dataset<Row> activeDaysOf(Dataset<Row> days) {
    return days.where(col(ACTIVE)).select(col(Columns.CUSTOMER_ID), col(ACTIVE_DAY).as(ActivitySummary.DAY)).distinct();
  }

  /** {@link #spellsOf} the events' {@link #days}. */
  public Dataset<Row> spells(Dataset<Row> events, LocalDate lastDay) {
    return spellsOf(days(events, false), lastDay);
  }

  /**
   * Activity spells of {@link #days}: one row per customer and spell with its start, last activity and
   * churn date (null when the churn is not observable yet: last activity + threshold is after the last
   * observed day), and the customer's cohort, first day and channel. Activity here is any event: churn is
   * about the customer leaving, whatever the cohort basis.
   */
  public Dataset<Row> spellsOf(Dataset<Row> days, LocalDate lastDay) {
    long thresholdDays = config.churnThreshold().toDays();
    Column churn = date_add(col(ACTIVE_DAY), (int) thresholdDays);
    // A spell's last day carries it all: a filter, not an aggregation.
    return days.where(col(SPELL_END))
        .select(withBreakdowns(col(Columns.CUSTOMER_ID), col(SPELL_START), col(ACTIVE_DAY).as(LAST_ACTIVE),
            when(churn.leq(lit(java.sql.Date.valueOf(lastDay))), churn).as(CHURN_DATE),
            col(SPELL).equalTo(1).as(FIRST_SPELL), col(COHORT), col(FIRST_DAY), col(CHANNEL)));
  }
}
