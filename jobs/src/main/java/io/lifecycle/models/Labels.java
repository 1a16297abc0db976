package io.lifecycle.models;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.StageModel;
import io.lifecycle.tables.Columns;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What happened after a cutoff, for training and honest evaluation. Churn: the customer, active at the
 * cutoff (some activity within the churn threshold before it), has no activity (or, when configured, no
 * purchase) in the horizon after it. Next stage: the most advanced stage of the customer's first session
 * after the cutoff within the horizon (the stage of the first stage episode), or CHURNED when there is
 * none. Needs the data to reach cutoff + horizon: callers only label cutoffs that old.
 */
public final class Labels {
  public static final String CHURN = "churn_label";
  public static final String NEXT_STAGE = "next_stage_label";
  public static final String ACTIVE_AT_CUTOFF = "active_at_cutoff";

  private final LifecycleConfig config;

  public Labels(LifecycleConfig config) {
    this.config = config;
  }

  /** {@link #label(Dataset, Dataset, Dataset, List)} at one cutoff. */
  public Dataset<Row> label(Dataset<Row> events, Dataset<Row> firstSessionStageAfter, Dataset<Row> features, LocalDate cutoff) {
    return label(events, firstSessionStageAfter, features, List.of(cutoff));
  }

  /**
   * @param events canonical events
   * @param firstSessionStageAfter per customer and cutoff, the stage of the first session in the horizon
   * @param features the features at these cutoffs (for recency), one row per customer and cutoff
   */
  public Dataset<Row> label(Dataset<Row> events, Dataset<Row> firstSessionStageAfter, Dataset<Row> features,
      List<LocalDate> cutoffs) {
    long horizonDays = config.models().churnHorizon().toDays();
    Column time = col(Columns.EVENT_TIME);
    Dataset<Row> inHorizons = events.where(time.geq(lit(PointInTimeFeatures.start(java.util.Collections.min(cutoffs))))
        .and(time.lt(lit(PointInTimeFeatures.start(java.util.Collections.max(cutoffs).plusDays(horizonDays))))));
    Column activity = time.geq(col(PointInTimeFeatures.CUT_START)).and(time.lt(col(PointInTimeFeatures.CUT_END)));
    if (config.models().churnActivity() == LifecycleConfig.Models.ChurnActivity.PURCHASE) {
      activity = activity.and(col(Columns.EVENT_TYPE).isin(config.stages().purchaseEventTypes().toArray()));
    }
    Dataset<Row> active = PointInTimeFeatures.atCutoffs(inHorizons.select(Columns.CUSTOMER_ID, Columns.EVENT_TIME, Columns.EVENT_TYPE),
            cutoffs, horizonDays)
        .where(activity).select(Columns.CUSTOMER_ID, PointInTimeFeatures.CUTOFF).distinct().withColumn("_active_after", lit(true));
    double thresholdDays = config.churnThreshold().toSeconds() / 86400.0;
    List<Column> out = new ArrayList<>();
    for (String c : features.columns()) {
      out.add(col(c));
    }
    out.add(col("recency_days").leq(thresholdDays).as(ACTIVE_AT_CUTOFF));
    out.add(when(col("_active_after").isNull(), 1.0).otherwise(0.0).as(CHURN));
    out.add(coalesce(col("_next_stage"), lit(StageModel.CHURNED)).as(NEXT_STAGE));
    String[] keys = {Columns.CUSTOMER_ID, PointInTimeFeatures.CUTOFF};
    return features
        .join(active, keys, "left")
        .join(firstSessionStageAfter, keys, "left")
        .select(out.toArray(Column[]::new));
  }
}
