package io.lifecycle;

import io.lifecycle.config.LifecycleConfig;
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
  /** The catalog database a rerun of the sample registers its tables in. */
  public static final String DATABASE = "lifecycle_contract_test";

  private SampleRun() {}

  /** The output root of the run ({@code warehouse/} of the clone); fails when the run failed. */
  public static synchronized Path output() {
    FreshClone.Result r = FreshClone.firstRun();
    if (r.exitCode() != 0) {
      throw new AssertionError("bin/lifecycle run failed in a fresh clone (exit " + r.exitCode() + "):\n" + r.output());
    }
    return FreshClone.root().resolve("warehouse");
  }

  /**
   * The run's configuration ({@code conf/local.conf} with its relative paths taken from the clone, as
   * the launcher runs it) writing to {@code outputRoot}: a rerun with it repeats the sample run.
   */
  public static LifecycleConfig config(Path outputRoot) {
    Path clone = FreshClone.root();
    return TestSupport.config(
        "include file(\"" + clone.resolve("conf/local.conf") + "\")",
        "lifecycle.input.path = \"" + clone.resolve("data-samples/events.csv") + "\"",
        "lifecycle.output.root = \"" + outputRoot + "\"",
        "lifecycle.output.database = " + DATABASE);
  }
}
