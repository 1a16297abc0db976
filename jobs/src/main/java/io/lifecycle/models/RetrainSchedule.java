package io.lifecycle.models;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@code models.retrain_every}: teams retrain weekly or monthly, not with every daily run. Decides whether
 * the train step keeps the saved models for a run date: when every model is saved, was trained on or
 * before the run date (never a later model for a backfill) and less than {@code retrain_every} before it,
 * unless a scoring run since measured a drift of {@code models.drift_retrain_psi} or more. Asking for the
 * step by name retrains regardless.
 */
public final class RetrainSchedule {
  private final Duration retrainEvery;
  private final double driftRetrainPsi;

  /** The largest PSI a scoring run measured for the models in use ({@code model_drift}). */
  public record Drift(LocalDate runDate, String feature, double psi) {}

  public RetrainSchedule(Duration retrainEvery, double driftRetrainPsi) {
    this.retrainEvery = retrainEvery;
    this.driftRetrainPsi = driftRetrainPsi;
  }

  /** Why the models must be retrained before their schedule: the drift reached {@code models.drift_retrain_psi}. */
  public Optional<String> driftReason(Optional<Drift> drift) {
    return drift.filter(d -> d.psi() >= driftRetrainPsi).map(d -> String.format(
        "the saved models drifted: PSI %.3f of %s on %s, models.drift_retrain_psi = %s", d.psi(), d.feature(), d.runDate(),
        java.math.BigDecimal.valueOf(driftRetrainPsi).stripTrailingZeros().toPlainString()));
  }

  /** The run date a saved version ({@code v20260101}) was trained for. */
  public static LocalDate trainedOn(String version) {
    return LocalDate.parse(version.substring(1), DateTimeFormatter.BASIC_ISO_DATE);
  }

  /**
   * Why the run of {@code runDate} need not train, or empty when it must. {@code oldestLatest} is the
   * oldest of the models' latest saved versions (empty when a model has none); {@code drift} the largest
   * drift measured for them before {@code runDate}, which retrains them early when it reached the limit.
   */
  public Optional<String> keepReason(Optional<String> oldestLatest, LocalDate runDate, boolean askedFor, Optional<Drift> drift) {
    if (askedFor || retrainEvery.isZero() || oldestLatest.isEmpty() || driftReason(drift).isPresent()) {
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
