package io.lifecycle.io;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run at a time per output root. Delta's optimistic commits already keep every table consistent
 * under concurrent writers (one of them fails with a conflict); the lock makes the second run stop at
 * once, before any work, with a clear message. It is a file created exclusively under the output root;
 * a lock older than the configured timeout is taken to be left by a killed run and is taken over.
 */
public final class RunLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
  static final String FILE = "_lifecycle_run.lock";

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
          out.write((owner + " since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8));
          return new RunLock(fs, path);
        } catch (FileAlreadyExistsException e) {
          long age = System.currentTimeMillis() - fs.getFileStatus(path).getModificationTime();
          if (age > staleAfter.toMillis() && attempt == 0) {
            LOG.warn("taking over a run lock {} min old at {} (a killed run?)", age / 60000, path);
            fs.delete(path, false);
            continue;
          }
          String holder = new String(fs.open(path).readAllBytes(), StandardCharsets.UTF_8).trim();
          throw new LifecycleException(ExitCode.WRITE_CONFLICT, "Another run is writing to " + outputRoot + " (" + holder
              + "); retry when it has finished, or delete " + path + " if no run is active");
        }
      }
      throw new IllegalStateException("unreachable");
    } catch (IOException e) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "Cannot write to the output root " + outputRoot + ": " + e.getMessage(), e);
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
