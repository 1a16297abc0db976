package io.lifecycle.models;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the train step keeps the saved models (models.retrain_every, models.drift_retrain_psi). */
class RetrainScheduleTest {
  private static final LocalDate DAY = LocalDate.of(2026, 1, 10);
  private static final Optional<RetrainSchedule.Drift> NO_DRIFT = Optional.empty();
  private final RetrainSchedule weekly = new RetrainSchedule(Duration.ofDays(7), 0.25);

  @Test
  void keepsModelsYoungerThanTheIntervalAndSaysWhenItRetrains() {
    assertEquals(Optional.of("the saved models v20260104 are 6 days old, models.retrain_every = 7 days"
            + " (retraining on 2026-01-11; --steps train retrains now)"),
        weekly.keepReason(Optional.of("v20260104"), DAY, false, NO_DRIFT));
    assertEquals("the saved models v20260110 are 0 days old, models.retrain_every = 7 days (retraining on 2026-01-17;"
        + " --steps train retrains now)", weekly.keepReason(Optional.of("v20260110"), DAY, false, NO_DRIFT).orElseThrow());
    assertTrue(weekly.keepReason(Optional.of("v20260109"), DAY, false, NO_DRIFT).orElseThrow().contains("are 1 day old"));
  }

  @Test
  void trainsWhenDueAskedForUnsavedZeroOrForAnEarlierDate() {
    assertEquals(Optional.empty(), weekly.keepReason(Optional.of("v20260103"), DAY, false, NO_DRIFT), "7 days old: due");
    assertEquals(Optional.empty(), weekly.keepReason(Optional.of("v20260109"), DAY, true, NO_DRIFT), "--steps train");
    assertEquals(Optional.empty(), weekly.keepReason(Optional.empty(), DAY, false, NO_DRIFT), "no saved model");
    assertEquals(Optional.empty(), new RetrainSchedule(Duration.ZERO, 0.25).keepReason(Optional.of("v20260110"), DAY, false, NO_DRIFT));
    assertEquals(Optional.empty(), weekly.keepReason(Optional.of("v20260111"), DAY, false, NO_DRIFT), "a backfill never uses a later model");
    assertEquals(LocalDate.of(2026, 1, 4), RetrainSchedule.trainedOn("v20260104"));
  }

  @Test
  void aDriftAtTheLimitRetrainsBeforeTheSchedule() {
    Optional<RetrainSchedule.Drift> shifted = Optional.of(new RetrainSchedule.Drift(LocalDate.of(2026, 1, 9), "recency_days", 0.25));
    Optional<RetrainSchedule.Drift> moderate = Optional.of(new RetrainSchedule.Drift(LocalDate.of(2026, 1, 9), "recency_days", 0.2499));
    assertEquals(Optional.empty(), weekly.keepReason(Optional.of("v20260108"), DAY, false, shifted));
    assertEquals(Optional.of("the saved models drifted: PSI 0.250 of recency_days on 2026-01-09, models.drift_retrain_psi = 0.25"),
        weekly.driftReason(shifted));
    assertTrue(weekly.keepReason(Optional.of("v20260108"), DAY, false, moderate).orElseThrow().contains("are 2 days old"));
    assertEquals(Optional.empty(), weekly.driftReason(moderate));
  }
}
