package io.lifecycle.scratch;

import static org.apache.spark.sql.functions.*;
import io.lifecycle.TestSupport;
import io.lifecycle.sessions.Sessionizer;
import io.lifecycle.spark.SparkSessions;
import java.time.Duration;
import org.apache.spark.sql.*;

public final class Probe {
  public static void main(String[] a) throws Exception {
    SparkSession spark = SparkSessions.builder("probe").master("local[*]").config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    Dataset<Row> events = spark.read().parquet(a[0]);
    Sessionizer s = new Sessionizer(Duration.ofMinutes(30), Duration.ofHours(12), TestSupport.config().stages());
    t("warm scan", () -> events.write().format("noop").mode("overwrite").save());
    t("scan", () -> events.write().format("noop").mode("overwrite").save());
    t("shuffle+sort only", () -> events.repartition(col("customer_id")).sortWithinPartitions("customer_id", "event_time").write().format("noop").mode("overwrite").save());
    t("sessionize noop", () -> s.sessionize(events).write().format("noop").mode("overwrite").save());
    t("sessionize rebalance noop", () -> s.sessionize(events).hint("rebalance", col("session_date")).write().format("noop").mode("overwrite").save());
    t("sessionize parquet by date (no rebalance)", () -> s.sessionize(events).write().partitionBy("session_date").mode("overwrite").parquet("/tmp/probe/b"));
    t("sessionize rebalance parquet by date", () -> s.sessionize(events).hint("rebalance", col("session_date")).write().partitionBy("session_date").mode("overwrite").parquet("/tmp/probe/c"));
  }
  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
  static void t(String n, Runnable r) {
    long t0 = System.nanoTime(); long c0 = cpu(); r.run(); System.out.printf("%-45s %6.1f s  cpu %6.1f s%n", n, (System.nanoTime() - t0) / 1e9, (cpu() - c0) / 1e9);
  }
}
