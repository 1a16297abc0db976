package io.lifecycle.journeys;

import static io.lifecycle.tables.Columns.CUSTOMER_ID;
import static org.apache.spark.sql.functions.*;

import io.lifecycle.spark.RequiredColumns;
import io.lifecycle.tables.CustomerJourneysTable;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Which customers an incremental journeys run recomputes from their sessions (pure). A customer's
 * episodes change only when their sessions change (they have events the previous run's sessions did not
 * hold) or when time alone churns them: their last activity was within the churn threshold of the
 * previous as-of instant and is beyond it now. Every other customer keeps their stored episodes and
 * journey, moved to the new as-of date ({@link StageEpisodes#asOf}, {@link CustomerJourneys#asOf}).
 */
public final class CustomersToRecompute {
  private CustomersToRecompute() {}

  /**
   * @param changed (customer_id): customers with events the stored journeys were not computed from (repeats allowed)
   * @param storedJourneys rows of {@code customer_journeys} as of the previous run
   * @return (customer_id), distinct
   */
  public static Dataset<Row> of(Dataset<Row> changed, Dataset<Row> storedJourneys, Instant asOf, Duration churnThreshold) {
    RequiredColumns.require(storedJourneys, CUSTOMER_ID, CustomerJourneysTable.IS_CHURNED,
        CustomerJourneysTable.LAST_ACTIVITY_AT);
    long churnMicros = churnThreshold.toNanos() / 1_000;
    // As in StageEpisodes: churned when the time since the last session's end exceeds the threshold.
    Dataset<Row> churningNow = storedJourneys
        .where(not(col(CustomerJourneysTable.IS_CHURNED))
            .and(lit(asOf.getEpochSecond() * 1_000_000L).minus(unix_micros(col(CustomerJourneysTable.LAST_ACTIVITY_AT)))
                .gt(churnMicros)))
        .select(CUSTOMER_ID);
    return changed.select(CUSTOMER_ID).unionByName(churningNow).distinct();
  }
}
