package io.lifecycle.sessions;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.StageModel;
import org.apache.spark.sql.Column;

/**
 * The stage model's order as column expressions: a stage's 1-based rank and back, so "most advanced"
 * is a plain {@code max} and skips are rank differences. Built from the config, so a different model
 * needs no code change.
 */
public final class StageOrder {
  private final StageModel model;

  public StageOrder(StageModel model) {
    this.model = model;
  }

  public StageModel model() {
    return model;
  }

  /** The model's stages, earliest first, as an array literal. */
  public Column stages() {
    return array(model.order().stream().map(s -> lit(s)).toArray(Column[]::new));
  }

  /** 1-based rank of a stage in the model's order (int); null for null or a stage outside the model (CHURNED). */
  public Column rank(Column stage) {
    return nullif(array_position(stages(), stage), lit(0L)).cast("int");
  }

  /** The stage of a rank; null for null or out of range. */
  public Column name(Column rank) {
    return when(rank.between(1, model.order().size()), element_at(stages(), rank.cast("int")));
  }

  /** Stage names of an array of ranks, sorted by rank (nulls and duplicates dropped). */
  public Column namesInOrder(Column ranks) {
    return transform(array_sort(array_distinct(filter(ranks, r -> r.isNotNull()))), r -> element_at(stages(), r));
  }
}
