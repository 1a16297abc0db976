package io.lifecycle.report;

import io.lifecycle.pipeline.RunContext;
import io.lifecycle.pipeline.Step;
import io.lifecycle.pipeline.StepResult;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code report}: writes the run's HTML report ({@link LifecycleReport}) under the output root, as
 * {@code report/<run date>.html} and {@code report/index.html} (the latest run's). It reads the output
 * tables only, so it can run alone ({@code --steps report}); a table that is missing (models not
 * trained) becomes a note in the report, never a failure.
 */
public final class ReportStep implements Step {
  private static final Logger LOG = LoggerFactory.getLogger(ReportStep.class);

  /** Folder of the report under the output root. */
  public static final String FOLDER = "report";
  public static final String LATEST = FOLDER + "/index.html";

  @Override
  public String name() {
    return "report";
  }

  public static String dated(java.time.LocalDate runDate) {
    return FOLDER + "/" + runDate + ".html";
  }

  @Override
  public StepResult run(RunContext ctx) {
    String html = new LifecycleReport(ctx.store(), ctx.config(), ctx.runDate()).html();
    String at = ctx.store().writeFile(dated(ctx.runDate()), html);
    ctx.store().writeFile(LATEST, html);
    LOG.info("report written to {} ({} KB)", at, html.length() / 1024);
    return StepResult.of(0, Map.of());
  }
}
