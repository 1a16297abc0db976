package io.lifecycle.io;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;

/** Every form of a path a user writes, and the qualified location it becomes. */
class LocationsTest {
  private static final Path WORK = Path.of("/srv/team/lifecycle");

  private static Configuration local() {
    Configuration conf = new Configuration(false);
    conf.set("fs.defaultFS", "file:///");
    return conf;
  }

  private static String q(String written) {
    return Locations.qualify(written, local(), WORK);
  }

  @Test
  void relativePathsAreTakenFromTheWorkingDirectory() {
    assertEquals("file:/srv/team/lifecycle/warehouse", q("warehouse"));
    assertEquals("file:/srv/team/lifecycle/out/x", q("./out/x"));
    assertEquals("file:/srv/team/out", q("../out"));
    assertEquals("file:/srv/team/lifecycle/data-samples/events.csv", q("data-samples/events.csv"));
  }

  @Test
  void absolutePathsAndTrailingSlashes() {
    assertEquals("file:/data/warehouse", q("/data/warehouse"));
    assertEquals("file:/data/warehouse", q("/data/warehouse/"));
    assertEquals("file:/data/warehouse", q("/data//warehouse/./"));
    assertEquals("file:/srv/team/lifecycle/warehouse", q("warehouse/"));
    assertEquals("file:/data/warehouse", q("  /data/warehouse  "), "surrounding blanks are not part of a path");
  }

  @Test
  void fileUrisInEveryCommonSpelling() {
    assertEquals("file:/data/warehouse", q("file:///data/warehouse"));
    assertEquals("file:/data/warehouse", q("file:/data/warehouse/"));
    assertEquals("file:/data/warehouse", q("file://localhost/data/warehouse"));
    assertEquals("file:/data/my warehouse", q("file:///data/my%20warehouse"), "percent-escapes decoded");
    assertEquals("file:/data/my warehouse", q("file:///data/my warehouse"), "or written plainly");
    assertEquals("file:/srv/team/lifecycle/warehouse", q("file:warehouse"), "a relative file: URI");
    LifecycleException remote = assertThrows(LifecycleException.class, () -> q("file://fileserver/share/x"));
    assertEquals(ExitCode.USAGE_OR_CONFIG, remote.exitCode());
    assertTrue(remote.getMessage().contains("another host"), remote.getMessage());
  }

  @Test
  void aRootThatDoesNotExistYetIsStillQualified() {
    Path missing = Path.of(System.getProperty("java.io.tmpdir"), "lifecycle-no-such-folder-" + System.nanoTime(), "a", "b");
    assertEquals("file:" + missing, Locations.qualify(missing.toString(), local(), WORK));
  }

  @Test
  void theHomeFolderAndGlobs() {
    assertEquals("file:" + System.getProperty("user.home") + "/lake", q("~/lake"));
    assertEquals("file:/landing/events/2026-*", q("/landing/events/2026-*"));
    assertEquals("file:/srv/team/lifecycle/in/{a,b}/*.csv", q("in/{a,b}/*.csv"));
  }

  @Test
  void otherFileSystemsAreLeftAsWritten() {
    for (String uri : new String[] {"s3a://my-bucket/lifecycle", "s3a://my-bucket/lifecycle/",
        "abfss://lake@account.dfs.core.windows.net/lifecycle", "hdfs://namenode:8020/lifecycle/warehouse",
        "hdfs:///lifecycle", "dbfs:/lifecycle/warehouse", "gs://bucket/x"}) {
      assertEquals(uri, q(uri), uri);
    }
  }

  @Test
  void qualifyingTwiceChangesNothing() {
    for (String written : new String[] {"warehouse", "./out/x", "/data/w/", "file:///data/w", "s3a://b/w", "~/lake"}) {
      String once = q(written);
      assertEquals(once, q(once), written);
      assertEquals(once, Locations.qualify(once, local(), Path.of("/somewhere/else")), "a qualified path has no base");
    }
  }

  @Test
  void pathsWithoutASchemeAreOnTheDefaultFileSystem() {
    Configuration hdfs = new Configuration(false);
    hdfs.set("fs.defaultFS", "hdfs://namenode:8020");
    assertEquals("hdfs://namenode:8020/lifecycle/warehouse", Locations.qualify("/lifecycle/warehouse", hdfs, WORK));
    assertEquals("hdfs://namenode:8020/lifecycle/warehouse", Locations.qualify("/lifecycle/warehouse/", hdfs, WORK));

    // A relative path is relative to that file system's working directory, as Spark reads it.
    Configuration mock = new Configuration(false);
    mock.set("fs.defaultFS", "mock:///");
    mock.set("fs.mock.impl", WorkingDirFileSystem.class.getName());
    mock.setBoolean("fs.mock.impl.disable.cache", true);
    assertEquals("mock:/user/analyst/warehouse", Locations.qualify("warehouse", mock, WORK));
    assertEquals("mock:/lake", Locations.qualify("/lake", mock, WORK));
  }

  @Test
  void tableAndFileLocationsJoinTheRootOnce() {
    assertEquals("s3a://b/lake/events", Locations.child("s3a://b/lake/", "events"));
    assertEquals("s3a://b/lake/events", Locations.child("s3a://b/lake", "events"));
    assertEquals("dbfs:/events", Locations.child("dbfs:/", "events"));
    assertEquals("file:/data/w/report/index.html", Locations.child("file:/data/w", "report/index.html"));
  }

  @Test
  void theKeyFileIsALocalFileMadeAbsolute() {
    assertEquals("/srv/team/lifecycle/secrets/key", Locations.localFile("secrets/key", WORK, "lifecycle.privacy.key_file"));
    assertEquals("/etc/lifecycle/key", Locations.localFile("file:///etc/lifecycle/key", WORK, "k"));
    assertNull(Locations.localFile(null, WORK, "k"));
    LifecycleException e = assertThrows(LifecycleException.class,
        () -> Locations.localFile("s3a://secrets/key", WORK, "lifecycle.privacy.key_file"));
    assertEquals(ExitCode.USAGE_OR_CONFIG, e.exitCode());
    assertTrue(e.getMessage().startsWith("lifecycle.privacy.key_file: must be a file on the machine"), e.getMessage());
  }

  @Test
  void everyPathOfAConfigIsQualifiedAtOnce() {
    LifecycleConfig config = TestSupport.config(
        "lifecycle.input.path = \"data-samples/events.csv\"",
        "lifecycle.output.root = \"warehouse/\"",
        "lifecycle.privacy.key_file = \"conf/key\"");
    LifecycleConfig q = Locations.qualifyPaths(config, local(), WORK);
    assertEquals("file:/srv/team/lifecycle/data-samples/events.csv", q.input().path());
    assertEquals("file:/srv/team/lifecycle/warehouse", q.output().root());
    assertEquals("/srv/team/lifecycle/conf/key", q.privacy().keyFile());
    assertEquals(config.hash(), q.hash(), "qualifying is not a change of configuration");
    assertThrows(LifecycleException.class, () -> q(" "));
  }

  /** A file system whose working directory is a home folder, as HDFS's is. */
  public static final class WorkingDirFileSystem extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create("mock:///");
    }

    @Override
    public org.apache.hadoop.fs.Path getWorkingDirectory() {
      return new org.apache.hadoop.fs.Path("mock:/user/analyst");
    }
  }
}
