package io.lifecycle.sessions;

import static io.lifecycle.tables.Columns.*;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.TestSupport;
import io.lifecycle.spark.SparkSessions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Not a test (no {@code Test} suffix, so surefire skips it): a manual measurement of three ways to
 * sessionize, run by hand with {@code java -cp ... io.lifecycle.sessions.SessionizeBenchmark ROWS DIR}.
 * It writes ROWS synthetic events (customers of 100 events in 10 visits each, plus one bot holding a
 * quarter of all events) to Parquet, then times, each forced through the no-op sink:
 * <ol>
 *   <li>window: {@link Sessionizer#sessionize} (lag + running max, aligned max-length pieces, full table);
 *   <li>window-lite: {@link Sessionizer#assign} + count/min/max/sum only (same keys, cheap aggregates);
 *   <li>session_window: Spark's built-in, gap rule only (no max-length split), count/min/max/sum;
 *   <li>sorted pass: repartition + sortWithinPartitions + mapPartitions (a Java lambda, i.e. a UDF),
 *       gap and greedy max-length rule, count/min/max/sum.
 * </ol>
 */
public final class SessionizeBenchmark {
  private SessionizeBenchmark() {}

  public static void main(String[] args) {
    long rows = Long.parseLong(args[0]);
    String dir = args[1];
    SparkSession spark = SparkSessions.builder("sessionize-benchmark")
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    long botEvents = rows / 4;
    long customers = (rows - botEvents) / 100;
    // Customers: 100 events each, in 10 visits of 10 events two minutes apart, visits on random
    // seconds of a 60-day window. The bot: one event per second for days (sessions cut at 12 hours).
    Column k = col("id").minus(botEvents);
    Column visitOffset = pmod(hash(k.divide(10).cast("long")), lit(60 * 86_400)).cast("long");
    spark.range(rows)
        .select(
            when(col("id").lt(botEvents), lit("bot")).otherwise(concat(lit("c"), k.divide(100).cast("long").cast("string"))).as(CUSTOMER_ID),
            timestamp_seconds(lit(1_704_067_200L).plus(
                when(col("id").lt(botEvents), col("id")).otherwise(visitOffset.plus(pmod(k, lit(10)).multiply(120))))).as(EVENT_TIME),
            element_at(array(lit("page_view"), lit("product_view"), lit("add_to_cart"), lit("purchase")),
                pmod(col("id"), lit(4)).plus(1).cast("int")).as(EVENT_TYPE),
            element_at(array(lit("AWARENESS"), lit("CONSIDERATION"), lit("CONSIDERATION"), lit("CONVERSION")),
                pmod(col("id"), lit(4)).plus(1).cast("int")).as(STAGE),
            when(pmod(col("id"), lit(4)).equalTo(3), lit(9.99)).as(AMOUNT),
            when(pmod(col("id"), lit(3)).equalTo(0), lit("email")).as(CHANNEL))
        .write().mode("overwrite").parquet(dir);
    Dataset<Row> events = spark.read().parquet(dir);
    Sessionizer sessionizer = new Sessionizer(Duration.ofMinutes(30), Duration.ofHours(12), TestSupport.config().stages());
    List<String> report = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      report.add(time("window (full sessions table)", () -> sessionizer.sessionize(events)));
      report.add(time("window-lite (same keys, count/min/max/sum)", () -> lite(sessionizer.assign(events)
          .groupBy(CUSTOMER_ID, Sessionizer.GAP_START, Sessionizer.PIECE))));
      report.add(time("session_window (gap only)", () -> lite(events
          .groupBy(col(CUSTOMER_ID), session_window(col(EVENT_TIME), "30 minutes")))));
      report.add(time("sorted pass (mapPartitions)", () -> sortedPass(events)));
    }
    System.out.println("rows=" + rows + " bot=" + botEvents + " customers=" + customers);
    report.forEach(System.out::println);
    spark.stop();
  }

  private static Dataset<Row> lite(org.apache.spark.sql.RelationalGroupedDataset g) {
    return g.agg(count(lit(1)), min(EVENT_TIME), max(EVENT_TIME), sum(AMOUNT));
  }

  private static String time(String name, Supplier<Dataset<Row>> job) {
    long t0 = System.nanoTime();
    job.get().write().format("noop").mode("overwrite").save();
    return String.format("%-45s %8.1f s", name, (System.nanoTime() - t0) / 1e9);
  }

  static final StructType OUT = new StructType()
      .add(CUSTOMER_ID, DataTypes.StringType).add("start", DataTypes.TimestampType).add("end", DataTypes.TimestampType)
      .add("n", DataTypes.LongType).add("revenue", DataTypes.DoubleType);

  private static Dataset<Row> sortedPass(Dataset<Row> events) {
    long gap = Duration.ofMinutes(30).toNanos() / 1000;
    long max = Duration.ofHours(12).toNanos() / 1000;
    MapPartitionsFunction<Row, Row> pass = it -> new Iterator<>() {
      Row pending = it.hasNext() ? it.next() : null;

      public boolean hasNext() {
        return pending != null;
      }

      public Row next() {
        String customer = pending.getString(0);
        Instant start = pending.getAs(1);
        Instant last = start;
        long n = 0;
        double revenue = 0;
        while (pending != null) {
          Instant t = pending.getAs(1);
          if (!pending.getString(0).equals(customer) || micros(t) - micros(last) > gap || micros(t) - micros(start) > max) {
            break;
          }
          n++;
          revenue += pending.isNullAt(2) ? 0 : pending.getDouble(2);
          last = t;
          pending = it.hasNext() ? it.next() : null;
        }
        return RowFactory.create(customer, start, last, n, revenue);
      }
    };
    return events.select(CUSTOMER_ID, EVENT_TIME, AMOUNT)
        .repartition(col(CUSTOMER_ID))
        .sortWithinPartitions(CUSTOMER_ID, EVENT_TIME)
        .mapPartitions(pass, Encoders.row(OUT));
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
