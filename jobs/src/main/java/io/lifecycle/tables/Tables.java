package io.lifecycle.tables;

import java.util.List;

/** Every table the pipeline writes, in pipeline order: the source of the contract file and the README list. */
public final class Tables {
  private Tables() {}

  public static List<TableDef> all() {
    return List.of(
        EventsTable.DEF,
        QuarantineTable.DEF,
        IdentityMapTable.DEF,
        SessionsTable.DEF,
        CustomerStageHistoryTable.DEF,
        CustomerJourneysTable.DEF,
        StageTransitionsTable.DEF,
        StageFunnelTable.DEF,
        CohortRetentionTable.DEF,
        ChurnRatesTable.DEF,
        CohortSurvivalTable.DEF,
        LifecycleStatusTable.DEF,
        ActivitySummaryTable.DEF,
        RetentionDriversTable.DEF,
        CustomerValueTable.DEF,
        CustomerForecastTable.DEF,
        ClvModelsTable.DEF,
        ClvHoldoutTable.DEF,
        ClvForecastTable.DEF,
        SegmentValueTable.DEF,
        ChannelAttributionTable.DEF,
        ModelMetricsTable.DEF,
        ModelFeaturesTable.DEF,
        ChurnPredictionsTable.DEF,
        NextStagePredictionsTable.DEF,
        ModelDriftTable.DEF,
        RunLogTable.DEF,
        BenchmarksTable.DEF);
  }

  public static TableDef byName(String name) {
    return all().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown table " + name));
  }
}
