package io.lifecycle.config;

import io.lifecycle.config.LifecycleConfig.Sessions;
import java.time.Duration;

/** The {@code sessions} and {@code churn} sections: the inactivity that ends a session, and the one that ends a customer. */
final class SessionSettings {
  private SessionSettings() {}

  static final Setting<Duration> INACTIVITY_GAP =
      Setting.positiveDuration("lifecycle.sessions.inactivity_gap", "a longer gap starts a new session");
  static final Setting<Duration> MAX_DURATION =
      Setting.positiveDuration("lifecycle.sessions.max_duration", "a session that would grow longer is split");
  static final Setting<Duration> CHURN_INACTIVITY_THRESHOLD =
      Setting.positiveDuration("lifecycle.churn.inactivity_threshold", "no activity for longer means churned");

  static Sessions read(ConfigReader r) {
    Sessions sessions = new Sessions(r.get(INACTIVITY_GAP), r.get(MAX_DURATION));
    if (sessions.maxDuration().compareTo(sessions.inactivityGap()) < 0) {
      throw r.fail(MAX_DURATION, "must be at least sessions.inactivity_gap");
    }
    return sessions;
  }
}
