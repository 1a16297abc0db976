package io.lifecycle.report;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Series;
import io.lifecycle.tables.ChurnPredictionsTable;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.ModelMetricsTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/**
 * The churn and next-stage models in use: the churn model's ROC and calibration beside its baselines, every
 * model's metrics, and the run's churn risk tiers. The query reads model_metrics as each model's metric map (a
 * few hundred numbers) and one row per risk tier; the renderer picks the ROC points and calibration deciles
 * out of the maps.
 */
final class ModelsSection {
  private ModelsSection() {}

  /**
   * @param runDate the report's run date
   * @param trained the run date the models in use were trained for (the run date, or an earlier one when
   *     training was skipped)
   * @param evaluation the models' metrics for that date, or the note that there are none
   */
  record Models(LocalDate runDate, LocalDate trained, Part<Evaluation> evaluation) {}

  /**
   * @param churn the churn models, the trained ones first, each by name
   * @param nextStage the next-stage models, by name
   * @param tiers customers per churn risk tier scored at the run date, the largest first
   */
  record Evaluation(List<Model> churn, List<Model> nextStage, List<RiskTier> tiers) {}

  /** @param metrics value per metric name of {@link ModelMetricsTable}, NaN where the value is missing */
  record Model(String name, boolean baseline, Map<String, Double> metrics) {}

  record RiskTier(String tier, long customers, double meanProbability) {}

  static Part<Models> query(ReportTables tables) {
    LocalDate runDate = tables.runDate();
    return tables.query(ModelMetricsTable.DEF, "the model evaluation (run the train step)", metrics -> {
      // The evaluation of the models in use: those trained for the run date, or for the latest date
      // before it when training was skipped (models.retrain_every). One aggregate row.
      Row latest = metrics.where(col(Columns.RUN_DATE).leq(lit(Date.valueOf(runDate)))).agg(max(col(Columns.RUN_DATE))).head();
      LocalDate trained = latest.isNullAt(0) ? runDate : latest.<LocalDate>getAs(0);
      // Bounded by models x metrics (a few hundred numbers).
      List<Row> rows = metrics.where(col(Columns.RUN_DATE).equalTo(lit(Date.valueOf(trained))))
          .select(ModelMetricsTable.TASK, ModelMetricsTable.MODEL, ModelMetricsTable.IS_BASELINE, ModelMetricsTable.METRIC,
              ModelMetricsTable.VALUE)
          .collectAsList();
      if (rows.isEmpty()) {
        return Part.of(new Models(runDate, trained, Part.missing("Table model_metrics has no rows for run date " + runDate
            + ": the models were not trained in this run, so there are no ROC or calibration curves (run the train step).")));
      }
      Map<String, Map<String, Double>> churn = new TreeMap<>();
      Map<String, Map<String, Double>> stage = new TreeMap<>();
      Map<String, Boolean> baseline = new LinkedHashMap<>();
      for (Row r : rows) {
        Map<String, Map<String, Double>> target = ModelMetricsTable.TASK_CHURN.equals(r.getString(0)) ? churn : stage;
        target.computeIfAbsent(r.getString(1), k -> new LinkedHashMap<>())
            .put(r.getString(3), r.isNullAt(4) ? Double.NaN : r.getDouble(4));
        baseline.put(r.getString(1), r.getBoolean(2));
      }
      List<String> churnModels = new ArrayList<>(churn.keySet());
      churnModels.sort(Comparator.comparing((String m) -> baseline.get(m)).thenComparing(m -> m));
      return Part.of(new Models(runDate, trained, Part.of(new Evaluation(
          churnModels.stream().map(m -> new Model(m, baseline.get(m), Map.copyOf(churn.get(m)))).toList(),
          stage.entrySet().stream().map(e -> new Model(e.getKey(), baseline.get(e.getKey()), Map.copyOf(e.getValue()))).toList(),
          tiers(tables)))));
    });
  }

  private static List<RiskTier> tiers(ReportTables tables) {
    if (!tables.exists(ChurnPredictionsTable.DEF)) {
      return List.of();
    }
    // Bounded: One row per risk tier.
    List<Row> tiers = tables.read(ChurnPredictionsTable.DEF).where(tables.onRunDate()).groupBy(ChurnPredictionsTable.RISK_TIER)
        .agg(count(lit(1)).as("n"), avg(ChurnPredictionsTable.CHURN_PROBABILITY)).orderBy(col("n").desc()).collectAsList();
    return tiers.stream().map(t -> new RiskTier(t.getString(0), t.getLong(1), t.getDouble(2))).toList();
  }

  static void render(HtmlPage page, Part<Models> models) {
    models.draw(page, m -> {
      if (!m.trained().equals(m.runDate())) {
        page.note("The models in use were trained and evaluated for run date " + m.trained()
            + " (training is skipped while they are younger than models.retrain_every); the predictions are this run's.");
      }
      m.evaluation().draw(page, e -> evaluation(page, e, m.runDate()));
    });
  }

  private static void evaluation(HtmlPage page, Evaluation e, LocalDate runDate) {
    List<Series> roc = new ArrayList<>();
    List<Series> calibration = new ArrayList<>();
    for (Model model : e.churn()) {
      Map<String, Double> m = model.metrics();
      // Baselines are drawn dashed, so the legend needs no more than the name and the AUC.
      String name = model.name() + ", AUC " + Markup.decimal(m.getOrDefault(ModelMetricsTable.AUC_ROC, Double.NaN), 3);
      double[] fpr = new double[ModelMetricsTable.ROC_POINTS + 1];
      double[] tpr = new double[ModelMetricsTable.ROC_POINTS + 1];
      boolean complete = true;
      for (int k = 0; k <= ModelMetricsTable.ROC_POINTS; k++) {
        complete &= m.containsKey(ModelMetricsTable.rocFpr(k)) && m.containsKey(ModelMetricsTable.rocTpr(k));
        fpr[k] = m.getOrDefault(ModelMetricsTable.rocFpr(k), Double.NaN);
        tpr[k] = m.getOrDefault(ModelMetricsTable.rocTpr(k), Double.NaN);
      }
      if (complete) {
        Series s = Series.of(name, fpr, tpr);
        roc.add(model.baseline() ? s.asDashed() : s);
      }
      List<double[]> cal = new ArrayList<>();
      for (int d = 1; d <= 10; d++) {
        Double p = m.get(ModelMetricsTable.calibrationPredicted(d));
        Double o = m.get(ModelMetricsTable.calibrationObserved(d));
        if (p != null && o != null && Double.isFinite(p) && Double.isFinite(o)) {
          cal.add(new double[] {p, o});
        }
      }
      if (!cal.isEmpty()) {
        Series s = Series.of(model.name(),
            cal.stream().mapToDouble(c -> c[0]).toArray(), cal.stream().mapToDouble(c -> c[1]).toArray());
        calibration.add(model.baseline() ? s.asDashed() : s);
      }
    }
    if (roc.isEmpty()) {
      page.missing("model_metrics for run date " + runDate + " holds no ROC points (roc_fpr_K, roc_tpr_K): retrain with this version"
          + " to draw the ROC curve.");
    } else {
      page.chart(SvgChart.line("churn-roc", "Churn model ROC on held-out customers, against baselines",
          Axis.fixed("False positive rate (% of non-churners flagged)", 0, 1, Markup::percentShort),
          Axis.fixed("True positive rate (% of churners flagged)", 0, 1, Markup::percentShort), roc, true));
    }
    if (calibration.isEmpty()) {
      page.missing("model_metrics for run date " + runDate + " holds no calibration deciles.");
    } else {
      page.chart(SvgChart.line("churn-calibration", "Churn calibration by score decile",
          Axis.fixed("Mean predicted churn probability (%)", 0, 1, Markup::percentShort),
          Axis.fixed("Observed churn rate (%)", 0, 1, Markup::percentShort), calibration, true));
    }
    page.table(List.of("churn model", "kind", "AUC-ROC", "AUC-PR", "log loss", "Brier", "lift, top decile", "test customers"),
        e.churn().stream().map(model -> List.of(model.name(), kind(model), fmt(model, ModelMetricsTable.AUC_ROC, 3),
            fmt(model, ModelMetricsTable.AUC_PR, 3), fmt(model, ModelMetricsTable.LOG_LOSS, 3), fmt(model, ModelMetricsTable.BRIER, 3),
            fmt(model, ModelMetricsTable.LIFT_TOP_DECILE, 2), testRows(model))).toList());
    page.note("Log loss, Brier score and calibration need a probability: the recency baseline ranks customers only.");
    if (!e.nextStage().isEmpty()) {
      page.table(List.of("next-stage model", "kind", "accuracy", "macro-F1", "log loss", "test rows"), e.nextStage().stream()
          .map(model -> List.of(model.name(), kind(model), fmt(model, ModelMetricsTable.ACCURACY, 3),
              fmt(model, ModelMetricsTable.MACRO_F1, 3), fmt(model, ModelMetricsTable.LOG_LOSS, 3), testRows(model))).toList());
    }
    if (!e.tiers().isEmpty()) {
      page.table(List.of("churn risk tier (scored at the run date)", "customers", "mean churn probability"),
          e.tiers().stream().map(t -> List.of(t.tier(), Markup.count(t.customers()), Markup.percent(t.meanProbability())))
              .toList());
    }
  }

  private static String kind(Model model) {
    return model.baseline() ? "baseline" : "model";
  }

  private static String fmt(Model model, String metric, int decimals) {
    Double v = model.metrics().get(metric);
    return v == null ? "n/a" : Markup.decimal(v, decimals);
  }

  private static String testRows(Model model) {
    return Markup.count(Math.round(model.metrics().getOrDefault(ModelMetricsTable.TEST_ROWS, 0.0)));
  }
}
