package io.lifecycle.report;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.NeedsSampleRun;
import io.lifecycle.SampleRun;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/** The report the README's first command writes ({@code warehouse/report/index.html}), as a reader gets it. */
@NeedsSampleRun
@Isolated
class SampleReportIT {
  static final Pattern SVG = Pattern.compile("<svg .*?</svg>", Pattern.DOTALL);

  @Test
  void sampleRunReportHasEveryChartAndNoMissingSection() throws Exception {
    Path out = SampleRun.output();
    String html = Files.readString(out.resolve(ReportStep.LATEST));
    assertEquals(html, Files.readString(out.resolve(ReportStep.dated(SampleRun.RUN_DATE))));
    // Every chart of a complete run, and one per breakdown of conf/local.conf (cohorts.breakdowns = [plan, country]).
    java.util.List<String> expected = new java.util.ArrayList<>(LifecycleReport.CHARTS);
    expected.addAll(java.util.List.of("breakdown-plan", "breakdown-country"));
    for (String id : expected) {
      assertTrue(html.contains("<figure class=\"chart\" id=\"" + id + "\">"), "chart " + id + " missing");
    }
    // conf/local.conf's clv.covariates = [acquisition_channel, plan]: both purchase models' joint fits and tests.
    for (String model : java.util.List.of("bg_nbd", "pareto_nbd")) {
      assertTrue(html.contains(model + " with acquisition_channel,plan: likelihood ratio"), "no covariate fit of " + model);
      assertTrue(html.contains("<td>" + model + "</td><td>purchase[plan=pro]</td>"), "no plan factor of " + model);
    }
    assertFalse(html.contains("class=\"" + HtmlPage.MISSING + "\""), "a section says its data is missing");
    assertFalse(html.contains("NaN") || html.contains("Infinity"), "unformatted numbers in the report");
    assertFalse(html.contains("<script"), "the report must need no script");
    assertFalse(html.matches("(?s).*(src|href)=\"https?:.*"), "the report must load nothing from the network");
    Matcher m = SVG.matcher(html);
    int charts = 0;
    while (m.find()) {
      // Each chart is well-formed XML (so every string reached it escaped).
      DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(new ByteArrayInputStream(m.group().getBytes(StandardCharsets.UTF_8)));
      charts++;
    }
    assertEquals(expected.size(), charts);
    // Numbers for people: the counts come with thousands separators.
    assertTrue(html.matches("(?s).*<td class=\"num\">[0-9]{1,3}(,[0-9]{3})+</td>.*"), "no formatted count");
  }
}
