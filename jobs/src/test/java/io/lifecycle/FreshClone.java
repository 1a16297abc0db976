package io.lifecycle;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The README's first command as a newcomer meets it: the committed HEAD cloned into an empty folder
 * (no {@code warehouse/}, no {@code jobs/target/}, nothing carried over from this checkout), and
 * {@code bin/lifecycle run} with no arguments from that folder. It builds the jar with its own Maven,
 * then runs the whole pipeline on the committed sample. Done once per test JVM and shared: the tables
 * it writes are the sample run every output check reads ({@link SampleRun}).
 *
 * <p>{@code ../shared} is linked beside the clone, as it is beside a checkout, so the README's commands
 * that read the shared data sets run from the clone as written.
 *
 * <p>After the first run the clone is only read: a test whose commands change {@code warehouse/} (the
 * rerun, the README's next commands) runs them in its own {@link #copyOfFirstRun copy} of the clone
 * as the first run left it, so the integration tests can run side by side in any order. The first run
 * starts as soon as the test plan holds a class that needs it ({@link SampleRunStarter}), while the
 * classes that do not (the cluster submit) run.
 */
public final class FreshClone {
  /** What the README tells a new user to type first. */
  public static final List<String> FIRST_COMMAND = List.of("bin/lifecycle", "run");

  /** A finished command in the clone. */
  public record Result(List<String> command, int exitCode, String output, Duration took) {}

  private static Path root;
  private static java.util.concurrent.CompletableFuture<Result> first;
  private static final java.util.Map<String, Path> COPIES = new java.util.HashMap<>();

  private FreshClone() {}

  /** The clone's folder, cloning on first use. */
  public static synchronized Path root() {
    if (root == null) {
      try {
        Path keep = System.getProperty("lifecycle.sampleRun") == null ? null : Path.of(System.getProperty("lifecycle.sampleRun")).toAbsolutePath();
        Path dir = keep != null ? keep : Files.createTempDirectory("lifecycle-fresh-clone");
        Path clone = dir.resolve("lifecycle");
        if (keep == null) {
          Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
        }
        if (!Files.exists(clone.resolve("bin/lifecycle"))) {
          delete(clone);
          cloneHead(TestSupport.repoRoot().toPath(), clone);
          linkShared(dir);
        }
        root = clone;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  /**
   * {@code bin/lifecycle run} in the clone, run once. With {@code -Dlifecycle.sampleRun=DIR} the clone
   * lives in DIR and a completed run there is reused by later test JVMs (handy when working on the report
   * or the notebooks; delete DIR to test a new commit).
   */
  public static Result firstRun() {
    return startFirstRun().join();
  }

  /** Starts the first run in the background unless it has started; {@link #firstRun} waits for it. */
  public static synchronized java.util.concurrent.CompletableFuture<Result> startFirstRun() {
    if (first == null) {
      Path clone = root();
      first = java.util.concurrent.CompletableFuture.supplyAsync(() -> runFirstCommand(clone));
    }
    return first;
  }

  private static Result runFirstCommand(Path clone) {
    Path done = clone.resolve("warehouse/_first_run_complete");
    try {
      if (System.getProperty("lifecycle.sampleRun") != null && Files.exists(done)) {
        return new Result(FIRST_COMMAND, 0, "(reused " + done + ")\n" + Files.readString(done), Duration.ZERO);
      }
      delete(clone.resolve("warehouse"));
      Result r = run(clone, FIRST_COMMAND, 25);
      if (r.exitCode() == 0) {
        Files.writeString(done, r.output());
      }
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A copy of the clone as the first run left it (its jar, its {@code warehouse/}), made once per
   * {@code name} in a folder of its own with {@code ../shared} beside it: commands that change the
   * warehouse run there, and the clone keeps the first run's tables for every reader.
   */
  public static Path copyOfFirstRun(String name) {
    Result r = firstRun();
    if (r.exitCode() != 0) {
      throw new AssertionError("bin/lifecycle run failed in a fresh clone (exit " + r.exitCode() + "):\n" + r.output());
    }
    synchronized (COPIES) {
      return COPIES.computeIfAbsent(name, n -> {
        try {
          Path dir = Files.createTempDirectory("lifecycle-" + n);
          Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
          Path copy = dir.resolve("lifecycle");
          // cp -a keeps the files' times: the copied jar stays newer than the sources and is not rebuilt.
          Process p = new ProcessBuilder("cp", "-a", root().toString(), copy.toString()).redirectErrorStream(true).start();
          String out = new String(p.getInputStream().readAllBytes());
          if (p.waitFor() != 0) {
            throw new AssertionError("cp -a failed: " + out);
          }
          linkShared(dir);
          return copy;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      });
    }
  }

  /** A command run in the clone's folder, as typed there (the first word is the program). */
  public static Result run(List<String> command, long timeoutMinutes) {
    return run(root(), command, timeoutMinutes);
  }

  /** A command run in {@code folder} (the clone or a {@link #copyOfFirstRun copy}), as typed there. */
  public static Result run(Path folder, List<String> command, long timeoutMinutes) {
    List<String> cmd = new ArrayList<>();
    if (command.get(0).startsWith("bin/")) {
      cmd.add("bash");
    }
    cmd.addAll(command);
    try {
      Path log = Files.createTempFile("lifecycle-clone-command", ".log");
      Instant started = Instant.now();
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(folder.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      // The child builds and runs with its own settings, not this JVM's test ones.
      pb.environment().remove("JAVA_TOOL_OPTIONS");
      pb.environment().remove("MAVEN_OPTS");
      Process p = pb.start();
      if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("timed out after " + timeoutMinutes + " min: " + command + "\n" + Files.readString(log));
      }
      Result r = new Result(command, p.exitValue(), Files.readString(log), Duration.between(started, Instant.now()));
      Files.delete(log);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The committed HEAD (not the working tree) in {@code target}; a tree that is not a git checkout is copied. */
  private static void cloneHead(Path repo, Path target) throws IOException {
    if (Files.exists(repo.resolve(".git"))) {
      ProcessBuilder pb = new ProcessBuilder("git", "clone", "--quiet", "--no-hardlinks", repo.toString(), target.toString())
          .redirectErrorStream(true);
      try {
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
          throw new AssertionError("git clone failed: " + out);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return;
    }
    // A source tree without git (an unpacked archive): everything but build outputs and earlier runs.
    try (Stream<Path> files = Files.walk(repo)) {
      for (Path p : files.toList()) {
        Path rel = repo.relativize(p);
        String first = rel.getNameCount() == 0 ? "" : rel.getName(0).toString();
        if (List.of("warehouse", "target", ".git").contains(first) || rel.toString().startsWith("jobs" + File.separator + "target")) {
          continue;
        }
        Path to = target.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
  }

  /** {@code shared/} beside the clone, pointing at the one beside this checkout, when there is one. */
  private static void linkShared(Path dir) throws IOException {
    Path link = dir.resolve("shared");
    if (Files.exists(link)) {
      return;
    }
    try {
      Path datasets = TestSupport.sharedDataset("").toPath().toAbsolutePath().normalize();
      Files.createSymbolicLink(link, datasets.getParent());
    } catch (IllegalStateException e) {
      // No shared data sets here: the commands that need them say so when they run.
    }
  }

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
