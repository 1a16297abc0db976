package io.lifecycle.io;

import io.lifecycle.ExitCode;
import io.lifecycle.LifecycleException;
import io.lifecycle.config.LifecycleConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Turns a path as a user writes it (in a config file or on the command line) into the one qualified
 * location that every table, the report, the model folder and the run lock are placed under. Written
 * once here because Delta and Spark disagree on unqualified paths: Delta refuses to create a table at a
 * relative location ({@code warehouse/events} "is not a valid name"), while reads of the same string
 * work, so a relative root failed only on a fresh output folder.
 *
 * <p>The rules, in order:
 * <ul>
 *   <li>a URI of another file system ({@code s3a://}, {@code abfss://}, {@code hdfs://}, {@code dbfs:},
 *       {@code gs://}) is left exactly as written;</li>
 *   <li>a {@code file:} URI ({@code file:///x}, {@code file:/x}, {@code file://localhost/x}) is a local
 *       path;</li>
 *   <li>a path without a scheme is on the default file system ({@code fs.defaultFS}): on a local
 *       machine a local path, relative to the working directory ({@code ~} is the home folder);
 *       on a cluster whose default is HDFS (or DBFS), that file system's path, relative to its working
 *       directory, as Spark itself reads it;</li>
 *   <li>local paths become {@code file:/absolute/normalized/path}, without {@code .}, {@code ..} or a
 *       trailing slash; the folder need not exist.</li>
 * </ul>
 * Qualifying a qualified location returns it unchanged.
 */
public final class Locations {
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*", Pattern.DOTALL);
  private static final String FILE = "file";

  private Locations() {}

  /**
   * The qualified location of {@code written}; {@code workingDir} is the local folder a relative local
   * path is relative to. Null stays null.
   */
  public static String qualify(String written, Configuration hadoop, java.nio.file.Path workingDir) {
    if (written == null) {
      return null;
    }
    String path = written.trim();
    if (path.isEmpty()) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "a path is empty");
    }
    String scheme = scheme(path);
    if (scheme != null && !scheme.equalsIgnoreCase(FILE)) {
      return path;
    }
    if (scheme != null) {
      return local(filePath(path), workingDir);
    }
    URI defaultFs = FileSystem.getDefaultUri(hadoop);
    if (defaultFs.getScheme() == null || defaultFs.getScheme().equalsIgnoreCase(FILE)) {
      return local(path, workingDir);
    }
    return onDefaultFileSystem(path, defaultFs, hadoop);
  }

  /**
   * A local file the driver reads itself (the pseudonymization key): an absolute local path, with a
   * relative one taken from {@code workingDir}. A location on another file system is refused, naming
   * {@code key}.
   */
  public static String localFile(String written, java.nio.file.Path workingDir, String key) {
    if (written == null) {
      return null;
    }
    String path = written.trim();
    String scheme = scheme(path);
    if (scheme != null && !scheme.equalsIgnoreCase(FILE)) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG,
          key + ": must be a file on the machine that starts the job (got " + scheme + ": " + written + ")");
    }
    String local = scheme == null ? path : filePath(path);
    return absolute(local, workingDir).toString();
  }

  /**
   * The configuration with every path in it qualified: {@code input.path}, {@code output.root}, {@code
   * input.customer_properties.path} and {@code privacy.key_file} (a local file). Applied once per run, before any step, so the log, run_log
   * and every location derived from the root show the same qualified root.
   */
  public static LifecycleConfig qualifyPaths(LifecycleConfig config, Configuration hadoop, java.nio.file.Path workingDir) {
    return config
        .withInputPath(qualify(config.input().path(), hadoop, workingDir))
        .withOutputRoot(qualify(config.output().root(), hadoop, workingDir))
        .withCustomerPropertiesPath(qualify(config.cohorts().breakdowns().properties().path(), hadoop, workingDir))
        .withPrivacyKeyFile(localFile(config.privacy().keyFile(), workingDir, "lifecycle.privacy.key_file"));
  }

  /** The process's working directory: what relative paths in a config file are relative to. */
  public static java.nio.file.Path workingDirectory() {
    return java.nio.file.Path.of(System.getProperty("user.dir"));
  }

  /** The location of {@code name} inside the folder {@code root}. */
  public static String child(String root, String name) {
    return root.endsWith("/") ? root + name : root + "/" + name;
  }

  /** The scheme of a URI, or null for a plain path. */
  static String scheme(String path) {
    if (!SCHEME.matcher(path).matches()) {
      return null;
    }
    return path.substring(0, path.indexOf(':'));
  }

  /** The local path a {@code file:} URI names; percent-escapes are decoded when it is a valid URI. */
  private static String filePath(String uri) {
    String rest;
    try {
      URI parsed = new URI(uri);
      if (parsed.isOpaque()) {
        rest = parsed.getSchemeSpecificPart();
      } else {
        String host = parsed.getAuthority();
        if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
          throw remoteFile(uri);
        }
        rest = parsed.getPath();
      }
    } catch (URISyntaxException e) {
      // Not encoded (a space, a glob's braces): the text after the scheme is the path as written.
      rest = uri.substring(uri.indexOf(':') + 1);
      if (rest.startsWith("//")) {
        int slash = rest.indexOf('/', 2);
        String host = slash < 0 ? rest.substring(2) : rest.substring(2, slash);
        if (!host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
          throw remoteFile(uri);
        }
        rest = slash < 0 ? "/" : rest.substring(slash);
      }
    }
    if (rest == null || rest.isEmpty()) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "'" + uri + "' names no path");
    }
    return rest;
  }

  private static LifecycleException remoteFile(String uri) {
    return new LifecycleException(ExitCode.USAGE_OR_CONFIG,
        "'" + uri + "' names a file on another host; use that host's file system (hdfs://, s3a://, ...) or a local path");
  }

  private static String local(String path, java.nio.file.Path workingDir) {
    // Hadoop's own form of a local path: scheme and absolute path, not URI-encoded (Path takes it so).
    return new Path(FILE, null, absolute(path, workingDir).toString()).toString();
  }

  private static java.nio.file.Path absolute(String path, java.nio.file.Path workingDir) {
    String expanded = path;
    if (path.equals("~") || path.startsWith("~/")) {
      expanded = System.getProperty("user.home") + path.substring(1);
    }
    return workingDir.toAbsolutePath().resolve(expanded).normalize();
  }

  private static String onDefaultFileSystem(String path, URI defaultFs, Configuration hadoop) {
    Path p = new Path(path);
    if (p.isAbsolute()) {
      return p.makeQualified(defaultFs, new Path("/")).toString();
    }
    try {
      // Relative: that file system's working directory (HDFS: /user/<name>), as Spark would read it.
      return FileSystem.get(defaultFs, hadoop).makeQualified(p).toString();
    } catch (IOException | RuntimeException e) {
      throw new LifecycleException(ExitCode.USAGE_OR_CONFIG, "cannot resolve the relative path '" + path
          + "' on the default file system " + defaultFs + " (" + e.getMessage() + "); give an absolute path or a URI", e);
    }
  }
}
