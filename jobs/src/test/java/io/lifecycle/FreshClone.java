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
 */
public final class FreshClone {
  /** What the README tells a new user to type first. */
  public static final List<String> FIRST_COMMAND = List.of("bin/lifecycle", "run");

  /** A finished command in the clone. */
  public record Result(List<String> command, int exitCode, String output, Duration took) {}

  private static Path root;
  private static java.util.concurrent.FutureTask<Result> pending;
  /** Opens once the first run's {@code warehouse/} is cleared and its command started (or reused). */
  private static final java.util.concurrent.CountDownLatch FIRST_RUN_STARTED = new java.util.concurrent.CountDownLatch(1);
  /** Opens when the planned rerun of the first command starts (or is over); null when no test class plans one. */
  private static volatile java.util.concurrent.CountDownLatch rerunStarted;
  /** The rerun (one party) and the work that copies the first run's tables before it ({@link #holdRerun()}). */
  private static final java.util.concurrent.Phaser BEFORE_RERUN = new java.util.concurrent.Phaser(1);
  private static final java.util.Set<Process> RUNNING = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private FreshClone() {}

  /** The clone's folder, cloning on first use. */
  public static synchronized Path root() {
    if (root == null) {
      try {
        Path keep = System.getProperty("lifecycle.sampleRun") == null ? null : Path.of(System.getProperty("lifecycle.sampleRun")).toAbsolutePath();
        Path dir = keep != null ? keep : Files.createTempDirectory("lifecycle-fresh-clone");
        Path clone = dir.resolve("lifecycle");
        if (keep == null) {
          // A command still running when the JVM ends (its tests filtered out) is stopped first.
          Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RUNNING.forEach(p -> {
              p.descendants().forEach(ProcessHandle::destroyForcibly);
              p.destroyForcibly();
            });
            delete(dir);
          }));
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
   * Starts {@link #firstRun} in the background, once: the integration tests' JVM calls this as soon as it
   * knows a test class needs the sample run ({@link SampleRunStarter}), so the classes that do not need it
   * run while the clone builds and runs.
   */
  public static synchronized void startFirstRun() {
    if (pending == null) {
      pending = inBackground("fresh-clone-first-run", FreshClone::runFirst);
    }
  }

  /** Starts {@code work} on a daemon thread of its own; the task gives its result or its failure. */
  public static <T> java.util.concurrent.FutureTask<T> inBackground(String threadName, java.util.concurrent.Callable<T> work) {
    java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(work);
    Thread t = new Thread(task, threadName);
    t.setDaemon(true);
    t.start();
    return task;
  }

  /** What work started in the background gave; an assertion it failed with fails the caller's test as it is. */
  public static <T> T resultOf(java.util.concurrent.FutureTask<T> task) throws InterruptedException {
    try {
      return task.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * {@code bin/lifecycle run} in the clone, run once (started here when {@link #startFirstRun} did not
   * start it already; a later call waits for it). With {@code -Dlifecycle.sampleRun=DIR} the clone lives
   * in DIR and a completed run there is reused by later test JVMs (handy when working on the report or
   * the notebooks; delete DIR to test a new commit).
   */
  public static Result firstRun() {
    startFirstRun();
    try {
      return pending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    }
  }

  /**
   * Waits for the first command when it was started (its outcome is {@link #firstRun}'s to report), and
   * returns at once when it was not: lets a test that does not need the sample run do its heaviest work
   * after the first run rather than beside it.
   */
  public static void awaitFirstRunIfStarted() {
    java.util.concurrent.FutureTask<Result> started;
    synchronized (FreshClone.class) {
      started = pending;
    }
    if (started == null) {
      return;
    }
    try {
      started.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      // FirstCommandIT reports it.
    }
  }

  /**
   * Waits until the first command has started in the clone (after clearing its {@code warehouse/}), so
   * work beside it may write there; starts it when nothing has.
   */
  public static void awaitFirstRunStarted() {
    startFirstRun();
    try {
      FIRST_RUN_STARTED.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A test class of the plan will run the first command again ({@link NeedsSampleRun#rerunsTheFirstCommand}). */
  static synchronized void planRerun() {
    if (rerunStarted == null) {
      rerunStarted = new java.util.concurrent.CountDownLatch(1);
    }
  }

  /**
   * Holds the planned rerun until {@link #releaseRerun()} (call it in a finally): for work that copies the
   * first run's tables, which the rerun writes again.
   */
  public static void holdRerun() {
    BEFORE_RERUN.register();
  }

  /** Work that held the rerun ({@link #holdRerun()}) no longer needs the first run's tables as they are. */
  public static void releaseRerun() {
    BEFORE_RERUN.arriveAndDeregister();
  }

  /** The planned rerun starts now, once the work that holds it ({@link #holdRerun()}) has released it. */
  public static void rerunStarting() {
    try {
      BEFORE_RERUN.awaitAdvanceInterruptibly(BEFORE_RERUN.arrive(), 10, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the first run's tables were held from the rerun for 10 minutes", e);
    }
    openRerunStart();
  }

  private static void openRerunStart() {
    java.util.concurrent.CountDownLatch planned = rerunStarted;
    if (planned != null) {
      planned.countDown();
    }
  }

  /** The planned rerun is over, however it ended (had it failed to start, nothing waits for it forever). */
  public static void rerunDone() {
    openRerunStart();
  }

  /**
   * Waits for the planned rerun of the first command to start (at most {@code maxMinutes}; at once when
   * none is planned): lets a test run its work beside the rerun, which alone leaves the cores idle a third
   * of its time (one driver thread planning small queries), rather than beside the unit tests.
   */
  public static void awaitRerunStartIfPlanned(long maxMinutes) {
    await(rerunStarted, maxMinutes);
  }

  private static void await(java.util.concurrent.CountDownLatch planned, long maxMinutes) {
    if (planned == null) {
      return;
    }
    try {
      planned.await(maxMinutes, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Result runFirst() throws IOException {
    Path done = root().resolve("warehouse/_first_run_complete");
    if (System.getProperty("lifecycle.sampleRun") != null && Files.exists(done)) {
      FIRST_RUN_STARTED.countDown();
      return new Result(FIRST_COMMAND, 0, "(reused " + done + ")\n" + Files.readString(done), Duration.ZERO);
    }
    try {
      delete(root().resolve("warehouse"));
    } finally {
      FIRST_RUN_STARTED.countDown();
    }
    Result first = run(FIRST_COMMAND, 25);
    if (first.exitCode() == 0) {
      Files.writeString(done, first.output());
    }
    return first;
  }

  /**
   * A copy of the clone's {@code parts} (folders such as {@code conf}, {@code warehouse}) in a new folder
   * beside it: a command that changes the sample run's tables runs there, beside the tests that read them.
   */
  public static Path copyOf(String name, List<String> parts) throws IOException {
    Path copy = root().resolveSibling(name);
    delete(copy);
    for (String part : parts) {
      Path from = root().resolve(part);
      try (Stream<Path> files = Files.walk(from)) {
        for (Path p : files.toList()) {
          Path to = copy.resolve(root().relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
    }
    return copy;
  }

  /** A command run in the clone's folder, as typed there (the first word is the program). */
  public static Result run(List<String> command, long timeoutMinutes) {
    List<String> cmd = new ArrayList<>();
    if (command.get(0).startsWith("bin/")) {
      cmd.add("bash");
    }
    cmd.addAll(command);
    try {
      Path log = Files.createTempFile("lifecycle-clone-command", ".log");
      Instant started = Instant.now();
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(root().toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      // The child builds and runs with its own settings, not this JVM's test ones.
      pb.environment().remove("JAVA_TOOL_OPTIONS");
      pb.environment().remove("MAVEN_OPTS");
      Process p = pb.start();
      RUNNING.add(p);
      try {
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          throw new AssertionError("timed out after " + timeoutMinutes + " min: " + command + "\n" + Files.readString(log));
        }
      } finally {
        RUNNING.remove(p);
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

  public static void delete(Path dir) {
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
