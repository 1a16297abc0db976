package io.lifecycle.models;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the train step keeps the saved models (models.retrain_every). */
class RetrainScheduleTest {
  private static final LocalDate DAY = LocalDate.of(2026, 1, 10);
  private final RetrainSchedule weekly = new RetrainSchedule(Duration.ofDays(7));

  @Test
  void keepsModelsYoungerThanTheIntervalAndSaysWhenItRetrains() {
    assertEquals(Optional.of("the saved models v20260104 are 6 days old, models.retrain_every = 7 days"
            + " (retraining on 2026-01-11; --steps train retrains now)"),
        weekly.keepReason(Optional.of("v20260104"), DAY, false));
    assertEquals("the saved models v20260110 are 0 days old, models.retrain_every = 7 days (retraining on 2026-01-17;"
        + " --steps train retrains now)", weekly.keepReason(Optional.of("v20260110"), DAY, false).orElseThrow());
    assertTrue(weekly.keepReason(Optional.of("v20260109"), DAY, false).orElseThrow().contains("are 1 day old"));
  }

  @Test
  void trainsWhenDueAskedForUnsavedZeroOrForAnEarlierDate() {
    assertEquals(Optional.empty(), weekly.keepReason(Optional.of("v20260103"), DAY, false), "7 days old: due");
    assertEquals(Optional.empty(), weekly.keepReason(Optional.of("v20260109"), DAY, true), "--steps train");
    assertEquals(Optional.empty(), weekly.keepReason(Optional.empty(), DAY, false), "no saved model");
    assertEquals(Optional.empty(), new RetrainSchedule(Duration.ZERO).keepReason(Optional.of("v20260110"), DAY, false));
    assertEquals(Optional.empty(), weekly.keepReason(Optional.of("v20260111"), DAY, false), "a backfill never uses a later model");
    assertEquals(LocalDate.of(2026, 1, 4), RetrainSchedule.trainedOn("v20260104"));
  }
}
