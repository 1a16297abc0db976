package io.lifecycle.ingest;

import io.lifecycle.config.LifecycleConfig.Input;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code ignoreCorruptFiles}, Spark skips a file it cannot read and says so only in its log. This
 * finds such files among those that produced no row (bounded by the number of input files) by reading
 * each alone, strictly, so they can be quarantined instead of vanishing.
 */
final class UnreadableFiles {
  private static final Logger LOG = LoggerFactory.getLogger(UnreadableFiles.class);

  private UnreadableFiles() {}

  /** The files of {@code raw} outside {@code filesWithRows} that cannot be read on their own. */
  static List<String> among(SparkSession spark, Input input, Dataset<Row> raw, Set<String> filesWithRows) {
    List<String> unreadable = new ArrayList<>();
    for (String file : raw.inputFiles()) {
      if (filesWithRows.contains(file)) {
        continue;
      }
      Map<String, String> strict = new HashMap<>(input.options());
      strict.put("ignoreCorruptFiles", "false");
      try {
        new RawEventReader(spark, new Input(file, input.format(), strict, input.textDelimiter(), input.textFields(),
            input.textSkipPattern(), input.columns(), input.eventTypeConstant(), input.timestampFormats(), input.zone(),
            input.dedup(), input.identity())).read().count();
      } catch (Exception e) { // Spark's read failure is a checked SparkException
        LOG.warn("input file {} cannot be read: quarantined as unreadable_file", file);
        unreadable.add(file);
      }
    }
    return unreadable;
  }
}
