package io.lifecycle.pipeline;

/** One named stage of the pipeline: reads tables (or the input), computes, writes its tables. */
public interface Step {
  String name();

  StepResult run(RunContext context);

  /**
   * For a step that keeps state across incremental runs: a hash of the settings that state depends on,
   * recorded in run_log ({@code settings_hash}) for the next run to compare; null (the default) for
   * the others.
   */
  default String settingsHash(io.lifecycle.config.LifecycleConfig config) {
    return null;
  }

  /**
   * Whether a run without {@code --steps} under this configuration includes the step (the stitch step
   * only when the input has ids to stitch); a step named in {@code --steps} runs regardless.
   */
  default boolean appliesTo(io.lifecycle.config.LifecycleConfig config) {
    return true;
  }

  /** Whether a run without {@code --steps} includes this step (maintenance steps run on request). */
  default boolean runsByDefault() {
    return true;
  }
}
