package io.lifecycle.report;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.pipeline.RunContext;
import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.lifecycle.tables.ClvForecastTable;
import io.lifecycle.tables.ClvModelsTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report on an output without tables, and the chart writer's escaping (the sample run's report: {@code SampleReportIT}). */
class ReportTest {
  @Test
  void theHeatmapSaysHowItsCellsWereProjected() {
    assertTrue(RetentionSection.projectionNote(LifecycleConfig.Cohorts.Projection.POOLED)
        .contains("young cohorts' projections borrow from older cohorts"));
    assertFalse(RetentionSection.projectionNote(LifecycleConfig.Cohorts.Projection.PER_COHORT).contains("borrow"));
  }

  @Test
  void missingTablesBecomeNotesNotFailures(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    RunContext ctx = new RunContext(SharedSpark.get(), TestSupport.config(
        "lifecycle.input.path = \"" + dir.resolve("none") + "\"",
        "lifecycle.output.root = \"" + out + "\""), LocalDate.of(2026, 1, 1));
    new ReportStep().run(ctx);
    String html = Files.readString(out.resolve(ReportStep.LATEST));
    assertFalse(html.contains("<figure"), "charts without data");
    for (String table : List.of("run_log", "cohort_retention", "cohort_survival", "churn_rates", "activity_summary", "retention_drivers",
        "stage_funnel", "stage_transitions", "customer_journeys", "customer_value", "clv_holdout", "clv_forecast", "channel_attribution",
        "model_metrics")) {
      assertTrue(html.contains("Table " + table + " is missing"), "no note for " + table);
    }
  }

  @Test
  void theFitDiagnosticsAreDrawnFromClvForecast(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    SparkSession spark = SharedSpark.get();
    LocalDate runDate = LocalDate.of(2026, 1, 1);
    RunContext ctx = new RunContext(spark, TestSupport.config(
        "lifecycle.input.path = \"" + dir.resolve("none") + "\"",
        "lifecycle.output.root = \"" + out + "\""), runDate);
    Date run = Date.valueOf(runDate);
    List<Row> rows = new ArrayList<>();
    for (int n = 0; n <= ClvForecastTable.MAX_PURCHASES; n++) {
      rows.add(RowFactory.create(run, "bg_nbd", ClvForecastTable.PURCHASE_COUNT, 30, null, n, n == 0 ? 1.0 : 0.0, 0.0, null, null, null));
      rows.add(RowFactory.create(run, "bg_nbd", ClvForecastTable.REPEAT_COUNT, 0, run, n, null, null, null, 10L - n, 10.5 - n));
    }
    long[] actual = {1, 3, 8};
    double[] expected = {1.5, 2.5, 10.0, 12.5};
    for (int k = -2; k <= 1; k++) {
      rows.add(RowFactory.create(run, "bg_nbd", ClvForecastTable.TRACKING, 7 * k, Date.valueOf(runDate.plusDays(7L * k)), null, null,
          expected[k + 2], k <= 0 ? actual[k + 2] : null, null, null));
    }
    ctx.store().write(ClvForecastTable.DEF, spark.createDataFrame(rows, ClvForecastTable.DEF.schema()), runDate);
    new ReportStep().run(ctx);
    String html = Files.readString(out.resolve(ReportStep.LATEST));
    for (String id : List.of("clv-purchase-count", "clv-tracking", "clv-repeat-count")) {
      assertTrue(html.contains("<figure class=\"chart\" id=\"" + id + "\">"), "chart " + id + " missing");
    }
    assertFalse(html.contains("NaN"), "the actual line ends at the run date");
    // At the run date: 8 actual, 10 expected, the model 25% above.
    assertTrue(html.contains("<td class=\"num\">8</td><td class=\"num\">10</td><td class=\"num\">25.0%</td>"), html);
    assertTrue(html.contains("run date"), "the run date is marked");
  }

  @Test
  void theCovariateFitsAreTabledWithTheirIntervalsAndTest(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    SparkSession spark = SharedSpark.get();
    RunContext ctx = new RunContext(spark, TestSupport.runConfig(dir, "lifecycle.clv.covariates = [acquisition_channel]"),
        LocalDate.of(2026, 1, 1));
    Date run = Date.valueOf(ctx.runDate());
    java.util.Map<String, Double> parameters = new java.util.LinkedHashMap<>();
    parameters.put("r", 0.25);
    parameters.put("alpha", 4.0);
    parameters.put("purchase[paid_search]", 2.0);
    parameters.put("dropout[paid_search]", 1.0);
    parameters.put("purchase[email]", 3.0);
    java.util.Map<String, Double> errors = new java.util.LinkedHashMap<>();
    errors.put("r", 0.01);
    errors.put("alpha", 0.2);
    errors.put("purchase[paid_search]", 0.2);
    errors.put("dropout[paid_search]", 0.5);
    errors.put("purchase[email]", 0.1);
    Row fit = RowFactory.create(run, "pareto_nbd", ClvModelsTable.PURPOSE_COVARIATES, "covariate=acquisition_channel", run,
        scala.jdk.javaapi.CollectionConverters.asScala(parameters), scala.jdk.javaapi.CollectionConverters.asScala(errors),
        -1234.5, 40, true, false, 4000L, 900L, 1.5, false, "converged", 63.3, 8, 5.6e-9);
    ctx.store().write(ClvModelsTable.DEF, spark.createDataFrame(List.of(fit), ClvModelsTable.DEF.schema()), ctx.runDate());
    new ReportStep().run(ctx);
    String html = Files.readString(out.resolve(ReportStep.LATEST));
    assertTrue(html.contains("pareto_nbd with acquisition_channel: likelihood ratio 63.3 on 8 degrees of freedom"), html);
    assertTrue(html.contains("p = 5.6e-09"), html);
    // ln 2 +- 1.96 x 0.2 / 2: 2 x exp(-+0.196) = 1.644 to 2.433; z = 6.93, p = 4.2e-12.
    assertTrue(html.contains("<td>pareto_nbd</td><td>purchase[paid_search]</td><td class=\"num\">2.000</td>"
        + "<td>1.644 to 2.433</td><td>4.2e-12</td>"), html);
    // A factor of 1: its interval holds 1, p = 1.
    assertTrue(html.contains("<td>dropout[paid_search]</td><td class=\"num\">1.000</td><td>0.375 to 2.664</td>"
        + "<td class=\"num\">1.0000</td>"), html);
    // z = ln 3 / (0.1 / 3) = 33: a p-value below what the arithmetic resolves is said so.
    assertTrue(html.contains("<td>purchase[email]</td><td class=\"num\">3.000</td><td>2.810 to 3.203</td><td>&lt; 1e-15</td>"), html);
    assertFalse(html.contains("<td>alpha</td>"), "the base parameters are not factors");
  }

  @Test
  void chartTextIsEscaped() throws Exception {
    String svg = SvgChart.bars("x\"y", "A <b>&</b> 'title'", List.of("<script>alert(1)</script>", "b&c"), "x <axis>",
        Axis.fromZero("y \"axis\"", Markup::compact), List.of(new Bars("s<1>", new double[] {1, 2}), new Bars("t", new double[] {3, Double.NaN})), true);
    assertFalse(svg.contains("<script>") || svg.contains("<b>") || svg.contains("<axis>") || svg.contains("s<1>"), svg);
    assertTrue(svg.contains("&lt;script&gt;") && svg.contains("b&amp;c") && svg.contains("x&quot;y"), svg);
    DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.substring(svg.indexOf("<svg"), svg.lastIndexOf("</svg>") + 6).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void numbersAreFormattedForPeople() {
    assertEquals("12,345", Markup.count(12345));
    assertEquals("45.2%", Markup.percent(0.4523));
    assertEquals("12.3k", Markup.compact(12345));
    assertEquals("1.5M", Markup.compact(1.5e6));
    assertEquals("0.125", Markup.compact(0.125));
    assertEquals("1,234", Markup.compact(1234));
    assertEquals("n/a", Markup.percent(Double.NaN));
  }
}
