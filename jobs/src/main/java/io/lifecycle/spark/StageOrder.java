package io.lifecycle.spark;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.StageModel;
import org.apache.spark.sql.Column;

/**
 * The stage model's order as column expressions: a stage's 1-based rank and back, so "most advanced"
 * is a plain {@code max} and skips are rank differences. Built from the config, so a different model
 * needs no code change.
 */
public final class StageOrder {
  /** Stage sets are bits of a long: rank 1..62. */
  public static final int MAX_STAGES = 62;

  private final StageModel model;

  public StageOrder(StageModel model) {
    if (model.order().size() > MAX_STAGES) {
      throw new IllegalArgumentException("at most " + MAX_STAGES + " stages are supported, the model has " + model.order().size());
    }
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

  /**
   * A stage as one bit of a long (bit {@code rank}); 0 for null or a stage outside the model. OR-ing
   * the bits of a session's events gives the set of stages seen (the sessionizer's pass names them).
   */
  public Column bit(Column stage) {
    Column bit = lit(0L);
    for (int rank = model.order().size(); rank >= 1; rank--) {
      bit = when(stage.equalTo(model.order().get(rank - 1)), lit(1L << rank)).otherwise(bit);
    }
    return bit;
  }
}
