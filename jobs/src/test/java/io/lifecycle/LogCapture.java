package io.lifecycle;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * What a piece of code logs, captured from this JVM's Log4j: the lines a user of the command line would
 * read, for tests that run the job in the test JVM. The capture sees every thread's lines, so captures
 * and the tests that replace {@code System.err} take the JVM's console in turn ({@link #exclusively}):
 * a README command run in the background beside the unit tests ({@code InJvmCommand}) then never mixes
 * its lines into a test's one-line error.
 */
public final class LogCapture {
  private static final java.util.concurrent.locks.ReentrantLock CONSOLE = new java.util.concurrent.locks.ReentrantLock(true);

  private LogCapture() {}

  /** Runs {@code action} while no other capture or {@code System.err} replacement runs (reentrant). */
  public static <T> T exclusively(java.util.function.Supplier<T> action) {
    CONSOLE.lock();
    try {
      return action.get();
    } finally {
      CONSOLE.unlock();
    }
  }

  /**
   * The lines logged at INFO and above while {@code action} runs. With {@code everyLogger} the root logger
   * is lowered to INFO (Spark's and Delta's INFO lines too) and they go to the capture only; otherwise
   * the loggers keep their levels and the console keeps printing.
   */
  public static String during(Runnable action, boolean everyLogger) {
    return exclusively(() -> capture(action, everyLogger));
  }

  private static String capture(Runnable action, boolean everyLogger) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    StringWriter out = new StringWriter();
    Appender capture = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%p %c: %m %ex%n").build(),
        null, out, "capture", false, true);
    capture.start();
    LoggerConfig root = context.getConfiguration().getRootLogger();
    Level level = root.getLevel();
    Appender console = everyLogger ? root.getAppenders().get("console") : null;
    if (console != null) {
      root.removeAppender("console");
    }
    root.addAppender(capture, Level.INFO, null);
    if (everyLogger) {
      root.setLevel(Level.INFO);
    }
    context.updateLoggers();
    try {
      action.run();
    } finally {
      root.removeAppender("capture");
      if (console != null) {
        root.addAppender(console, null, null);
      }
      root.setLevel(level);
      context.updateLoggers();
      capture.stop();
    }
    return out.toString();
  }
}
