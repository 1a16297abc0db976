package io.lifecycle.pipeline;

/** One named stage of the pipeline: reads tables (or the input), computes, writes its tables. */
public interface Step {
  String name();

  StepResult run(RunContext context);

  /** Whether a run without {@code --steps} includes this step (maintenance steps run on request). */
  default boolean runsByDefault() {
    return true;
  }
}
