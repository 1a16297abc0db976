package io.lifecycle.spark;

import org.apache.spark.sql.SparkSession;

/**
 * On a local master where the user has not chosen {@code spark.sql.shuffle.partitions}, sizes it to the
 * events: four per core is right for the sample and for 10 million events, but at 100 million each of
 * the 8 partitions of the sessions' sort held 850 MB and spilled 8.2 GB to disk (sessionize 240 s);
 * with 32 nothing spilled (188 s). Adaptive execution still merges small partitions, so a larger count
 * costs little where a shuffle is small. A cluster run keeps what spark-submit or the cluster sets.
 */
public final class ShufflePartitions {
  /** Set by {@link SparkSessions#builder} to the local default when the partitions are the job's to choose. */
  public static final String LOCAL_BASE = "spark.lifecycle.localShufflePartitions";
  /** Bytes of events (Delta or raw input files) per shuffle partition. */
  static final long BYTES_PER_PARTITION = 96L << 20;
  static final int MAX = 512;

  private ShufflePartitions() {}

  /** Partitions for {@code bytes} of events: the base, or one per {@value #BYTES_PER_PARTITION} bytes, a multiple of the base. */
  static int forBytes(long bytes, int base) {
    long wanted = (bytes + BYTES_PER_PARTITION - 1) / BYTES_PER_PARTITION;
    long multiple = (wanted + base - 1) / base * base;
    return (int) Math.min(Math.max(MAX, base), Math.max(base, multiple));
  }

  /** The last count this class set, to tell its own setting from one made after the session started. */
  static final String LOCAL_SET = "spark.lifecycle.localShufflePartitionsSet";

  /**
   * Whether the job chooses the shuffle partitions: a local run without the user's setting, and the
   * count still the job's (the local default, or the last one set here).
   */
  public static boolean jobChooses(SparkSession spark) {
    String base = spark.conf().get(LOCAL_BASE, "");
    String current = spark.conf().get("spark.sql.shuffle.partitions");
    return !base.isEmpty() && (current.equals(base) || current.equals(spark.conf().get(LOCAL_SET, "")));
  }

  /**
   * Sets the session's shuffle partitions for {@code eventBytes} of events when the job chose them (a
   * local run without the user's setting); does nothing otherwise. Returns the partitions in effect.
   */
  public static int fitTo(SparkSession spark, long eventBytes) {
    if (jobChooses(spark)) {
      String partitions = String.valueOf(forBytes(eventBytes, Integer.parseInt(spark.conf().get(LOCAL_BASE))));
      spark.conf().set(LOCAL_SET, partitions);
      spark.conf().set("spark.sql.shuffle.partitions", partitions);
    }
    return Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
  }
}
