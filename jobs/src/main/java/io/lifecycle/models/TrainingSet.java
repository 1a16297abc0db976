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

  /** The labelled examples of every cutoff, features and labels each computed in one pass for all cutoffs. */
  public Dataset<Row> build(Dataset<Row> events, Dataset<Row> sessions, LocalDate runDate) {
    List<LocalDate> cutoffs = cutoffs(runDate);
    Dataset<Row> features = new PointInTimeFeatures(config).build(events, cutoffs);
    return new Labels(config).label(events, firstSessionStageAfter(sessions, cutoffs), features, cutoffs)
        .where(col(Labels.ACTIVE_AT_CUTOFF))
        .withColumn(SPLIT, isTest(col(Columns.CUSTOMER_ID)));
  }

  /** Stage of each customer's first session starting in [cutoff, cutoff + horizon). */
  Dataset<Row> firstSessionStageAfter(Dataset<Row> sessions, LocalDate cutoff) {
    return firstSessionStageAfter(sessions, List.of(cutoff));
  }

  /** Per customer and cutoff, the stage of the first session starting in [cutoff, cutoff + horizon). */
  Dataset<Row> firstSessionStageAfter(Dataset<Row> sessions, List<LocalDate> cutoffs) {
    long horizonDays = config.models().churnHorizon().toDays();
    Column start = col(io.lifecycle.tables.SessionsTable.SESSION_START);
    Dataset<Row> inHorizons = sessions.where(col(Columns.STAGE).isNotNull()
        .and(start.geq(lit(PointInTimeFeatures.start(java.util.Collections.min(cutoffs)))))
        .and(start.lt(lit(PointInTimeFeatures.start(java.util.Collections.max(cutoffs).plusDays(horizonDays))))))
        .select(col(Columns.CUSTOMER_ID), start, col(Columns.STAGE));
    return PointInTimeFeatures.atCutoffs(inHorizons, cutoffs, horizonDays)
        .where(start.geq(col(PointInTimeFeatures.CUT_START)).and(start.lt(col(PointInTimeFeatures.CUT_END))))
        .groupBy(Columns.CUSTOMER_ID, PointInTimeFeatures.CUTOFF)
        .agg(min_by(col(Columns.STAGE), start).as("_next_stage"));
  }

  /**
   * The share of customers to train on: all of them up to {@code models.max_training_customers}, else
   * that many of the {@code customers} (an estimate is enough: the sample is about that size).
   */
  public double sampleFraction(long customers) {
    return customers <= config.models().maxTrainingCustomers() ? 1.0 : (double) config.models().maxTrainingCustomers() / customers;
  }

  /**
   * Whether a customer is in the training sample of the given fraction: a hash of the id and the seed,
   * independent of the train/test split's, so a customer is in or out on every run and at every cutoff,
   * and a smaller fraction's sample is part of a larger one's.
   */
  Column inSample(Column customerId, double fraction) {
    long threshold = Math.round(fraction * SAMPLE_BUCKETS);
    return pmod(xxhash64(customerId, lit(config.models().seed()), lit("training-sample")), lit(SAMPLE_BUCKETS)).lt(threshold);
  }

  private static final long SAMPLE_BUCKETS = 1_000_000L;

  /** The rows of the sampled customers; all rows when the fraction is 1. */
  public Dataset<Row> sample(Dataset<Row> rows, double fraction) {
    return fraction >= 1.0 ? rows : rows.where(inSample(col(Columns.CUSTOMER_ID), fraction));
  }

  /** The held-out side, by a hash of the customer and the seed: stable across runs and cutoffs. */
  Column isTest(Column customerId) {
    int threshold = (int) Math.round(config.models().testFraction() * 1000);
    return pmod(xxhash64(customerId, lit(config.models().seed())), lit(1000)).lt(threshold);
  }
}
