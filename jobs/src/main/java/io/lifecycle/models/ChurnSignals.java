package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.stats.CustomerSummary;
import io.lifecycle.stats.ModelFits;
import io.lifecycle.stats.PurchaseModel;
import io.lifecycle.stats.SummaryPredictions;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.RfmSummary;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerValueTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Adds the BG/NBD signals to the features at each cutoff: the model is fitted on the purchases before
 * that cutoff only (no leakage), then P(alive) and the expected purchases over the CLV horizon are looked
 * up per customer. Customers who never purchased get P(alive) 0.5 and 0 expected purchases (the model
 * says nothing about them); the BG/NBD churn baseline is 1 - P(alive).
 */
public final class ChurnSignals {
  private final LifecycleConfig config;

  public ChurnSignals(LifecycleConfig config) {
    this.config = config;
  }

  public Dataset<Row> addBgNbd(Dataset<Row> features, Dataset<Row> events, List<LocalDate> cutoffs) {
    Dataset<Row> signals = null;
    for (LocalDate cutoff : cutoffs) {
      Dataset<Row> summary = summary(events, cutoff);
      RfmSummary triples = ModelFits.triples(summary);
      if (triples.size() == 0) {
        continue;
      }
      ModelFits.Fit<BgNbdModel> fit = ModelFits.bgNbd(triples);
      if (!fit.usable()) {
        continue;
      }
      Dataset<Row> s = signals(summary, cutoff, fit.fit().model());
      signals = signals == null ? s : signals.unionByName(s);
    }
    return withSignals(features, signals);
  }

  /**
   * The signals at one cutoff from a model already fitted there on every customer's purchases (the clv
   * step's fit, reused in the same run: {@link ModelFits#BG_NBD_AT_RUN_DATE}). A customer's summary
   * depends on their own events only, so {@code events} need hold only the featured customers' events.
   */
  public Dataset<Row> addBgNbd(Dataset<Row> features, Dataset<Row> events, LocalDate cutoff, BgNbdModel fitted) {
    return withSignals(features, signals(summary(events, cutoff), cutoff, fitted));
  }

  private Dataset<Row> summary(Dataset<Row> events, LocalDate cutoff) {
    return CustomerSummary.of(events, config.stages().purchaseEventTypes(), cutoff.minusDays(1), config.clv().timeUnit());
  }

  private Dataset<Row> signals(Dataset<Row> summary, LocalDate cutoff, BgNbdModel model) {
    Dataset<Row> perSummary = SummaryPredictions.aliveAndExpected(summary, SummaryPredictions.units(config.clv(), config.clv().horizonMonths()),
        PurchaseModel.of(model));
    return summary.join(perSummary,
            new String[] {CustomerSummary.FREQUENCY, CustomerSummary.RECENCY, CustomerSummary.AGE})
        .select(col(Columns.CUSTOMER_ID), lit(Date.valueOf(cutoff)).as(PointInTimeFeatures.CUTOFF),
            col(CustomerValueTable.P_ALIVE).as("_p_alive"), col(CustomerValueTable.EXPECTED_PURCHASES).as("_expected"));
  }

  private static Dataset<Row> withSignals(Dataset<Row> features, Dataset<Row> signals) {
    Dataset<Row> joined = signals == null
        ? features.withColumn("_p_alive", lit(null).cast("double")).withColumn("_expected", lit(null).cast("double"))
        : features.join(signals, new String[] {Columns.CUSTOMER_ID, PointInTimeFeatures.CUTOFF}, "left");
    return joined
        .withColumn(PointInTimeFeatures.P_ALIVE, coalesce(col("_p_alive"), lit(0.5)))
        .withColumn(PointInTimeFeatures.EXPECTED_PURCHASES, coalesce(col("_expected"), lit(0.0)))
        .drop("_p_alive", "_expected");
  }
}
