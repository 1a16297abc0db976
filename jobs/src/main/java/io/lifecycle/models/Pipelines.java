package io.lifecycle.models;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;

/** The feature stages every model pipeline shares: index and one-hot the categorical features, assemble. */
final class Pipelines {
  static final String FEATURES = "features";
  static final String SCALED = "scaled_features";

  private Pipelines() {}

  static List<PipelineStage> featureStages(boolean scale) {
    List<String> indexed = PointInTimeFeatures.CATEGORICAL.stream().map(c -> "_" + c + "_idx").toList();
    List<String> encoded = PointInTimeFeatures.CATEGORICAL.stream().map(c -> "_" + c + "_ohe").toList();
    List<PipelineStage> stages = new ArrayList<>();
    stages.add(new StringIndexer().setInputCols(PointInTimeFeatures.CATEGORICAL.toArray(String[]::new))
        .setOutputCols(indexed.toArray(String[]::new)).setHandleInvalid("keep").setStringOrderType("alphabetAsc"));
    stages.add(new OneHotEncoder().setInputCols(indexed.toArray(String[]::new)).setOutputCols(encoded.toArray(String[]::new))
        .setHandleInvalid("keep"));
    List<String> inputs = new ArrayList<>(PointInTimeFeatures.NUMERIC);
    inputs.addAll(PointInTimeFeatures.BG_NBD);
    inputs.addAll(encoded);
    stages.add(new VectorAssembler().setInputCols(inputs.toArray(String[]::new)).setOutputCol(FEATURES).setHandleInvalid("keep"));
    if (scale) {
      stages.add(new StandardScaler().setInputCol(FEATURES).setOutputCol(SCALED).setWithMean(true).setWithStd(true));
    }
    return stages;
  }
}
