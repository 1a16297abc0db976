package io.lifecycle.cli;

import io.lifecycle.ingest.IngestStep;
import io.lifecycle.pipeline.MaintainStep;
import io.lifecycle.pipeline.Pipeline;
import java.util.List;

/**
 * The pipeline's steps in the order they run: assembled here, at the top, so the pipeline package knows
 * steps only through the {@link io.lifecycle.pipeline.Step} interface and no step knows another.
 */
public final class Steps {
  private Steps() {}

  public static Pipeline standard() {
    return new Pipeline(List.of(
        new IngestStep(),
        new io.lifecycle.identity.StitchStep(),
        new io.lifecycle.sessions.SessionizeStep(),
        new io.lifecycle.journeys.JourneysStep(),
        new io.lifecycle.cohorts.CohortsStep(),
        new io.lifecycle.clv.ClvStep(),
        new io.lifecycle.models.TrainStep(),
        new io.lifecycle.models.ScoreStep(),
        new io.lifecycle.report.ReportStep(),
        new MaintainStep()));
  }
}
