package io.lifecycle.config;

import io.lifecycle.config.LifecycleConfig.Quality;
import java.time.Duration;
import java.time.LocalDate;

/** The {@code quality} section: what goes to quarantine, and how much of it fails the run. */
final class QualitySettings {
  private QualitySettings() {}

  private static final String P = "lifecycle.quality.";

  static final Setting<Double> MAX_QUARANTINE_SHARE =
      Setting.fraction(P + "max_quarantine_share", "the run fails when quarantined rows / rows read exceeds this");
  static final Setting<Duration> FUTURE_TOLERANCE =
      Setting.nonNegativeDuration(P + "future_tolerance", "events later than the as-of time by more are quarantined");
  static final Setting<LocalDate> EARLIEST_EVENT_DATE =
      Setting.date(P + "earliest_event_date", "events before this date are quarantined");

  static Quality read(ConfigReader r) {
    return new Quality(r.get(MAX_QUARANTINE_SHARE), r.get(FUTURE_TOLERANCE), r.get(EARLIEST_EVENT_DATE));
  }
}
