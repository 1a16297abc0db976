package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.StageModel;
import io.lifecycle.spark.FirstChannel;
import io.lifecycle.tables.Columns;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Features of every customer as of a cutoff, computed only from events strictly before it (the first
 * thing the function does is drop later events, so no later change can leak into a feature; a test
 * changes events after the cutoff and checks every feature stays the same).
 */
public final class PointInTimeFeatures {
  public static final String CUTOFF = "cutoff_date";
  public static final String CURRENT_STAGE = "current_stage";
  public static final String CHANNEL = "acquisition_channel";
  public static final String LAST_EVENT_TIME = "last_event_time";
  /** BG/NBD probability alive at the cutoff (added by the train step when the CLV model fits). */
  public static final String P_ALIVE = "p_alive";
  /** BG/NBD expected purchases in the next horizon (added with P_ALIVE). */
  public static final String EXPECTED_PURCHASES = "expected_purchases";

  /** Numeric features, in the order the models see them. */
  public static final List<String> NUMERIC = List.of(
      "recency_days", "tenure_days", "days_in_current_stage", "current_stage_rank",
      "events_7d", "events_30d", "events_90d", "active_days_30d", "active_days_90d",
      "page_views_30d", "product_views_30d", "add_to_cart_30d",
      "purchases_total", "purchases_90d", "repeat_purchase_days", "days_since_first_purchase",
      "revenue_total", "revenue_90d", "revenue_trend", "mean_purchase_amount",
      "support_tickets", "reviews", "referrals",
      "stages_visited", "max_stage_rank", "moves_back", "stages_skipped");
  /** The BG/NBD signals, added by {@link ChurnSignals} (fitted at each cutoff). */
  public static final List<String> BG_NBD = List.of(P_ALIVE, EXPECTED_PURCHASES);
  /** Categorical features (indexed and one-hot encoded in the model pipelines). */
  public static final List<String> CATEGORICAL = List.of(CURRENT_STAGE, CHANNEL);

  private final StageModel stages;

  public PointInTimeFeatures(LifecycleConfig config) {
    this.stages = config.stages();
  }

  public static Timestamp start(LocalDate day) {
    return Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  public Dataset<Row> build(Dataset<Row> events, LocalDate cutoff) {
    return build(events, List.of(cutoff));
  }

  /**
   * The features at each of {@code cutoffs}, one row per customer and cutoff, in one pass over the
   * events: they are sorted once per customer, and each is then paired with the cutoffs after it ({@link
   * #atCutoffs}) and aggregated per (customer, cutoff) without another shuffle, rather than one query per
   * cutoff. An event's predecessors are before it, so its sequence columns are the same at every cutoff.
   */
  public Dataset<Row> build(Dataset<Row> events, List<LocalDate> cutoffs) {
    LocalDate latest = java.util.Collections.max(cutoffs);
    Dataset<Row> before = events.where(col(Columns.EVENT_TIME).lt(lit(start(latest))));
    Column cut = col(CUT_START);
    Column daysAgo = col(Columns.EVENT_TIME).cast("double").minus(cut.cast("double")).divide(-86400.0);
    Column isPurchase = col(Columns.EVENT_TYPE).isin(stages.purchaseEventTypes().toArray());
    Column day = to_date(col(Columns.EVENT_TIME));
    Column rank = rankOf(col(Columns.STAGE));

    // Sequence features need the events in time order per customer (one window, one sort). The same
    // order counts distinct days without count_distinct, which Spark plans as an Expand of every event
    // once per distinct column: an event opens a day in a trailing window when the previous event is on
    // another day or outside the window (days only grow along the order), and a purchase opens a
    // purchase day when the previous purchase was on another day.
    WindowSpec byTime = Window.partitionBy(Columns.CUSTOMER_ID).orderBy(Columns.EVENT_TIME, Columns.EVENT_TYPE);
    Dataset<Row> ordered = before
        .withColumn("_rank", rank)
        .withColumn("_prev_rank", lag(when(col(Columns.STAGE).isNotNull(), rank), 1).over(byTime))
        .withColumn("_prev_stage", lag(col(Columns.STAGE), 1).over(byTime))
        .withColumn("_prev_time", lag(col(Columns.EVENT_TIME), 1).over(byTime))
        .withColumn("_prev_purchase_day", lag(when(isPurchase, day), 1, null, true).over(byTime))
        .withColumn("_day", day)
        .withColumn("_purchase", isPurchase);
    // Each event at the cutoffs after it: the first thing each cutoff's rows do is drop later events.
    Dataset<Row> staged = atCutoffs(ordered, cutoffs, 0).where(col(Columns.EVENT_TIME).lt(cut))
        .withColumn("_days_ago", daysAgo);
    Column prevDaysAgo = col("_prev_time").cast("double").minus(cut.cast("double")).divide(-86400.0);
    Column newDay = col("_prev_time").isNull().or(not(to_date(col("_prev_time")).equalTo(col("_day"))));

    Dataset<Row> agg = staged.groupBy(Columns.CUSTOMER_ID, CUTOFF).agg(
        max(col(Columns.EVENT_TIME)).as(LAST_EVENT_TIME),
        min(col("_days_ago")).as("recency_days"),
        max(col("_days_ago")).as("tenure_days"),
        countIf(col("_days_ago").leq(7)).as("events_7d"),
        countIf(col("_days_ago").leq(30)).as("events_30d"),
        countIf(col("_days_ago").leq(90)).as("events_90d"),
        countIf(col("_days_ago").leq(30).and(newDay.or(prevDaysAgo.gt(30)))).as("active_days_30d"),
        countIf(col("_days_ago").leq(90).and(newDay.or(prevDaysAgo.gt(90)))).as("active_days_90d"),
        countIf(col("_days_ago").leq(30).and(col(Columns.EVENT_TYPE).equalTo("page_view"))).as("page_views_30d"),
        countIf(col("_days_ago").leq(30).and(col(Columns.EVENT_TYPE).equalTo("product_view"))).as("product_views_30d"),
        countIf(col("_days_ago").leq(30).and(col(Columns.EVENT_TYPE).equalTo("add_to_cart"))).as("add_to_cart_30d"),
        countIf(col("_purchase")).as("purchases_total"),
        countIf(col("_purchase").and(col("_days_ago").leq(90))).as("purchases_90d"),
        countIf(col("_purchase").and(coalesce(not(col("_prev_purchase_day").equalTo(col("_day"))), lit(true)))).as("_purchase_days"),
        max(when(col("_purchase"), col("_days_ago"))).as("days_since_first_purchase"),
        coalesce(sum(when(col("_purchase"), col(Columns.AMOUNT))), lit(0.0)).as("revenue_total"),
        coalesce(sum(when(col("_purchase").and(col("_days_ago").leq(90)), col(Columns.AMOUNT))), lit(0.0)).as("revenue_90d"),
        coalesce(sum(when(col("_purchase").and(col("_days_ago").gt(90)).and(col("_days_ago").leq(180)), col(Columns.AMOUNT))), lit(0.0)).as("_revenue_prev_90d"),
        avg(when(col("_purchase"), col(Columns.AMOUNT))).as("mean_purchase_amount"),
        countIf(col(Columns.EVENT_TYPE).equalTo("support_ticket")).as("support_tickets"),
        countIf(col(Columns.EVENT_TYPE).equalTo("review")).as("reviews"),
        countIf(col(Columns.EVENT_TYPE).equalTo("referral")).as("referrals"),
        // Distinct stages: a bit per rank of the model's order.
        coalesce(bit_count(bit_or(call_function("shiftleft", lit(1L), col("_rank")))), lit(0)).as("stages_visited"),
        max(col("_rank")).as("max_stage_rank"),
        countIf(col("_rank").lt(col("_prev_rank"))).as("moves_back"),
        coalesce(sum(greatest(col("_rank").minus(col("_prev_rank")).minus(1), lit(0))), lit(0)).as("stages_skipped"),
        max_by(col(Columns.STAGE), when(col(Columns.STAGE).isNotNull(), col(Columns.EVENT_TIME))).as(CURRENT_STAGE),
        // The latest change of stage starts the current stage's run.
        min(when(col(Columns.STAGE).isNotNull().and(not(col(Columns.STAGE).eqNullSafe(col("_prev_stage")))), col("_days_ago"))).as("days_in_current_stage"),
        FirstChannel.of().as(CHANNEL));

    List<Column> out = new ArrayList<>();
    out.add(col(Columns.CUSTOMER_ID));
    out.add(col(CUTOFF));
    out.add(col(LAST_EVENT_TIME));
    for (String f : NUMERIC) {
      Column c = switch (f) {
        case "repeat_purchase_days" -> greatest(col("_purchase_days").minus(1), lit(0));
        case "revenue_trend" -> col("revenue_90d").minus(col("_revenue_prev_90d"));
        case "current_stage_rank" -> coalesce(rankOf(col(CURRENT_STAGE)), lit(0));
        case "days_since_first_purchase", "mean_purchase_amount", "days_in_current_stage" -> coalesce(col(f), lit(-1.0));
        default -> col(f);
      };
      out.add(c.cast("double").as(f));
    }
    out.add(coalesce(col(CURRENT_STAGE), lit("NONE")).as(CURRENT_STAGE));
    out.add(coalesce(col(CHANNEL), lit("unknown")).as(CHANNEL));
    return agg.select(out.toArray(Column[]::new));
  }

  /** Start of the cutoff day paired with each row by {@link #atCutoffs}. */
  static final String CUT_START = "_cut_start";
  /** Start of the day {@code horizonDays} after the cutoff, paired with each row by {@link #atCutoffs}. */
  static final String CUT_END = "_cut_end";

  /**
   * {@code rows} once per cutoff, with the cutoff date ({@link #CUTOFF}), the start of its day ({@link
   * #CUT_START}) and of the day {@code horizonDays} later ({@link #CUT_END}): a generator over the few
   * cutoffs, so the callers filter and aggregate per (customer, cutoff) in one query.
   */
  static Dataset<Row> atCutoffs(Dataset<Row> rows, List<LocalDate> cutoffs, long horizonDays) {
    Column[] pairs = cutoffs.stream().map(c -> struct(lit(java.sql.Date.valueOf(c)).as(CUTOFF), lit(start(c)).as(CUT_START),
        lit(start(c.plusDays(horizonDays))).as(CUT_END))).toArray(Column[]::new);
    List<Column> columns = new ArrayList<>();
    for (String c : rows.columns()) {
      columns.add(col(c));
    }
    columns.add(explode(array(pairs)).as("_cutoff"));
    return rows.select(columns.toArray(Column[]::new)).select(col("*"), col("_cutoff.*")).drop("_cutoff");
  }

  private static Column countIf(Column condition) {
    return coalesce(sum(when(condition, 1).otherwise(0)), lit(0));
  }

  private Column rankOf(Column stage) {
    Column rank = lit(null).cast("int");
    for (String s : stages.order()) {
      rank = when(stage.equalTo(s), lit(stages.rank(s))).otherwise(rank);
    }
    return rank;
  }
}
