package io.lifecycle;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The default pipeline run on the committed sample, shared by every test that checks the outputs as
 * users see them (the table contract, the notebooks, the report, the models' quality): the tables that
 * {@code bin/lifecycle run} wrote in a fresh clone of HEAD ({@link FreshClone}), so the suite pays for
 * the sample run once and the outputs it checks are those of the README's first command.
 */
public final class SampleRun {
  /** The day after the sample's latest event: the default run date. */
  public static final LocalDate RUN_DATE = LocalDate.of(2026, 1, 1);

  private SampleRun() {}

  /** The output root of the run ({@code warehouse/} of the clone); fails when the run failed. */
  public static synchronized Path output() {
    FreshClone.Result r = FreshClone.firstRun();
    if (r.exitCode() != 0) {
      throw new AssertionError("bin/lifecycle run failed in a fresh clone (exit " + r.exitCode() + "):\n" + r.output());
    }
    return FreshClone.root().resolve("warehouse");
  }
}
