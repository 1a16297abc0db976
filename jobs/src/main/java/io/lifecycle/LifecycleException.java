package io.lifecycle;

/**
 * A failure the job reports to its caller as one line and a documented exit code. Anything else
 * that escapes a step is wrapped into one of these with {@link ExitCode#FAILURE}.
 */
public class LifecycleException extends RuntimeException {
  private final ExitCode exitCode;

  public LifecycleException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public LifecycleException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
