package io.lifecycle.journeys;

import static io.lifecycle.tables.StageTransitionsTable.*;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.tables.StageTransitionsTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class StageTransitionsTest {

  private Dataset<Row> transitions() {
    SharedSpark.get();
    return StageTransitionsTable.DEF.conform(new StageTransitions(JourneyFixtures.RUN_DATE).transitions(JourneyFixtures.episodes()));
  }

  @Test
  void overallAndMonthlyTransitionsWithChurnCountsProbabilitiesAndTimes() {
    // period|start|from|to|customers|transitions|probability|median days|p90 days|run date
    assertEquals(List.of(
            "ALL|null|AWARENESS|CHURNED|1|2|0.5|30.0|30.0|2024-06-01",
            "ALL|null|AWARENESS|CONSIDERATION|1|1|0.25|1.0|1.0|2024-06-01",
            "ALL|null|AWARENESS|CONVERSION|1|1|0.25|2.0|2.0|2024-06-01",
            "ALL|null|CHURNED|AWARENESS|1|1|0.5|30.0|30.0|2024-06-01",
            "ALL|null|CHURNED|RETENTION|1|1|0.5|101.0|101.0|2024-06-01",
            "ALL|null|CONSIDERATION|CHURNED|2|2|1.0|30.0|30.0|2024-06-01",
            "ALL|null|CONVERSION|CONSIDERATION|1|1|1.0|7.0|7.0|2024-06-01",
            "MONTH|2024-01-01|AWARENESS|CHURNED|1|1|0.5|30.0|30.0|2024-06-01",
            "MONTH|2024-01-01|AWARENESS|CONVERSION|1|1|0.5|2.0|2.0|2024-06-01",
            "MONTH|2024-01-01|CONVERSION|CONSIDERATION|1|1|1.0|7.0|7.0|2024-06-01",
            "MONTH|2024-02-01|CONSIDERATION|CHURNED|1|1|1.0|30.0|30.0|2024-06-01",
            "MONTH|2024-03-01|AWARENESS|CHURNED|1|1|0.5|30.0|30.0|2024-06-01",
            "MONTH|2024-03-01|AWARENESS|CONSIDERATION|1|1|0.5|1.0|1.0|2024-06-01",
            "MONTH|2024-03-01|CHURNED|AWARENESS|1|1|1.0|30.0|30.0|2024-06-01",
            "MONTH|2024-04-01|CONSIDERATION|CHURNED|1|1|1.0|30.0|30.0|2024-06-01",
            "MONTH|2024-05-01|CHURNED|RETENTION|1|1|1.0|101.0|101.0|2024-06-01"),
        TestSupport.rows(transitions()));
  }

  @Test
  void probabilitiesOfEachFromStageSumToOne() {
    List<String> sums = TestSupport.rows(transitions()
        .groupBy(PERIOD_TYPE, PERIOD_START, FROM_STAGE)
        .agg(round(sum(PROBABILITY), 12).as("total"))
        .select("total").distinct());
    assertEquals(List.of("1.0"), sums);
  }
}
