package io.lifecycle.io;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local file system every session uses: Hadoop's behaviour, permissions and links through Java NIO. */
class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path dir;

  private static Configuration conf() {
    return SharedSpark.get().sessionState().newHadoopConf();
  }

  @Test
  void sessionsUseItForBothHadoopFileSystemApis() throws Exception {
    assertInstanceOf(NioLocalFileSystem.class, FileSystem.get(java.net.URI.create("file:///"), conf()));
    FileContext fc = FileContext.getFileContext(java.net.URI.create("file:///"), conf());
    assertInstanceOf(NioLocalFileSystem.Fs.class, fc.getDefaultFileSystem());
  }

  @Test
  void setsPermissionsAsChmodWould() throws Exception {
    FileSystem fs = FileSystem.get(java.net.URI.create("file:///"), conf());
    Path file = new Path(dir.resolve("a.txt").toUri());
    try (var out = fs.create(file)) {
      out.write(1);
    }
    fs.setPermission(file, new FsPermission((short) 0640));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.txt"))));
    fs.setPermission(file, new FsPermission((short) 0755));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.txt"))));
    assertEquals(new FsPermission((short) 0755), fs.getFileStatus(file).getPermission());
    assertTrue(fs.mkdirs(new Path(dir.resolve("x/y").toUri()), new FsPermission((short) 0700)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("x/y"))));
  }

  @Test
  void commitsLikeDeltasLogStoreWithARenameThatNeverOverwrites() throws Exception {
    FileContext fc = FileContext.getFileContext(java.net.URI.create("file:///"), conf());
    Path tmp = new Path(dir.resolve(".0.json.tmp").toUri());
    Path committed = new Path(dir.resolve("0.json").toUri());
    try (var out = fc.create(tmp, EnumSet.of(CreateFlag.CREATE))) {
      out.write("{}".getBytes(StandardCharsets.UTF_8));
    }
    fc.rename(tmp, committed, Options.Rename.NONE);
    assertEquals("{}", Files.readString(dir.resolve("0.json")));
    assertTrue(Files.exists(dir.resolve(".0.json.crc")), "the checksum moved with the file");
    Path again = new Path(dir.resolve(".again.tmp").toUri());
    try (var out = fc.create(again, EnumSet.of(CreateFlag.CREATE))) {
      out.write("{}".getBytes(StandardCharsets.UTF_8));
    }
    assertThrows(org.apache.hadoop.fs.FileAlreadyExistsException.class, () -> fc.rename(again, committed, Options.Rename.NONE));
  }

  @Test
  void linkStatusIsHadoopsForLinksAndPlainFiles() throws Exception {
    Files.writeString(dir.resolve("target.txt"), "xyz");
    Files.createSymbolicLink(dir.resolve("link.txt"), dir.resolve("target.txt"));
    FileSystem ours = FileSystem.get(java.net.URI.create("file:///"), conf());
    org.apache.hadoop.fs.RawLocalFileSystem hadoops = new org.apache.hadoop.fs.RawLocalFileSystem();
    hadoops.initialize(java.net.URI.create("file:///"), new Configuration());
    for (String name : new String[] {"link.txt", "target.txt"}) {
      Path p = new Path(dir.resolve(name).toUri());
      var a = ours.getFileLinkStatus(p);
      var b = hadoops.getFileLinkStatus(p);
      assertEquals(b.isSymlink(), a.isSymlink(), name);
      assertEquals(b.getLen(), a.getLen(), name);
      assertEquals(b.getPath(), a.getPath(), name);
    }
  }
}
