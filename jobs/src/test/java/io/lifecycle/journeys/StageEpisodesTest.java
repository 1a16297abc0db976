package io.lifecycle.journeys;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.CustomerStageHistoryTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageEpisodesTest {

  @Test
  void episodesShowSkipsMovesBackChurnAndReactivation() {
    SharedSpark.get();
    // customer|#|stage|previous|move|skipped|entered|left|last activity|days|sessions|events|revenue|reactivation|current|run date
    assertEquals(List.of(
            "a|1|AWARENESS|null|START|0|2024-01-01T00:00:00Z|2024-01-03T00:00:00Z|2024-01-02T00:05:00Z|2.0|2|5|0.0|false|false|2024-06-01",
            "a|2|CONVERSION|AWARENESS|SKIP|1|2024-01-03T00:00:00Z|2024-01-10T00:00:00Z|2024-01-03T00:30:00Z|7.0|1|4|50.0|false|false|2024-06-01",
            "a|3|CONSIDERATION|CONVERSION|BACK|0|2024-01-10T00:00:00Z|2024-02-09T00:00:00Z|2024-01-10T00:00:00Z|30.0|1|1|0.0|false|false|2024-06-01",
            "a|4|CHURNED|CONSIDERATION|CHURN|0|2024-02-09T00:00:00Z|2024-05-20T00:00:00Z|null|101.0|0|0|0.0|false|false|2024-06-01",
            "a|5|RETENTION|CHURNED|SKIP|2|2024-05-20T00:00:00Z|null|2024-05-20T00:20:00Z|12.0|1|2|20.0|true|true|2024-06-01",
            "b|1|AWARENESS|null|START|0|2024-03-01T00:00:00Z|2024-03-02T00:00:00Z|2024-03-01T00:00:00Z|1.0|1|1|0.0|false|false|2024-06-01",
            "b|2|CONSIDERATION|AWARENESS|FORWARD|0|2024-03-02T00:00:00Z|2024-04-01T00:00:00Z|2024-03-02T00:00:00Z|30.0|1|1|0.0|false|false|2024-06-01",
            "b|3|CHURNED|CONSIDERATION|CHURN|0|2024-04-01T00:00:00Z|null|null|61.0|0|0|0.0|false|true|2024-06-01",
            // c: the stageless session before the first staged one is not part of the journey; the one
            // exactly 30 days later is not churn and stays in CONVERSION; nor is the run date 30 days on.
            "c|1|CONVERSION|null|START|2|2024-04-02T00:00:00Z|null|2024-05-02T00:00:00Z|60.0|2|2|9.5|false|true|2024-06-01",
            "d|1|AWARENESS|null|START|0|2024-01-01T00:00:00Z|2024-01-31T00:00:00Z|2024-01-01T00:00:00Z|30.0|1|1|0.0|false|false|2024-06-01",
            "d|2|CHURNED|AWARENESS|CHURN|0|2024-01-31T00:00:00Z|2024-03-01T00:00:00Z|null|30.0|0|0|0.0|false|false|2024-06-01",
            "d|3|AWARENESS|CHURNED|SAME|0|2024-03-01T00:00:00Z|2024-03-31T00:00:00Z|2024-03-01T00:00:00Z|30.0|1|1|0.0|true|false|2024-06-01",
            "d|4|CHURNED|AWARENESS|CHURN|0|2024-03-31T00:00:00Z|null|null|62.0|0|0|0.0|false|true|2024-06-01"),
        TestSupport.rows(CustomerStageHistoryTable.DEF.conform(JourneyFixtures.episodes())));
  }

  /**
   * Sessions before the first staged one count nowhere, however long before it they were (no CHURNED
   * episode, no totals); a stageless session inside the journey counts in its episode, revenue included.
   */
  @Test
  void sessionsBeforeTheJourneyCountNowhereAndStagelessOnesInsideItCount() {
    var sessions = SharedSpark.get().createDataFrame(List.of(
        JourneyFixtures.s("e", "2024-01-01T00:00:00Z", "2024-01-01T00:10:00Z", 4, 5.0, null, "email", null),
        JourneyFixtures.s("e", "2024-03-01T00:00:00Z", "2024-03-01T00:20:00Z", 1, 0, "AWARENESS", null, null),
        JourneyFixtures.s("e", "2024-03-05T00:00:00Z", "2024-03-05T00:00:00Z", 2, 2.5, null, null, null),
        JourneyFixtures.s("e", "2024-03-06T00:00:00Z", "2024-03-06T00:00:00Z", 1, 0.25, "CONSIDERATION", null, null)),
        JourneyFixtures.SESSIONS);
    assertEquals(List.of(
            "e|1|AWARENESS|null|START|0|2024-03-01T00:00:00Z|2024-03-06T00:00:00Z|2024-03-05T00:00:00Z|5.0|2|3|2.5|false|false|2024-06-01",
            "e|2|CONSIDERATION|AWARENESS|FORWARD|0|2024-03-06T00:00:00Z|2024-04-05T00:00:00Z|2024-03-06T00:00:00Z|30.0|1|1|0.25|false|false|2024-06-01",
            "e|3|CHURNED|CONSIDERATION|CHURN|0|2024-04-05T00:00:00Z|null|null|57.0|0|0|0.0|false|true|2024-06-01"),
        TestSupport.rows(CustomerStageHistoryTable.DEF.conform(
            new StageEpisodes(JourneyFixtures.MODEL, JourneyFixtures.CHURN, JourneyFixtures.AS_OF).episodes(sessions))));
  }
}
