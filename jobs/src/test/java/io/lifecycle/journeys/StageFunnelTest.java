package io.lifecycle.journeys;

import static io.lifecycle.tables.Columns.*;
import static io.lifecycle.tables.StageFunnelTable.*;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.StageFunnelTable;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class StageFunnelTest {

  private static Dataset<Row> funnel;

  /** The funnel, computed once for the class: the assertions below query it many times. */
  private static synchronized Dataset<Row> funnel() {
    if (funnel == null) {
      SharedSpark.get();
      funnel = StageFunnelTable.DEF.conform(new StageFunnel(JourneyFixtures.MODEL, JourneyFixtures.RUN_DATE)
          .funnel(JourneyFixtures.journeys(), JourneyFixtures.episodes())).localCheckpoint();
    }
    return funnel;
  }

  private static List<String> cohort(Dataset<Row> funnel, String month, String channel) {
    return cohort(funnel.where(col(BREAKDOWN).equalTo(ALL_BREAKDOWNS)), month, channel, ALL_CHANNELS);
  }

  private static List<String> cohort(Dataset<Row> funnel, String month, String channel, String breakdownValue) {
    Column[] shown = {col(STAGE), col(STAGE_RANK), col(COHORT_CUSTOMERS), col(CUSTOMERS_ENTERED), col(ENTERED_RATE),
        col(CONVERSION_TO_NEXT), to_json(col(CONVERSION_TO_LATER)), col(DROP_OFF_CUSTOMERS), col(DROP_OFF_RATE),
        col(CHURNED_FROM_STAGE), col(MEDIAN_DAYS_IN_STAGE), col(NON_LINEAR_SHARE)};
    return TestSupport.rows(funnel
        .where(col(PERIOD_START).equalTo(lit(java.time.LocalDate.parse(month))).and(col(ACQUISITION_CHANNEL).equalTo(channel))
            .and(col(BREAKDOWN_VALUE).equalTo(breakdownValue)))
        .select(shown));
  }

  @Test
  void perStageKpisOfACohortWithSkipsBackMovesAndChurn() {
    Dataset<Row> funnel = funnel();
    // January, email: customers a (non-linear, reactivated into RETENTION) and d (AWARENESS, churned twice).
    // stage|rank|cohort|entered|entered rate|to next|to later|drop-off|drop-off rate|churned from|median days|non-linear share
    List<String> january = List.of(
        "ADVOCACY|6|2|0|0.0|null|{}|0|null|0|null|null",
        "AWARENESS|1|2|2|1.0|0.5|{\"CONSIDERATION\":0.5,\"CONVERSION\":0.5,\"EXPERIENCE\":0.0,\"RETENTION\":0.5,\"ADVOCACY\":0.0}|1|0.5|1|30.0|0.5",
        // a entered CONVERSION before CONSIDERATION: that does not count as converting from CONSIDERATION.
        "CONSIDERATION|2|2|1|0.5|0.0|{\"CONVERSION\":0.0,\"EXPERIENCE\":0.0,\"RETENTION\":1.0,\"ADVOCACY\":0.0}|0|0.0|1|30.0|1.0",
        "CONVERSION|3|2|1|0.5|0.0|{\"EXPERIENCE\":0.0,\"RETENTION\":1.0,\"ADVOCACY\":0.0}|0|0.0|0|7.0|1.0",
        "EXPERIENCE|4|2|0|0.0|null|{\"RETENTION\":null,\"ADVOCACY\":null}|0|null|0|null|null",
        "RETENTION|5|2|1|0.5|0.0|{\"ADVOCACY\":0.0}|1|1.0|0|null|1.0");
    assertEquals(january, cohort(funnel, "2024-01-01", "email"));
    assertEquals(january, cohort(funnel, "2024-01-01", ALL_CHANNELS));
    // March: b, whose first session has no channel.
    assertEquals(List.of(
            "ADVOCACY|6|1|0|0.0|null|{}|0|null|0|null|null",
            "AWARENESS|1|1|1|1.0|1.0|{\"CONSIDERATION\":1.0,\"CONVERSION\":0.0,\"EXPERIENCE\":0.0,\"RETENTION\":0.0,\"ADVOCACY\":0.0}|0|0.0|0|1.0|0.0",
            "CONSIDERATION|2|1|1|1.0|0.0|{\"CONVERSION\":0.0,\"EXPERIENCE\":0.0,\"RETENTION\":0.0,\"ADVOCACY\":0.0}|1|1.0|1|30.0|0.0",
            "CONVERSION|3|1|0|0.0|null|{\"EXPERIENCE\":null,\"RETENTION\":null,\"ADVOCACY\":null}|0|null|0|null|null",
            "EXPERIENCE|4|1|0|0.0|null|{\"RETENTION\":null,\"ADVOCACY\":null}|0|null|0|null|null",
            "RETENTION|5|1|0|0.0|null|{\"ADVOCACY\":null}|0|null|0|null|null"),
        cohort(funnel, "2024-03-01", UNKNOWN_CHANNEL));
    // Cohorts: Jan/email, Mar/(unknown), Apr/ads, each also as (all): 6 cohorts x 6 stages.
    assertEquals(36, funnel.count());
    assertEquals(List.of("2024-01-01|(all)", "2024-01-01|email", "2024-03-01|(all)", "2024-03-01|(unknown)", "2024-04-01|(all)", "2024-04-01|ads"),
        TestSupport.rows(funnel.select(PERIOD_START, ACQUISITION_CHANNEL).distinct()));
    assertEquals(List.of("2024-06-01"), TestSupport.rows(funnel.select(RUN_DATE).distinct()));
  }

  /**
   * A breakdown's rows are the funnel of the customers with each value, over all channels: a and d
   * (January) are 'gold', b (March) 'silver', c (April) has no value. Each value holds one cohort's
   * customers here, so its rows equal that cohort's rows over all channels.
   */
  @Test
  void aBreakdownSplitsTheFunnelByTheCustomersValues() {
    var spark = SharedSpark.get();
    io.lifecycle.spark.CustomerBreakdowns breakdowns =
        new io.lifecycle.spark.CustomerBreakdowns(TestSupport.config("lifecycle.cohorts.breakdowns = [acquisition_channel]"));
    Dataset<Row> values = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("a", "gold"),
            org.apache.spark.sql.RowFactory.create("d", "gold"), org.apache.spark.sql.RowFactory.create("b", "silver")),
        new org.apache.spark.sql.types.StructType().add(CUSTOMER_ID, "string").add(io.lifecycle.spark.CustomerBreakdowns.column(0), "string"));
    Dataset<Row> split = StageFunnelTable.DEF.conform(new StageFunnel(JourneyFixtures.MODEL, JourneyFixtures.RUN_DATE, breakdowns, values)
        .funnel(JourneyFixtures.journeys(), JourneyFixtures.episodes())).localCheckpoint();
    Dataset<Row> plain = funnel();
    for (String[] c : new String[][] {{"2024-01-01", "gold"}, {"2024-03-01", "silver"}, {"2024-04-01", "(unknown)"}}) {
      List<String> whole = cohort(plain, c[0], ALL_CHANNELS);
      assertEquals(6, whole.size());
      assertEquals(whole, cohort(split.where(col(BREAKDOWN).equalTo("acquisition_channel")), c[0], ALL_CHANNELS, c[1]));
    }
    assertEquals(36 + 18, split.count());
    assertEquals(TestSupport.rows(plain), TestSupport.rows(split.where(col(BREAKDOWN).equalTo(ALL_BREAKDOWNS))));
  }
}
