package io.lifecycle.sessions;

import io.lifecycle.tables.Columns;
import io.lifecycle.tables.SessionsTable;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one pass of {@link Sessionizer}: reads a partition's events sorted by (customer, time) and emits
 * one row per session, holding only the session being built (a few counters and the map of event types
 * it has seen). Memory per task is therefore constant, whatever the number of events per customer: a bot
 * with millions of events streams through like anyone else, and the sort before it spills to disk.
 *
 * <p>Input columns, by position: {@link #IN}. Output: {@link #OUT}. Times are epoch microseconds, so the
 * pass does no date arithmetic and the caller turns them back into timestamps with built-in functions.
 */
final class SessionPass implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  static final String T = "_t";
  static final String IS_PURCHASE = "_is_purchase";
  static final String BIT = "_bit";
  static final String START = "_start";
  static final String END = "_end";
  static final String TYPES = "_types";
  static final String TYPE_COUNTS = "_type_counts";
  static final String FIRST_PURCHASE = "_first_purchase";

  /** customer_id, _t, event_type, channel, amount, _is_purchase, _bit (the stage as bit rank, 0 = none). */
  static final int CUSTOMER = 0, TIME = 1, TYPE = 2, CHANNEL = 3, AMOUNT = 4, PURCHASE = 5, BIT_AT = 6;

  static final StructType OUT = new StructType()
      .add(Columns.CUSTOMER_ID, DataTypes.StringType, false)
      .add(START, DataTypes.LongType, false)
      .add(END, DataTypes.LongType, false)
      .add(SessionsTable.EVENT_COUNT, DataTypes.LongType, false)
      .add(TYPES, DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add(TYPE_COUNTS, DataTypes.createArrayType(DataTypes.LongType, false), false)
      .add(SessionsTable.REVENUE, DataTypes.DoubleType, false)
      .add(SessionsTable.FIRST_CHANNEL, DataTypes.StringType, true)
      .add(Columns.STAGE, DataTypes.StringType, true)
      .add(SessionsTable.STAGES, DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add(FIRST_PURCHASE, DataTypes.LongType, true);

  private final long gapMicros;
  private final long maxMicros;
  /** The stage model's order: bit k of a stage set is stages[k - 1]. */
  private final String[] stages;

  SessionPass(long gapMicros, long maxMicros, String[] stages) {
    this.gapMicros = gapMicros;
    this.maxMicros = maxMicros;
    this.stages = stages.clone();
  }

  /** The stages of a set of bits, in the model's order; the last of them is the most advanced. */
  private String[] namesOf(long bits) {
    String[] names = new String[Long.bitCount(bits)];
    int n = 0;
    for (int rank = 1; rank <= stages.length; rank++) {
      if ((bits & (1L << rank)) != 0) {
        names[n++] = stages[rank - 1];
      }
    }
    return names;
  }

  /**
   * The max-length piece of an event {@code sinceStart} microseconds after its gap session's start:
   * piece k holds (kM, (k+1)M], and the start itself is in piece 0.
   */
  static long piece(long sinceStart, long maxMicros) {
    return sinceStart <= 0 ? 0 : (sinceStart - 1) / maxMicros;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> events) {
    return new Iterator<>() {
      private Row next = events.hasNext() ? events.next() : null;
      // The gap session the next event would continue: its customer, start and last event time.
      private String customer;
      private long gapStart;
      private long last;

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Row first = next;
        long t0 = first.getLong(TIME);
        String id = first.getString(CUSTOMER);
        if (!id.equals(customer) || t0 - last > gapMicros) {
          customer = id;
          gapStart = t0;
        }
        long piece = piece(t0 - gapStart, maxMicros);
        long count = 0;
        double revenue = 0;
        String channel = null;
        long bits = 0;
        Long firstPurchase = null;
        TreeMap<String, Long> types = new TreeMap<>();
        Row row = first;
        while (true) {
          long t = row.getLong(TIME);
          count++;
          types.merge(row.getString(TYPE), 1L, Long::sum);
          if (!row.isNullAt(AMOUNT)) {
            revenue += row.getDouble(AMOUNT);
          }
          if (channel == null && !row.isNullAt(CHANNEL)) {
            channel = row.getString(CHANNEL);
          }
          bits |= row.getLong(BIT_AT);
          if (firstPurchase == null && row.getBoolean(PURCHASE)) {
            firstPurchase = t;
          }
          last = t;
          next = events.hasNext() ? events.next() : null;
          if (next == null) {
            break;
          }
          long tn = next.getLong(TIME);
          boolean sameCustomer = next.getString(CUSTOMER).equals(id);
          if (!sameCustomer || tn - last > gapMicros) {
            break;
          }
          if (piece(tn - gapStart, maxMicros) != piece) {
            break;
          }
          row = next;
        }
        String[] names = types.keySet().toArray(new String[0]);
        long[] counts = types.values().stream().mapToLong(Long::longValue).toArray();
        String[] seen = namesOf(bits);
        String stage = seen.length == 0 ? null : seen[seen.length - 1];
        return RowFactory.create(id, t0, last, count, names, counts, revenue, channel, stage, seen, firstPurchase);
      }
    };
  }
}
