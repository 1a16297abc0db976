package io.lifecycle.spark;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.tables.Columns;
import org.apache.spark.sql.Column;

/**
 * A customer's acquisition channel, as every table that reports one defines it: the channel of the
 * earliest event that has one, two channels at the same instant going to the first in name order (as a
 * session's first channel). {@code min_by} on the time alone keeps whichever tied row comes first, so a
 * daily run and a full run, or two input orders, could name different channels.
 */
public final class FirstChannel {
  private FirstChannel() {}

  /** Aggregate over events with {@code channel} and {@code event_time}: the first channel, or null if none has one. */
  public static Column of() {
    return min_by(col(Columns.CHANNEL), ordering());
  }

  /** The ordering {@link #of()} takes the minimum of: (time, channel) for events with a channel, else null. */
  public static Column ordering() {
    return when(col(Columns.CHANNEL).isNotNull(), struct(col(Columns.EVENT_TIME), col(Columns.CHANNEL)));
  }
}
