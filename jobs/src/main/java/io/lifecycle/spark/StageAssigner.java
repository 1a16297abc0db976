package io.lifecycle.spark;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.StageModel;
import io.lifecycle.config.StageRule;
import io.lifecycle.tables.Columns;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Assigns each event its lifecycle stage by the stage model's rules, which may depend on whether the
 * customer had purchased before the event. The rules become one CASE expression; the first purchase
 * time comes from a window over the customer's events (no join, no UDF).
 */
public final class StageAssigner {
  public static final String FIRST_PURCHASE_TIME = "_first_purchase_time";

  private final StageModel model;

  public StageAssigner(StageModel model) {
    this.model = model;
  }

  /** Adds {@code stage}; expects canonical events (customer_id, event_time, event_type). */
  public Dataset<Row> assign(Dataset<Row> events) {
    Column isPurchase = col(Columns.EVENT_TYPE).isin(model.purchaseEventTypes().toArray());
    Column firstPurchase = min(when(isPurchase, col(Columns.EVENT_TIME))).over(Window.partitionBy(Columns.CUSTOMER_ID));
    return events
        .withColumn(FIRST_PURCHASE_TIME, firstPurchase)
        .withColumn(Columns.STAGE, stageExpression(col(FIRST_PURCHASE_TIME)))
        .drop(FIRST_PURCHASE_TIME);
  }

  /** The rules as one CASE WHEN, given the customer's first purchase time (null: never purchased). */
  public Column stageExpression(Column firstPurchaseTime) {
    Column time = col(Columns.EVENT_TIME);
    Column type = col(Columns.EVENT_TYPE);
    Column stage = lit(null).cast("string");
    for (int i = model.rules().size() - 1; i >= 0; i--) {
      StageRule rule = model.rules().get(i);
      Column condition = switch (rule.when()) {
        case ANY -> lit(true);
        case BEFORE_FIRST_PURCHASE -> firstPurchaseTime.isNull().or(time.lt(firstPurchaseTime));
        case FIRST_PURCHASE -> time.equalTo(firstPurchaseTime);
        case AFTER_FIRST_PURCHASE -> time.geq(firstPurchaseTime);
        case REPEAT_PURCHASE -> time.gt(firstPurchaseTime);
      };
      stage = when(type.isin(rule.eventTypes().toArray()).and(coalesce(condition, lit(false))), lit(rule.stage()))
          .otherwise(stage);
    }
    return stage;
  }
}
