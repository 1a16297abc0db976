package io.lifecycle.config;

import io.lifecycle.config.LifecycleConfig.Incremental;
import io.lifecycle.config.LifecycleConfig.Mode;
import java.time.Duration;

/** The run {@code mode} and the {@code incremental} section: full recomputation or a daily merge. */
final class IncrementalSettings {
  private IncrementalSettings() {}

  static final Setting<Mode> MODE =
      Setting.choice("lifecycle.mode", Mode.class, "full: recompute from all history; incremental: merge a day's events");
  static final Setting<Duration> MAX_LATENESS =
      Setting.nonNegativeDuration("lifecycle.incremental.max_lateness", "how long after its own day an event may arrive");

  static Incremental read(ConfigReader r) {
    return new Incremental(r.get(MODE), r.get(MAX_LATENESS));
  }
}
