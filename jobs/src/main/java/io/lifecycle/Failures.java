package io.lifecycle;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an exception chain from Spark into the one line a user needs: the input file that could not
 * be read, a Delta conflict, or the root cause, without a stack trace.
 */
public final class Failures {
  /** Spark's messages naming a file it could not read: a failed scan, or a Parquet footer read for the schema. */
  private static final Pattern READ_FILE = Pattern.compile(
      "(?:Encountered error while reading file|Could not read footer for file:?)\\s+(\\S+?)\\.?\\s");

  private Failures() {}

  public static String describe(Throwable e) {
    String file = unreadableFile(e);
    String cause = firstLine(rootMessage(e));
    if (file != null) {
      return "cannot read input file " + file + ": " + cause
          + " (set lifecycle.input.options.ignoreCorruptFiles = true to skip unreadable files)";
    }
    return root(e) == e ? cause : cause + " (" + e.getClass().getSimpleName() + ")";
  }

  /** The input file a failure could not read, or null when the failure is not about reading one. */
  public static String unreadableFile(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        Matcher m = READ_FILE.matcher(t.getMessage() + " ");
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    return null;
  }

  /**
   * The exit code of an unclassified failure: an input file that cannot be read is bad input (fix or
   * remove it, or let ingest quarantine it), anything else a failure.
   */
  public static ExitCode exitCode(Throwable e) {
    return unreadableFile(e) != null ? ExitCode.DATA_QUALITY : ExitCode.FAILURE;
  }

  private static Throwable root(Throwable e) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      root = t;
    }
    return root;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = root(e);
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return (newline > 0 ? message.substring(0, newline) : message).trim();
  }
}
