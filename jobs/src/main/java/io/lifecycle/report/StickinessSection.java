package io.lifecycle.report;

import static org.apache.spark.sql.functions.col;

import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.tables.ActivitySummaryTable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Stickiness: average daily actives over monthly actives (DAU/MAU) per month, from activity_summary. The query
 * returns the latest months' ratios and the last month's actives for the note; weekly figures stay in the table.
 */
final class StickinessSection {
  private StickinessSection() {}

  private static final int MAX_PERIODS = 36;

  /**
   * @param months the latest months' first days (ISO dates), the oldest first
   * @param stickiness DAU/MAU per month
   * @param complete per month, whether it was complete at the run date
   * @param lastActive customers active in the last month
   * @param lastMeanActiveDays their mean active days in it
   */
  record Stickiness(List<String> months, double[] stickiness, boolean[] complete, long lastActive, double lastMeanActiveDays) {}

  static Part<Stickiness> query(ReportTables tables) {
    return tables.query(ActivitySummaryTable.DEF, "the stickiness chart", activity -> {
      // Bounded: one row per calendar month, the latest MAX_PERIODS.
      List<Row> months = activity.where(col(ActivitySummaryTable.PERIOD_TYPE).equalTo(ActivitySummaryTable.MONTH))
          .select(col(ActivitySummaryTable.PERIOD).cast("string"), col(ActivitySummaryTable.STICKINESS),
              col(ActivitySummaryTable.ACTIVE), col(ActivitySummaryTable.MEAN_ACTIVE_DAYS), col(ActivitySummaryTable.PERIOD_COMPLETE))
          .orderBy(col(ActivitySummaryTable.PERIOD).desc()).limit(MAX_PERIODS).collectAsList();
      if (months.isEmpty()) {
        return Part.missing("Table activity_summary has no months: nobody was active before " + tables.runDate() + ".");
      }
      List<Row> ordered = new ArrayList<>(months);
      Collections.reverse(ordered);
      boolean[] complete = new boolean[ordered.size()];
      for (int i = 0; i < complete.length; i++) {
        complete[i] = ordered.get(i).getBoolean(4);
      }
      Row last = ordered.get(ordered.size() - 1);
      return Part.of(new Stickiness(ordered.stream().map(m -> m.getString(0)).toList(),
          ordered.stream().mapToDouble(m -> m.getDouble(1)).toArray(), complete, last.getLong(2), last.getDouble(3)));
    });
  }

  static void render(HtmlPage page, Part<Stickiness> stickiness) {
    stickiness.draw(page, s -> {
      List<String> labels = new ArrayList<>();
      for (int i = 0; i < s.months().size(); i++) {
        labels.add(s.months().get(i).substring(0, 7) + (s.complete()[i] ? "" : "*"));
      }
      page.chart(SvgChart.bars("stickiness", "Stickiness: average daily actives / monthly actives (DAU/MAU)", labels,
          "Month (* = not complete at the run date)", Axis.fromZero("DAU/MAU (%)", Markup::percentShort),
          List.of(new Bars("DAU/MAU", s.stickiness())), false));
      int last = s.months().size() - 1;
      page.note("In " + s.months().get(last).substring(0, 7) + ", " + Markup.count(s.lastActive()) + " customers were active, on "
          + Markup.decimal(s.lastMeanActiveDays(), 2) + " days each on average; a typical day saw "
          + Markup.percentShort(s.stickiness()[last]) + " of them. Weekly figures (DAU/WAU) and the distribution of active days"
          + " are in activity_summary.");
    });
  }
}
