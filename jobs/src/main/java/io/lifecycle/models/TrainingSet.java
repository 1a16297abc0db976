package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.Columns;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Labelled examples from several cutoffs before the run date (each at least one horizon old, so its
 * labels are fully observed), of the customers active at each cutoff, split into train and test by
 * customer: a customer is on one side only, whatever the cutoff.
 */
public final class TrainingSet {
  public static final String SPLIT = "_test";

  private final LifecycleConfig config;

  public TrainingSet(LifecycleConfig config) {
    this.config = config;
  }

  /** Cutoffs from the newest (run date - horizon) back by the configured step. */
  public List<LocalDate> cutoffs(LocalDate runDate) {
    List<LocalDate> cutoffs = new ArrayList<>();
    LocalDate newest = runDate.minusDays(config.models().churnHorizon().toDays());
    for (int k = 0; k <= config.models().rollingCutoffs(); k++) {
      cutoffs.add(newest.minusDays(k * config.models().cutoffStep().toDays()));
    }
    return cutoffs;
  }

  public Dataset<Row> build(Dataset<Row> events, Dataset<Row> sessions, LocalDate runDate) {
    PointInTimeFeatures features = new PointInTimeFeatures(config);
    Labels labels = new Labels(config);
    Dataset<Row> all = null;
    for (LocalDate cutoff : cutoffs(runDate)) {
      Dataset<Row> f = features.build(events, cutoff);
      Dataset<Row> labelled = labels.label(events, firstSessionStageAfter(sessions, cutoff), f, cutoff)
          .where(col(Labels.ACTIVE_AT_CUTOFF));
      all = all == null ? labelled : all.unionByName(labelled);
    }
    return all.withColumn(SPLIT, isTest(col(Columns.CUSTOMER_ID)));
  }

  /** Stage of each customer's first session starting in [cutoff, cutoff + horizon). */
  Dataset<Row> firstSessionStageAfter(Dataset<Row> sessions, LocalDate cutoff) {
    Column start = col(io.lifecycle.tables.SessionsTable.SESSION_START);
    Column from = lit(PointInTimeFeatures.start(cutoff));
    Column to = lit(PointInTimeFeatures.start(cutoff.plusDays(config.models().churnHorizon().toDays())));
    return sessions.where(start.geq(from).and(start.lt(to)).and(col(Columns.STAGE).isNotNull()))
        .groupBy(Columns.CUSTOMER_ID)
        .agg(min_by(col(Columns.STAGE), start).as("_next_stage"));
  }

  /** The held-out side, by a hash of the customer and the seed: stable across runs and cutoffs. */
  Column isTest(Column customerId) {
    int threshold = (int) Math.round(config.models().testFraction() * 1000);
    return pmod(xxhash64(customerId, lit(config.models().seed())), lit(1000)).lt(threshold);
  }
}
