package io.lifecycle.io;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
  private final Configuration hadoop = new Configuration();

  @Test
  void secondRunOnTheSameOutputIsRefusedWithARetryableCode(@TempDir Path dir) {
    String root = dir.resolve("out").toString();
    try (RunLock first = RunLock.acquire(hadoop, root, "attempt A", Duration.ofHours(12))) {
      LifecycleException e = assertThrows(LifecycleException.class,
          () -> RunLock.acquire(hadoop, root, "attempt B", Duration.ofHours(12)));
      assertEquals(ExitCode.WRITE_CONFLICT, e.exitCode());
      assertTrue(e.getMessage().contains("Another run is writing to " + root + " (attempt A (" + RunLock.PROCESS + ") since"), e.getMessage());
    }
    // Released: the next run gets it.
    RunLock.acquire(hadoop, root, "attempt C", Duration.ofHours(12)).close();
  }

  @Test
  void lockOfAProcessOfThisHostThatHasEndedIsTakenOverAtOnce(@TempDir Path dir) throws Exception {
    Process dead = new ProcessBuilder("true").start();
    dead.waitFor();
    String host = RunLock.PROCESS.substring(RunLock.PROCESS.indexOf('@') + 1);
    Path lock = dir.resolve(RunLock.FILE);
    Files.writeString(lock, "attempt killed (pid " + dead.pid() + "@" + host + ") since today\n");
    RunLock.acquire(hadoop, dir.toString(), "attempt new", Duration.ofHours(12)).close();
    assertFalse(Files.exists(lock));
    // A live process, or one on another host, still holds its lock.
    assertFalse(RunLock.heldByDeadProcess("attempt A (" + RunLock.PROCESS + ") since today"));
    assertFalse(RunLock.heldByDeadProcess("attempt B (pid " + dead.pid() + "@some-other-host) since today"));
    assertFalse(RunLock.heldByDeadProcess("attempt C since today"));
  }

  @Test
  void staleLockOfAKilledRunIsTakenOver(@TempDir Path dir) throws Exception {
    Path lock = dir.resolve(RunLock.FILE);
    Files.writeString(lock, "attempt dead since yesterday\n");
    assertTrue(lock.toFile().setLastModified(System.currentTimeMillis() - Duration.ofHours(13).toMillis()));
    RunLock.acquire(hadoop, dir.toString(), "attempt new", Duration.ofHours(12)).close();
    assertFalse(Files.exists(lock));
  }
}
