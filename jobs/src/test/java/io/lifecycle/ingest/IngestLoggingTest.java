package io.lifecycle.ingest;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.LogCapture;
import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.pipeline.Pipeline;
import io.lifecycle.pipeline.RunContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
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
    TestSupport.inputFile(dir, "a.csv", String.join("\n",
        "customer_id,event_time,event_type,amount,channel,event_id",
        MARKER + "-c1,2024-03-01T10:00:00Z,page_view_" + MARKER + ",," + MARKER + "-ch," + MARKER + "-e1",
        MARKER + "-c1,2024-03-01T10:00:00Z,page_view_" + MARKER + ",," + MARKER + "-ch," + MARKER + "-e1",
        MARKER + "-c2,not-a-time-" + MARKER + ",page_view,,,",
        MARKER + "-c3,2024-03-01T10:00:00Z,purchase,-1" + MARKER + ",,",
        MARKER + "-c4,2024-03-01T10:00:00Z,\"unterminated " + MARKER + ",,,") + "\n");
    var config = TestSupport.runConfig(dir, "lifecycle.quality.max_quarantine_share = 0.9");

    String log = LogCapture.during(() -> new Pipeline(List.of(new IngestStep()))
        .run(new RunContext(SharedSpark.get(), config, LocalDate.of(2024, 4, 1)), List.of()), true);
    assertTrue(log.contains("ingest (full): read 5, clean 1, duplicates 1, quarantined 3"), log);
    assertFalse(log.contains(MARKER), "a log line prints event data:\n" + log.lines().filter(l -> l.contains(MARKER))
        .findFirst().orElse(""));
  }
}
