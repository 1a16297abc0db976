package io.lifecycle.ingest;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.pipeline.Pipeline;
import io.lifecycle.pipeline.RunContext;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs at INFO (ours and Spark's) never print event rows: an ingest of rows carrying a marker in every
 * field, clean, duplicate, quarantined and malformed, logs its counts but never the marker.
 */
@org.junit.jupiter.api.parallel.Isolated("captures every log line written while it runs")
class IngestLoggingTest {
  private static final String MARKER = "ZQX-MARKER";

  @Test
  void infoLogsNeverPrintEventRows(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/a.csv"), String.join("\n",
        "customer_id,event_time,event_type,amount,channel,event_id",
        MARKER + "-c1,2024-03-01T10:00:00Z,page_view_" + MARKER + ",," + MARKER + "-ch," + MARKER + "-e1",
        MARKER + "-c1,2024-03-01T10:00:00Z,page_view_" + MARKER + ",," + MARKER + "-ch," + MARKER + "-e1",
        MARKER + "-c2,not-a-time-" + MARKER + ",page_view,,,",
        MARKER + "-c3,2024-03-01T10:00:00Z,purchase,-1" + MARKER + ",,",
        MARKER + "-c4,2024-03-01T10:00:00Z,\"unterminated " + MARKER + ",,,") + "\n");
    var config = TestSupport.config("lifecycle.input.path = \"" + dir.resolve("in") + "\"",
        "lifecycle.output.root = \"" + dir.resolve("out") + "\"", "lifecycle.quality.max_quarantine_share = 0.9");

    String log = captureInfoLogs(() -> new Pipeline(List.of(new IngestStep()))
        .run(new RunContext(SharedSpark.get(), config, LocalDate.of(2024, 4, 1)), List.of()));
    assertTrue(log.contains("ingest (full): read 5, clean 1, duplicates 1, quarantined 3"), log);
    assertFalse(log.contains(MARKER), "a log line prints event data:\n" + log.lines().filter(l -> l.contains(MARKER))
        .findFirst().orElse(""));
  }

  /** Everything logged at INFO and above while the action runs, with the root logger at INFO. */
  private static String captureInfoLogs(Runnable action) {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    StringWriter out = new StringWriter();
    Appender capture = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%p %c: %m %ex%n").build(),
        null, out, "capture", false, true);
    capture.start();
    LoggerConfig root = config.getRootLogger();
    Level level = root.getLevel();
    // Spark's own INFO lines go to the capture only, not to the console.
    Appender console = root.getAppenders().get("console");
    root.removeAppender("console");
    root.addAppender(capture, Level.INFO, null);
    root.setLevel(Level.INFO);
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
