package io.lifecycle.cli;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig;

/** {@code lifecycle generate}: synthetic events with ground truth. */
final class GenerateCommand {
  private GenerateCommand() {}

  static void run(CommandLine line, LifecycleConfig config) {
    throw new LifecycleException(ExitCode.FAILURE, "generate is being wired in");
  }
}
