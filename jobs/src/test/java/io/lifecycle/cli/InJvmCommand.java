package io.lifecycle.cli;

import io.lifecycle.FreshClone;
import io.lifecycle.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code bin/lifecycle} command typed in the fresh clone, run through the job's entry point in the test
 * JVM instead of a new one: the launcher's part of it (building the jar, the default config, the JVM's
 * settings) is what the README's first command proves in a process ({@link FreshClone#firstRun}); the
 * integration tests' session is built as the launcher builds it ({@code SharedSpark}), so the run gives
 * the tables a process would, without paying a cold JVM's start and compilation again.
 */
public final class InJvmCommand {
  private InJvmCommand() {}

  /**
   * Runs {@code typed} (starting with {@code bin/lifecycle}) as if typed in the clone's folder, with the
   * launcher's default of {@code --conf conf/local.conf} for a {@code run} without one. The result's
   * output is what the command logged at INFO and printed on stderr. One command at a time: the log
   * capture and stderr are the JVM's ({@link LogCapture#exclusively}).
   */
  public static FreshClone.Result run(List<String> typed) {
    return run(typed, FreshClone.root());
  }

  /** {@link #run(List)} as typed in {@code clone}, a folder laid out as the clone is (a copy of it). */
  public static synchronized FreshClone.Result run(List<String> typed, Path clone) {
    if (!typed.get(0).equals("bin/lifecycle")) {
      throw new IllegalArgumentException("not a bin/lifecycle command: " + typed);
    }
    // The session the integration tests share, built as the launcher builds it, is the one the command
    // finds (a command run before any test built it would otherwise build its own).
    io.lifecycle.SharedSpark.launcher();
    List<String> args = new ArrayList<>(typed.subList(1, typed.size()));
    if (!args.isEmpty() && args.get(0).equals("run") && args.stream().noneMatch(a -> a.equals("--conf") || a.startsWith("--conf="))) {
      args.addAll(List.of("--conf", clone.resolve("conf/local.conf").toString()));
    }
    // The JVM's stderr and log capture are this command's alone while it runs (tests that read them wait).
    return LogCapture.exclusively(() -> {
      Instant started = Instant.now();
      ByteArrayOutputStream stderr = new ByteArrayOutputStream();
      PrintStream original = System.err;
      int[] code = new int[1];
      String logged;
      System.setErr(new PrintStream(new Tee(original, stderr), true, StandardCharsets.UTF_8));
      try {
        logged = LogCapture.during(() -> code[0] = Main.execute(args.toArray(String[]::new), clone, clone), false);
      } finally {
        System.setErr(original);
      }
      return new FreshClone.Result(typed, code[0], logged + stderr.toString(StandardCharsets.UTF_8),
          Duration.between(started, Instant.now()));
    });
  }

  /** Writes to both streams: the console keeps what the command prints. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
