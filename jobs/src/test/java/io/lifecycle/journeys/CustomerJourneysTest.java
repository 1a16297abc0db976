package io.lifecycle.journeys;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.CustomerJourneysTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomerJourneysTest {

  @Test
  void oneRowPerCustomerWithPathCurrentStageSkipsMovesBackAndReactivation() {
    SharedSpark.get();
    // customer|path|episodes|current|since|days|highest|skipped|back|non-linear|churned|reactivations|reactivated
    // |first seen|last activity|first purchase|acquisition month|channel|sessions|events|revenue|run date
    assertEquals(List.of(
            "a|AWARENESS>CONVERSION>CONSIDERATION>CHURNED>RETENTION|5|RETENTION|2024-05-20T00:00:00Z|12|RETENTION|3|1|true|false|1|true"
                + "|2024-01-01T00:00:00Z|2024-05-20T00:20:00Z|2024-01-03T00:10:00Z|2024-01-01|email|5|12|70.0|2024-06-01",
            "b|AWARENESS>CONSIDERATION>CHURNED|3|CHURNED|2024-04-01T00:00:00Z|61|CONSIDERATION|0|0|false|true|0|false"
                + "|2024-03-01T00:00:00Z|2024-03-02T00:00:00Z|null|2024-03-01|null|2|2|0.0|2024-06-01",
            "c|CONVERSION|1|CONVERSION|2024-04-02T00:00:00Z|60|CONVERSION|2|0|true|false|0|false"
                + "|2024-04-02T00:00:00Z|2024-05-02T00:00:00Z|2024-04-02T00:00:00Z|2024-04-01|ads|2|2|9.5|2024-06-01",
            "d|AWARENESS>CHURNED>AWARENESS>CHURNED|4|CHURNED|2024-03-31T00:00:00Z|62|AWARENESS|0|0|false|true|1|true"
                + "|2024-01-01T00:00:00Z|2024-03-01T00:00:00Z|null|2024-01-01|email|2|2|0.0|2024-06-01"),
        TestSupport.rows(CustomerJourneysTable.DEF.conform(JourneyFixtures.journeys())));
  }
}
