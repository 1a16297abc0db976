package io.lifecycle;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an exception chain from Spark into the one line a user needs: the input file that could not
 * be read, a Delta conflict, or the root cause, without a stack trace.
 */
public final class Failures {
  private static final Pattern READ_FILE = Pattern.compile("Encountered error while reading file (\\S+?)\\.?\\s");

  private Failures() {}

  public static String describe(Throwable e) {
    String file = null;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (file == null && t.getMessage() != null) {
        Matcher m = READ_FILE.matcher(t.getMessage() + " ");
        if (m.find()) {
          file = m.group(1);
        }
      }
      root = t;
    }
    String cause = firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    if (file != null) {
      return "cannot read input file " + file + ": " + cause
          + " (set lifecycle.input.options.ignoreCorruptFiles = true to skip unreadable files)";
    }
    return root == e ? cause : cause + " (" + e.getClass().getSimpleName() + ")";
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return (newline > 0 ? message.substring(0, newline) : message).trim();
  }
}
