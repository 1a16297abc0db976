package io.lifecycle.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the packaged job in a separate JVM, as a user or a scheduler would, and captures its output. */
final class ProcessRunner {
  private ProcessRunner() {}

  record Result(int exitCode, String output) {}

  static Result run(File workDir, List<String> command, long timeoutMinutes) throws IOException, InterruptedException {
    Path log = Files.createTempFile("lifecycle-process", ".log");
    Process p = new ProcessBuilder(command).directory(workDir).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command + "\n" + Files.readString(log));
    }
    return new Result(p.exitValue(), Files.readString(log));
  }

  /** Spark's own jars from this JVM's classpath, without our classes or the jars shaded into the job jar. */
  static String sparkClasspath() {
    List<String> kept = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      boolean ours = e.endsWith("/target/classes") || e.endsWith("/target/test-classes")
          || e.contains("/io/delta/") || e.contains("/com/typesafe/config/") || e.contains("/junit") || e.contains("/opentest4j/");
      if (!ours) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  /** The Java 17 flags Spark needs, as the build passes them to tests. */
  static List<String> javaCommand() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    // The test JVM's compiler and collector (tests.jvm in jobs/pom.xml): short runs spend less CPU.
    cmd.addAll(Arrays.asList(System.getProperty("lifecycle.tests.jvm", "").trim().split("\\s+")));
    cmd.addAll(Arrays.asList(System.getProperty("spark.opens", "").trim().split("\\s+")));
    cmd.removeIf(String::isEmpty);
    return cmd;
  }

  static File repoRoot() {
    File dir = new File(System.getProperty("user.dir")).getAbsoluteFile();
    return new File(dir, "bin/lifecycle").exists() ? dir : dir.getParentFile();
  }
}
