package io.lifecycle.io;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per output root. Delta's optimistic commits already keep every table consistent
 * under concurrent writers (one of them fails with a conflict); the lock makes the second run stop at
 * once, before any work, with a clear message. It is a file created exclusively under the output root,
 * naming its holder's process and host. A lock is taken over when it is older than the configured
 * timeout, or at once when its holder is a process of this host that no longer runs (a killed run), so
 * the rerun that resumes a killed run starts straight away.
 */
public final class RunLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
  static final String FILE = "_lifecycle_run.lock";
  private static final Pattern HOLDER = Pattern.compile("\\(pid (\\d+)@(\\S+)\\)");
  private static final String HOST = hostName();
  /** How the lock names its holder: {@code pid 1234@host}. */
  static final String PROCESS = "pid " + ProcessHandle.current().pid() + "@" + HOST;

  private final FileSystem fs;
  private final Path path;

  private RunLock(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = path;
  }

  public static RunLock acquire(Configuration hadoop, String outputRoot, String owner, Duration staleAfter) {
    Path path = new Path(outputRoot, FILE);
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      fs.mkdirs(path.getParent());
      for (int attempt = 0; attempt < 2; attempt++) {
        try (OutputStream out = fs.create(path, false)) {
          out.write((owner + " (" + PROCESS + ") since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
          return new RunLock(fs, path);
        } catch (FileAlreadyExistsException e) {
          long age = System.currentTimeMillis() - fs.getFileStatus(path).getModificationTime();
          String holder = new String(fs.open(path).readAllBytes(), StandardCharsets.UTF_8).trim();
          if (attempt == 0 && age > staleAfter.toMillis()) {
            LOG.warn("taking over a run lock {} min old at {} (a killed run?)", age / 60000, path);
            fs.delete(path, false);
            continue;
          }
          if (attempt == 0 && heldByDeadProcess(holder)) {
            LOG.warn("taking over the run lock at {}: its run ({}) is no longer running on this host", path, holder);
            fs.delete(path, false);
            continue;
          }
          throw new LifecycleException(ExitCode.WRITE_CONFLICT, "Another run is writing to " + outputRoot + " (" + holder
              + "); retry when it has finished, or delete " + path + " if no run is active");
        }
      }
      throw new IllegalStateException("unreachable");
    } catch (IOException e) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Cannot write to the output root " + outputRoot + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether the lock names a process of this host that has ended: a run killed between steps, so the
   * rerun that resumes it need not wait for the timeout. A lock from another host is never judged.
   */
  static boolean heldByDeadProcess(String holder) {
    Matcher m = HOLDER.matcher(holder);
    if (!m.find() || !m.group(2).equals(HOST)) {
      return false;
    }
    long pid = Long.parseLong(m.group(1));
    return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  @Override
  public void close() {
    try {
      fs.delete(path, false);
    } catch (IOException e) {
      LOG.warn("could not remove the run lock {}: {}", path, e.getMessage());
    }
  }
}
