package io.lifecycle.models;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@code models.retrain_every}: teams retrain weekly or monthly, not with every daily run. Decides whether
 * the train step keeps the saved models for a run date: when every model is saved, was trained on or
 * before the run date (never a later model for a backfill) and less than {@code retrain_every} before it.
 * Asking for the step by name retrains regardless.
 */
public final class RetrainSchedule {
  private final Duration retrainEvery;

  public RetrainSchedule(Duration retrainEvery) {
    this.retrainEvery = retrainEvery;
  }

  /** The run date a saved version ({@code v20260101}) was trained for. */
  public static LocalDate trainedOn(String version) {
    return LocalDate.parse(version.substring(1), DateTimeFormatter.BASIC_ISO_DATE);
  }

  /**
   * Why the run of {@code runDate} need not train, or empty when it must. {@code oldestLatest} is the
   * oldest of the models' latest saved versions (empty when a model has none).
   */
  public Optional<String> keepReason(Optional<String> oldestLatest, LocalDate runDate, boolean askedFor) {
    if (askedFor || retrainEvery.isZero() || oldestLatest.isEmpty()) {
      return Optional.empty();
    }
    LocalDate trained = trainedOn(oldestLatest.get());
    long age = ChronoUnit.DAYS.between(trained, runDate);
    if (age < 0 || age >= retrainEvery.toDays()) {
      return Optional.empty();
    }
    return Optional.of(String.format(
        "the saved models %s are %d day%s old, models.retrain_every = %d days (retraining on %s; --steps train retrains now)",
        oldestLatest.get(), age, age == 1 ? "" : "s", retrainEvery.toDays(), trained.plusDays(retrainEvery.toDays())));
  }
}
