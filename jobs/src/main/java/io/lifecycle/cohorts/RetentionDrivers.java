package io.lifecycle.cohorts;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.LifecycleConfig.Cohorts.Drivers;
import io.lifecycle.spark.FirstChannel;
import io.lifecycle.stats.BenjaminiHochberg;
import io.lifecycle.stats.TwoByTwo;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.RetentionDriversTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;

/**
 * What drives retention: for each behaviour of a customer's first {@code window_days} days, the
 * customers with and without it and how many of each were retained at day {@code retained_day}, with
 * the odds ratio and a p-value adjusted across behaviours ({@link RetentionDriversTable}). Associations,
 * not causes.
 *
 * <p>A customer's lifetime starts on the first day of {@link CustomerActivity#days} (per cohorts.basis);
 * retained at day D = active (per cohorts.activity) on some day at least D days after it, up to the day
 * before the run date ("unbounded" retention). Only customers whose day D is observed, first day + D
 * before the run date, are counted: later ones are censored (left out), not counted as lost. Behaviours
 * read the events from the first day to the window's end; the first channel is that of the earliest
 * event naming one, up to the window's end (as {@link FirstChannel}).
 *
 * <p>Spark aggregates the events to one row per customer and behaviour, then to one row per
 * behaviour (a bounded number: top event types x (1 + thresholds) + stages + top channels); the
 * statistics are plain Java over those rows on the driver.
 */
public final class RetentionDrivers {
  private static final String FIRST = "_first";
  private static final String RETAINED = "_retained";
  private static final String BEHAVIOURS = "_behaviours";
  private static final String KIND = "kind";
  private static final String VALUE = "value";
  private static final String MIN_COUNT = "min_count";
  private static final String WITH = "_with";
  private static final String RETAINED_WITH = "_retained_with";
  /** The behaviour every eligible customer has: its row carries the totals the 2x2 tables need. */
  private static final String EVERYONE = "_everyone";
  private static final int CHANNEL_KEY = 0;
  private static final int TYPE_KEY = 1;
  private static final int STAGE_KEY = 2;

  private final Drivers drivers;

  public RetentionDrivers(LifecycleConfig config) {
    this.drivers = config.cohorts().drivers();
  }

  /**
   * One row per customer whose day retained_day is observed (first day + retained_day before the run
   * date) from {@link CustomerActivity#days}: the first day and whether they were retained. The step's days
   * come partitioned by customer (their window), so this adds no shuffle.
   */
  public Dataset<Row> eligible(Dataset<Row> days, LocalDate runDate) {
    Column first = min(col(CustomerActivity.FIRST_DAY));
    Column lastActive = max(when(col(CustomerActivity.ACTIVE), col(CustomerActivity.ACTIVE_DAY)));
    return days.where(col(CustomerActivity.FIRST_DAY).isNotNull())
        .groupBy(col(Columns.CUSTOMER_ID)).agg(first.as(FIRST), lastActive.as("_last_active"))
        .where(date_add(col(FIRST), drivers.retainedDay()).lt(lit(Date.valueOf(runDate))))
        .select(col(Columns.CUSTOMER_ID), col(FIRST),
            coalesce(col("_last_active").geq(date_add(col(FIRST), drivers.retainedDay())), lit(false)).as(RETAINED));
  }

  /**
   * Per eligible customer, one row per thing their events show (an event type or a stage in the window, a
   * channel up to its end): retained, and the behaviours it makes, an array of (kind, value, min_count)
   * with nulls where it makes none; the customer's first row also makes the first channel and
   * everyone's behaviour. The events become rows keyed by what they show, aggregated per customer with
   * fixed-width buffers only (Spark hashes them: a set or a string in a buffer made it sort every event);
   * one window over each customer's few rows then picks the first channel, channels first and by
   * (earliest time, name).
   */
  public Dataset<Row> behaviours(Dataset<Row> events, Dataset<Row> eligible) {
    Column day = to_date(col(Columns.EVENT_TIME));
    Column inWindow = day.geq(col(FIRST));
    Column keyed = array(
        when(col(Columns.CHANNEL).isNotNull(), key(CHANNEL_KEY, col(Columns.CHANNEL), col(Columns.EVENT_TIME))),
        when(inWindow, key(TYPE_KEY, col(Columns.EVENT_TYPE), lit(null).cast("timestamp"))),
        when(inWindow.and(col(Columns.STAGE).isNotNull()), key(STAGE_KEY, col(Columns.STAGE), lit(null).cast("timestamp"))));
    Dataset<Row> shown = events
        .select(col(Columns.CUSTOMER_ID), col(Columns.EVENT_TIME), col(Columns.EVENT_TYPE), col(Columns.STAGE), col(Columns.CHANNEL))
        // Hashed, not sorted: the eligible customers (one row each, already partitioned by customer) are
        // the hash table, and the events only pass through it on their way to the aggregation.
        .join(eligible.hint("shuffle_hash"), Columns.CUSTOMER_ID, "inner")
        .where(day.lt(date_add(col(FIRST), drivers.windowDays())))
        .select(col(Columns.CUSTOMER_ID), col(RETAINED), inline(keyed))
        .where(col(KIND).isNotNull())
        .groupBy(col(Columns.CUSTOMER_ID), col(RETAINED), col(KIND), col(VALUE))
        .agg(count(lit(1)).as("_n"), min(col("_time")).as("_time"));
    Column isChannel = col(KIND).equalTo(CHANNEL_KEY);
    Column isType = col(KIND).equalTo(TYPE_KEY);
    Column firstRow = row_number().over(Window.partitionBy(Columns.CUSTOMER_ID).orderBy(col(KIND), col("_time"), col(VALUE))).equalTo(1);
    List<Column> out = new ArrayList<>();
    out.add(when(isType, behaviour(RetentionDriversTable.EVENT_TYPE, col(VALUE), null)));
    for (int k : drivers.countThresholds()) {
      out.add(when(isType.and(col("_n").geq(k)),
          behaviour(RetentionDriversTable.EVENT_COUNT, col(VALUE), k)));
    }
    out.add(when(col(KIND).equalTo(STAGE_KEY), behaviour(RetentionDriversTable.STAGE, col(VALUE), null)));
    // The customer's first row is their first channel, or, with no channel, any other: the channel is unknown.
    out.add(when(firstRow, behaviour(RetentionDriversTable.FIRST_CHANNEL,
        when(isChannel, col(VALUE)).otherwise(lit(CustomerActivity.UNKNOWN_CHANNEL)), null)));
    out.add(when(firstRow, behaviour(EVERYONE, lit(""), null)));
    return shown.select(col(Columns.CUSTOMER_ID), col(RETAINED), array(out.toArray(Column[]::new)).as(BEHAVIOURS));
  }

  /**
   * An event's row of {@link #behaviours}: the kind of what it shows (a number: a cheaper key than the
   * kind's name, and channels sort first), its value, and its time (channels only).
   */
  private static Column key(int kind, Column value, Column time) {
    return struct(lit((byte) kind).as(KIND), value.as(VALUE), time.as("_time"));
  }

  private static Column behaviour(String kind, Column value, Integer minCount) {
    return struct(lit(kind).as(KIND), value.as(VALUE), lit(minCount).cast("int").as(MIN_COUNT));
  }

  /**
   * Per behaviour, the customers with it and the retained among them (one aggregation of the exploded
   * behaviours), kept to the top event types and with the first channels beyond the top ones as one,
   * "(other)": a first channel is one per customer, so their counts add up.
   */
  public Dataset<Row> counts(Dataset<Row> behaviours) {
    Dataset<Row> all = behaviours.select(col(RETAINED), explode(col(BEHAVIOURS)).as("b"))
        .where(col("b").isNotNull())
        .groupBy(col("b." + KIND).as(KIND), col("b." + VALUE).as(VALUE), col("b." + MIN_COUNT).as(MIN_COUNT))
        .agg(count(lit(1)).as(WITH), sum(when(col(RETAINED), 1L).otherwise(0L)).as(RETAINED_WITH));
    // Event types rank by their customers, their count behaviours with them; channels by theirs.
    Column family = when(col(KIND).equalTo(RetentionDriversTable.EVENT_COUNT), lit(RetentionDriversTable.EVENT_TYPE)).otherwise(col(KIND));
    Column popularity = max(col(WITH)).over(Window.partitionBy(family, col(VALUE)));
    Dataset<Row> ranked = all.withColumn("_family", family).withColumn("_popularity", popularity)
        .withColumn("_rank", dense_rank().over(Window.partitionBy("_family").orderBy(col("_popularity").desc(), col(VALUE))));
    Column isEvent = col("_family").equalTo(RetentionDriversTable.EVENT_TYPE);
    Column isChannel = col(KIND).equalTo(RetentionDriversTable.FIRST_CHANNEL);
    return ranked.where(not(isEvent).or(col("_rank").leq(drivers.topEventTypes())))
        .groupBy(col(KIND),
            when(isChannel.and(col("_rank").gt(drivers.topChannels())), lit(RetentionDriversTable.OTHER)).otherwise(col(VALUE)).as(VALUE),
            col(MIN_COUNT))
        .agg(sum(col(WITH)).as(WITH), sum(col(RETAINED_WITH)).as(RETAINED_WITH));
  }

  /**
   * The {@link RetentionDriversTable} rows of the behaviours' {@link #counts}: the 2x2 tables against the
   * eligible customers' totals, their statistics, and the p-values adjusted across behaviours.
   */
  public Dataset<Row> table(Dataset<Row> counts, LocalDate runDate) {
    // Bounded: one row per behaviour, top_event_types x (1 + count thresholds) + stages + top_channels + 2.
    List<Row> rows = counts.collectAsList();
    long eligible = 0;
    long retained = 0;
    List<Row> tested = new ArrayList<>();
    for (Row r : rows) {
      if (r.getString(0).equals(EVERYONE)) {
        eligible = r.getLong(3);
        retained = r.getLong(4);
      } else {
        tested.add(r);
      }
    }
    List<TwoByTwo> tables = new ArrayList<>();
    double[] p = new double[tested.size()];
    for (int i = 0; i < tested.size(); i++) {
      long with = tested.get(i).getLong(3);
      long retainedWith = tested.get(i).getLong(4);
      TwoByTwo t = new TwoByTwo(retainedWith, with - retainedWith, retained - retainedWith,
          eligible - with - (retained - retainedWith));
      tables.add(t);
      p[i] = t.pValue();
    }
    double[] adjusted = BenjaminiHochberg.adjust(p);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < tested.size(); i++) {
      Row r = tested.get(i);
      TwoByTwo t = tables.get(i);
      String kind = r.getString(0);
      String value = r.getString(1);
      Integer minCount = r.isNullAt(2) ? null : r.getInt(2);
      long with = t.a() + t.b();
      long without = t.c() + t.d();
      boolean test = !t.degenerate();
      out.add(RowFactory.create(Date.valueOf(runDate), kind, describe(kind, value, minCount), value, minCount,
          drivers.windowDays(), drivers.retainedDay(), with, t.a(), without, t.c(),
          with == 0 ? null : (double) t.a() / with, without == 0 ? null : (double) t.c() / without,
          test ? t.oddsRatio() : null, test ? t.ciLower() : null, test ? t.ciUpper() : null,
          test ? (t.test() == TwoByTwo.Test.CHI_SQUARE ? RetentionDriversTable.CHI_SQUARE : RetentionDriversTable.FISHER) : null,
          test ? p[i] : null, test ? adjusted[i] : null));
    }
    return counts.sparkSession().createDataFrame(out, RetentionDriversTable.DEF.schema());
  }

  private static String describe(String kind, String value, Integer minCount) {
    return switch (kind) {
      case RetentionDriversTable.EVENT_COUNT -> value + " >= " + minCount;
      case RetentionDriversTable.EVENT_TYPE -> value + " >= 1";
      default -> kind + " = " + value;
    };
  }

  /** The table from the events and their {@link CustomerActivity#days}. */
  public Dataset<Row> compute(Dataset<Row> events, Dataset<Row> days, LocalDate runDate) {
    return table(counts(behaviours(events, eligible(days, runDate))), runDate);
  }
}
