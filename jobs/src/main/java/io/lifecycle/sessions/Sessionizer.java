package io.lifecycle.sessions;

import static io.lifecycle.tables.Columns.*;
import static io.lifecycle.tables.SessionsTable.*;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.StageModel;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Splits each customer's events into sessions and aggregates them into the {@code sessions} table's
 * shape. Pure: {@code Dataset<Row> -> Dataset<Row>}.
 *
 * <p>The rules, applied per customer to events ordered by time:
 *
 * <ol>
 *   <li><b>Inactivity gap.</b> An event starts a new session when the time since the previous event is
 *       greater than {@code inactivity_gap}; a gap exactly equal stays in the session. Events with equal
 *       times are always in the same session. This gives "gap sessions".
 *   <li><b>Maximum length.</b> A gap session that starts at S is cut into consecutive pieces of
 *       {@code max_duration} M aligned to S: an event at t belongs to piece 0 when t - S &lt;= M and to
 *       piece k when kM &lt; t - S &lt;= (k+1)M. Each non-empty piece is a session, starting at its first
 *       event. So no session lasts longer than M, an event exactly M after S stays in the first session,
 *       and the cuts of an uninterrupted stream fall at S+M, S+2M, ... (not M after each piece's own
 *       first event: that greedy rule depends on the previous cut and cannot be written as a window).
 * </ol>
 *
 * <p>Cost: one shuffle by customer and one sort by (customer, time). The previous event (lag) and the
 * gap session's start (a running max of the times that start one) are two window functions over the same
 * specification, so Spark evaluates them on the same sorted rows; the aggregations group by keys that
 * extend the customer, so they need no further shuffle, and the one that sees every event keeps
 * fixed-width buffers only (a hash aggregation, no sort). A customer with millions of events lands in one
 * task, whose window buffer and aggregation spill to disk rather than grow the heap.
 *
 * <p>The session id is the first 32 hex characters of sha256("customer_id|start epoch micros"): it only
 * depends on the session, not on the input's order or partitioning.
 */
public final class Sessionizer {
  static final String PREVIOUS_TIME = "_previous_time";
  static final String GAP_START = "_gap_start";
  static final String PIECE = "_piece";
  private static final String N = "_n";
  private static final String FIRST_TIME = "_first_time";
  private static final String LAST_TIME = "_last_time";
  private static final String CHANNEL_AT = "_channel_at";
  private static final String STAGE_BITS = "_stage_bits";
  private static final String MAX_RANK = "_max_rank";

  private final long gapMicros;
  private final long maxMicros;
  private final StageModel model;
  private final StageOrder order;

  public Sessionizer(Duration inactivityGap, Duration maxDuration, StageModel model) {
    if (inactivityGap.isNegative() || inactivityGap.isZero() || maxDuration.compareTo(inactivityGap) < 0) {
      throw new IllegalArgumentException("need 0 < inactivity gap <= max duration, got " + inactivityGap + ", " + maxDuration);
    }
    this.gapMicros = micros(inactivityGap);
    this.maxMicros = micros(maxDuration);
    this.model = model;
    this.order = new StageOrder(model);
  }

  /** Events (customer_id, event_time, event_type, stage, amount, channel) to sessions in the table's shape. */
  public Dataset<Row> sessionize(Dataset<Row> events) {
    return aggregate(assign(events));
  }

  /**
   * Adds each event's session key: {@value #GAP_START} (start of its gap session) and {@value #PIECE}
   * (its max-length piece within it). Together with the customer they identify the session.
   */
  public Dataset<Row> assign(Dataset<Row> events) {
    requireColumns(events, CUSTOMER_ID, EVENT_TIME, EVENT_TYPE, STAGE, AMOUNT, CHANNEL);
    WindowSpec byTime = Window.partitionBy(col(CUSTOMER_ID)).orderBy(col(EVENT_TIME));
    Column time = col(EVENT_TIME);
    Column startsGapSession = col(PREVIOUS_TIME).isNull()
        .or(unix_micros(time).minus(unix_micros(col(PREVIOUS_TIME))).gt(gapMicros));
    // Times that start a gap session only grow along the order, so a running max is the latest start.
    Column gapStart = max(when(startsGapSession, time))
        .over(byTime.rowsBetween(Window.unboundedPreceding(), Window.currentRow()));
    // Piece k holds (S + kM, S + (k+1)M]: floor((d - 1) / M) for d = t - S > 0, and 0 for d = 0. Written
    // with pmod so that it stays exact in integer arithmetic.
    Column sinceStart = greatest(unix_micros(time).minus(unix_micros(col(GAP_START))).minus(1L), lit(0L));
    Column piece = sinceStart.minus(pmod(sinceStart, lit(maxMicros))).divide(maxMicros).cast("long");
    return events
        .withColumn(PREVIOUS_TIME, lag(time, 1).over(byTime))
        .withColumn(GAP_START, gapStart)
        .withColumn(PIECE, piece)
        .select(col(CUSTOMER_ID), col(EVENT_TIME), col(EVENT_TYPE), col(STAGE), col(AMOUNT), col(CHANNEL),
            col(GAP_START), col(PIECE));
  }

  /**
   * Sessions from events carrying their session key ({@link #assign}). Three aggregations, none of which
   * shuffles (their keys extend the customer): the first meets every event and keeps only fixed-width
   * buffers, so Spark runs it as a hash aggregation; the two after it see a few rows per session.
   */
  public Dataset<Row> aggregate(Dataset<Row> keyed) {
    Column isPurchase = col(EVENT_TYPE).isin(model.purchaseEventTypes().toArray());
    // Strings only as grouping keys here: the channel is a key, not a min(struct) buffer.
    Dataset<Row> perTypeAndChannel = keyed
        .groupBy(col(CUSTOMER_ID), col(GAP_START), col(PIECE), col(EVENT_TYPE), col(CHANNEL))
        .agg(
            count(lit(1)).as(N),
            sum(col(AMOUNT)).as(REVENUE),
            min(col(EVENT_TIME)).as(FIRST_TIME),
            max(col(EVENT_TIME)).as(LAST_TIME),
            bit_or(order.bit(col(STAGE))).as(STAGE_BITS),
            max(order.rank(col(STAGE))).as(MAX_RANK),
            min(when(isPurchase, col(EVENT_TIME))).as(FIRST_PURCHASE_TIME));
    // Earliest channel; equal times break ties by the channel itself, so the result is stable.
    Column channelAt = min(when(col(CHANNEL).isNotNull(), struct(col(FIRST_TIME), col(CHANNEL))));
    Dataset<Row> perType = perTypeAndChannel
        .groupBy(col(CUSTOMER_ID), col(GAP_START), col(PIECE), col(EVENT_TYPE))
        .agg(
            sum(col(N)).as(N),
            sum(col(REVENUE)).as(REVENUE),
            min(col(FIRST_TIME)).as(FIRST_TIME),
            max(col(LAST_TIME)).as(LAST_TIME),
            channelAt.as(CHANNEL_AT),
            bit_or(col(STAGE_BITS)).as(STAGE_BITS),
            max(col(MAX_RANK)).as(MAX_RANK),
            min(col(FIRST_PURCHASE_TIME)).as(FIRST_PURCHASE_TIME));
    Dataset<Row> sessions = perType
        .groupBy(col(CUSTOMER_ID), col(GAP_START), col(PIECE))
        .agg(
            min(col(FIRST_TIME)).as(SESSION_START),
            max(col(LAST_TIME)).as(SESSION_END),
            sum(col(N)).as(EVENT_COUNT),
            map_from_entries(array_sort(collect_list(struct(col(EVENT_TYPE), col(N))))).as(EVENT_TYPE_COUNTS),
            coalesce(sum(col(REVENUE)), lit(0.0)).as(REVENUE),
            min(col(CHANNEL_AT)).getField(CHANNEL).as(FIRST_CHANNEL),
            bit_or(col(STAGE_BITS)).as(STAGE_BITS),
            max(col(MAX_RANK)).as(MAX_RANK),
            min(col(FIRST_PURCHASE_TIME)).as(FIRST_PURCHASE_TIME));
    Column start = col(SESSION_START);
    return sessions.select(
        col(CUSTOMER_ID),
        sessionId(col(CUSTOMER_ID), start).as(SESSION_ID),
        start,
        col(SESSION_END),
        unix_micros(col(SESSION_END)).minus(unix_micros(start)).divide(1_000_000.0).as(DURATION_SECONDS),
        col(EVENT_COUNT),
        col(EVENT_TYPE_COUNTS),
        col(REVENUE),
        col(FIRST_CHANNEL),
        order.name(col(MAX_RANK)).as(STAGE),
        order.namesOf(col(STAGE_BITS)).as(STAGES),
        col(FIRST_PURCHASE_TIME),
        to_date(start).as(SESSION_DATE));
  }

  /** sha256 over "customer_id|start epoch micros", first 32 hex characters (128 bits). */
  public static Column sessionId(Column customerId, Column sessionStart) {
    return substring(sha2(concat_ws("|", customerId, unix_micros(sessionStart).cast("string")), 256), 1, 32);
  }

  static long micros(Duration d) {
    return Math.multiplyExact(d.getSeconds(), 1_000_000L) + d.getNano() / 1_000;
  }

  /** Fails naming the first column a transform needs that its input lacks. */
  public static void requireColumns(Dataset<Row> df, String... names) {
    List<String> present = List.of(df.columns());
    for (String n : names) {
      if (!present.contains(n)) {
        throw new IllegalArgumentException("input lacks column " + n + " (has " + present + ")");
      }
    }
  }
}
