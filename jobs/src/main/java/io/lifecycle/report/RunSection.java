package io.lifecycle.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.tables.EventsTable;
import io.lifecycle.tables.QuarantineTable;
import io.lifecycle.tables.RunLogTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Run counts: where the run date's input rows went (clean, duplicate, quarantined, skipped), the quarantine
 * reasons, and each step's latest attempt. The query reads run_log and the quarantine into a few numbers and
 * one row per reason and per step; the renderer only draws them.
 */
final class RunSection {
  private RunSection() {}

  /**
   * @param ingest the latest successful ingest's counts, or the note that none is logged
   * @param reasons quarantined rows per reason code, the most frequent first
   * @param steps the latest attempt of each step, in the order they started
   */
  record RunCounts(Part<Ingest> ingest, List<Reason> reasons, List<StepRun> steps) {}

  /** Where the input rows of the run date went: read = clean + duplicates + quarantined + skipped. */
  record Ingest(long read, long clean, long duplicates, long quarantined, long skipped) {}

  record Reason(String reason, long rows) {}

  /** @param seconds the attempt's duration, NaN when it has not finished */
  record StepRun(String step, String status, String started, double seconds) {}

  static Part<RunCounts> query(ReportTables tables) {
    return tables.query(RunLogTable.DEF, "the run log",
        log -> Part.of(new RunCounts(ingest(tables, log), reasons(tables), steps(tables, log))));
  }

  private static Part<Ingest> ingest(ReportTables tables, Dataset<Row> log) {
    // Bounded: The latest successful ingest of the run date: one row.
    List<Row> ingest = log.where(tables.onRunDate().and(col(RunLogTable.STEP).equalTo(RunLogTable.INGEST))
            .and(col(RunLogTable.STATUS).equalTo(RunLogTable.SUCCEEDED)))
        .orderBy(col(RunLogTable.STARTED_AT).desc()).limit(1).collectAsList();
    if (ingest.isEmpty()) {
      return Part.missing("No successful ingest is logged for run date " + tables.runDate() + ": the counts of read, clean,"
          + " duplicate and quarantined rows are not available (run the ingest step for this date).");
    }
    Row r = ingest.get(0);
    long read = r.isNullAt(r.fieldIndex(RunLogTable.INPUT_ROWS)) ? 0 : r.<Long>getAs(RunLogTable.INPUT_ROWS);
    int outputRows = r.fieldIndex(RunLogTable.OUTPUT_ROWS);
    Map<String, Long> out = r.isNullAt(outputRows) ? Map.of() : r.getJavaMap(outputRows);
    long clean = out.getOrDefault(EventsTable.DEF.name(), 0L);
    long quarantined = out.getOrDefault(QuarantineTable.DEF.name(), 0L);
    long skipped = out.getOrDefault(RunLogTable.INGEST_SKIPPED, 0L);
    // Runs logged before the ingest recorded its duplicates: what is left over.
    long duplicates = out.getOrDefault(RunLogTable.INGEST_DUPLICATES, read - clean - quarantined - skipped);
    return Part.of(new Ingest(read, clean, duplicates, quarantined, skipped));
  }

  private static List<Reason> reasons(ReportTables tables) {
    if (!tables.exists(QuarantineTable.DEF)) {
      return List.of();
    }
    // One row per reason code: bounded by the reason list.
    List<Row> reasons = tables.read(QuarantineTable.DEF).where(tables.onRunDate()).groupBy(QuarantineTable.REASON).count()
        .orderBy(col("count").desc(), col(QuarantineTable.REASON)).collectAsList();
    return reasons.stream().map(q -> new Reason(q.getString(0), q.getLong(1))).toList();
  }

  private static List<StepRun> steps(ReportTables tables, Dataset<Row> log) {
    // The latest attempt of each step for the run date: bounded by the number of steps.
    List<Row> steps = log.where(tables.onRunDate())
        .withColumn("_n", row_number().over(Window.partitionBy(RunLogTable.STEP).orderBy(col(RunLogTable.STARTED_AT).desc())))
        .where(col("_n").equalTo(1)).orderBy(RunLogTable.STARTED_AT)
        .select(col(RunLogTable.STEP), col(RunLogTable.STATUS), col(RunLogTable.STARTED_AT).cast("string"),
            col(RunLogTable.FINISHED_AT).cast("double").minus(col(RunLogTable.STARTED_AT).cast("double")))
        .collectAsList();
    return steps.stream()
        .map(s -> new StepRun(s.getString(0), s.getString(1), s.getString(2), s.isNullAt(3) ? Double.NaN : s.getDouble(3))).toList();
  }

  static void render(HtmlPage page, Part<RunCounts> counts) {
    counts.draw(page, c -> {
      c.ingest().draw(page, i -> ingest(page, i));
      if (!c.reasons().isEmpty()) {
        page.table(List.of("quarantine reason", "rows"),
            c.reasons().stream().map(q -> List.of(q.reason(), Markup.count(q.rows()))).toList());
      }
      if (!c.steps().isEmpty()) {
        page.table(List.of("step", "status", "started (UTC)", "seconds"), c.steps().stream().map(s -> List.of(
            s.step(), s.status(), s.started().replaceAll("\\.\\d+$", ""), Markup.decimal(s.seconds(), 1))).toList());
      }
    });
  }

  private static void ingest(HtmlPage page, Ingest i) {
    List<String> names = List.of("Read", "Clean", "Duplicates", "Quarantined", "Skipped");
    double[] values = {i.read(), i.clean(), i.duplicates(), i.quarantined(), i.skipped()};
    page.chart(SvgChart.bars("run-counts", "Input rows by outcome", names, "Outcome of each input row",
        Axis.fromZero("Rows", Markup::compact), List.of(new Bars("rows", values)), false));
    List<List<String>> rows = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      rows.add(List.of(names.get(k), Markup.count((long) values[k]), i.read() > 0 ? Markup.percent(values[k] / i.read()) : "n/a"));
    }
    page.table(List.of("rows", "count", "share of read"), rows);
    page.note("Every input row ends in exactly one place: read = clean + duplicates + quarantined + skipped.");
  }
}
