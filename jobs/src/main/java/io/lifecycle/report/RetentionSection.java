package io.lifecycle.report;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Series;
import io.lifecycle.tables.CohortRetentionTable;
import io.lifecycle.tables.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Cohort retention: the heatmap of the latest cohorts by period offset and the retention curves, then bracket
 * retention ({@link BracketRetentionSection}) and retention per breakdown value ({@link BreakdownRetentionSection}),
 * all drawn only when cohort_retention has cohorts. The query cuts the table down to the shown cohorts' cells and
 * a few weighted averages, so the record is bounded by the cohorts and offsets shown; the renderer picks the
 * colour scale and the curves of the latest cohorts from those cells.
 */
final class RetentionSection {
  private RetentionSection() {}

  private static final String ON = LifecycleConfig.Cohorts.RetentionMode.ON.code();
  private static final String ON_OR_AFTER = LifecycleConfig.Cohorts.RetentionMode.ON_OR_AFTER.code();
  private static final int MAX_COHORTS = 24;
  private static final int MAX_OFFSETS = 24;

  /**
   * @param weeks whether periods are weeks (else months)
   * @param projectionNote how the hatched cells were projected
   * @param cohorts the shown cohorts' first days (ISO dates), the oldest first
   * @param sizes customers per shown cohort
   * @param retention per cohort and offset (0 to the largest offset shown), NaN where there is no cell
   * @param projected per cohort and offset, whether the cell is projected rather than observed
   * @param means all cohorts' observed retention weighted by size, per period mode ('on', then 'on_or_after')
   * @param brackets bracket retention, or nothing when the table has none
   * @param breakdowns retention per value of each cohorts.breakdowns property, in the configured order
   */
  record Retention(boolean weeks, String projectionNote, List<String> cohorts, long[] sizes, double[][] retention,
      boolean[][] projected, List<Curve> means, Part<BracketRetentionSection.Brackets> brackets,
      List<BreakdownRetentionSection.Breakdown> breakdowns) {}

  /** @param retention per offset, NaN where not defined */
  record Curve(String mode, double[] offsets, double[] retention) {}

  static Part<Retention> query(ReportTables tables) {
    LifecycleConfig.Cohorts config = tables.config().cohorts();
    boolean weeks = config.period() == LifecycleConfig.Cohorts.Period.WEEK;
    return tables.query(CohortRetentionTable.DEF, "the retention heatmap and curves", retention -> {
      Dataset<Row> allModes = retention.where(col(CohortRetentionTable.CHANNEL).equalTo(CohortRetentionTable.ALL_CHANNELS)
          .and(col(Columns.BREAKDOWN).equalTo(Columns.ALL_BREAKDOWNS)));
      Dataset<Row> all = allModes.where(col(CohortRetentionTable.RETENTION_MODE).equalTo(ON));
      // Distinct cohorts: bounded by the periods of history; the latest MAX_COHORTS are shown.
      // Dates travel as ISO strings (yyyy-MM-dd sorts as the date does), whatever the session's date API.
      List<String> cohorts = all.select(col(CohortRetentionTable.COHORT).cast("string")).distinct()
          .orderBy(col(CohortRetentionTable.COHORT).desc()).limit(MAX_COHORTS).as(Encoders.STRING()).collectAsList();
      if (cohorts.isEmpty()) {
        return Part.missing("Table cohort_retention has no cohorts: nobody purchased (or was active) before "
            + tables.runDate() + ".");
      }
      List<String> ordered = new ArrayList<>(cohorts);
      Collections.reverse(ordered);
      // Cells: bounded by MAX_COHORTS x (MAX_OFFSETS + 1).
      List<Row> cells = all.where(col(CohortRetentionTable.COHORT).geq(to_date(lit(ordered.get(0))))
              .and(col(CohortRetentionTable.OFFSET).leq(MAX_OFFSETS)))
          .select(col(CohortRetentionTable.COHORT).cast("string"), col(CohortRetentionTable.OFFSET),
              col(CohortRetentionTable.RETENTION), col(CohortRetentionTable.PROJECTED), col(CohortRetentionTable.COHORT_SIZE))
          .collectAsList();
      int offsets = cells.stream().mapToInt(c -> c.getInt(1)).max().orElse(0) + 1;
      double[][] values = new double[ordered.size()][offsets];
      boolean[][] projected = new boolean[ordered.size()][offsets];
      for (double[] v : values) {
        Arrays.fill(v, Double.NaN);
      }
      long[] sizes = new long[ordered.size()];
      for (Row c : cells) {
        int r = ordered.indexOf(c.getString(0));
        values[r][c.getInt(1)] = c.getDouble(2);
        projected[r][c.getInt(1)] = c.getBoolean(3);
        sizes[r] = c.getLong(4);
      }
      return Part.of(new Retention(weeks, projectionNote(config.projection()), List.copyOf(ordered), sizes, values, projected,
          means(allModes), BracketRetentionSection.query(allModes, config), BreakdownRetentionSection.query(retention, config)));
    });
  }

  /** The heatmap's note on its hatched cells: how they were projected. */
  static String projectionNote(LifecycleConfig.Cohorts.Projection projection) {
    return "Hatched, italic cells: not reached yet, projected with the cohort's sBG fit"
        + (projection == LifecycleConfig.Cohorts.Projection.POOLED
            ? "; young cohorts' projections borrow from older cohorts (the fits share a prior: cohorts.projection = pooled)."
            : " (each cohort on its own: cohorts.projection = per_cohort).");
  }

  /**
   * All cohorts weighted by size in each period retention mode ('on', and 'on_or_after' when the table has
   * it: the share not gone for good).
   */
  private static List<Curve> means(Dataset<Row> allModes) {
    // Observed cells of all cohorts, weighted by cohort size: one row per period mode and offset.
    // Bounded: Offset 0 is 100% by definition and would flatten the rest: the curves start at offset 1.
    List<Row> mean = allModes.where(not(col(CohortRetentionTable.PROJECTED))
            .and(col(CohortRetentionTable.OFFSET).between(1, MAX_OFFSETS))
            .and(col(CohortRetentionTable.RETENTION_MODE).isin(ON, ON_OR_AFTER)))
        .groupBy(CohortRetentionTable.RETENTION_MODE, CohortRetentionTable.OFFSET)
        .agg(sum(CohortRetentionTable.ACTIVE).divide(sum(CohortRetentionTable.COHORT_SIZE)))
        .orderBy(CohortRetentionTable.RETENTION_MODE, CohortRetentionTable.OFFSET).collectAsList();
    List<Curve> curves = new ArrayList<>();
    for (String mode : List.of(ON, ON_OR_AFTER)) {
      List<Row> curve = mean.stream().filter(r -> r.getString(0).equals(mode)).toList();
      if (!curve.isEmpty()) {
        curves.add(new Curve(mode, curve.stream().mapToDouble(r -> r.getInt(1)).toArray(),
            curve.stream().mapToDouble(r -> r.isNullAt(2) ? Double.NaN : r.getDouble(2)).toArray()));
      }
    }
    return curves;
  }

  static void render(HtmlPage page, Part<Retention> retention) {
    retention.draw(page, r -> {
      String unit = r.weeks() ? "weeks" : "months";
      List<String> rows = r.cohorts().stream().map(d -> Markup.period(d, r.weeks())).toList();
      List<String> cols = new ArrayList<>();
      for (int o = 0; o < r.retention()[0].length; o++) {
        cols.add(Integer.toString(o));
      }
      List<String> labelled = new ArrayList<>();
      for (int c = 0; c < rows.size(); c++) {
        labelled.add(rows.get(c) + " (" + Markup.count(r.sizes()[c]) + ")");
      }
      // Offset 0 is 100% by definition: the colours spread over the later offsets' range.
      double top = 0.05;
      for (double[] row : r.retention()) {
        for (int o = 1; o < row.length; o++) {
          top = Double.isFinite(row[o]) ? Math.max(top, row[o]) : top;
        }
      }
      top = Math.min(1, Math.ceil(top * 20) / 20);
      page.chart(SvgChart.heatmap("retention-heatmap", "Cohort retention (" + unit + " since the cohort's first period)",
          labelled, cols, r.retention(), r.projected(), 0, top, "Period offset (" + unit + ")", "Cohort (customers)",
          Markup::percentShort, "Retention (% of cohort active; darkest at " + Markup.percentShort(top) + " and above)",
          r.projectionNote()));
      page.chart(SvgChart.line("retention-curves", "Retention after the first period, latest cohorts",
          Axis.fromZero("Period offset (" + unit + ")", v -> Markup.decimal(v, 0)),
          Axis.fromZero("Retention (% of cohort active)", Markup::percentShort), curves(r, rows), false));
      BracketRetentionSection.render(page, r.brackets(), r.weeks());
      BreakdownRetentionSection.render(page, r.breakdowns(), unit);
    });
  }

  /** The weighted means, then the latest six cohorts' own observed 'on' curves (those with three points or more). */
  private static List<Series> curves(Retention r, List<String> labels) {
    List<Series> series = new ArrayList<>();
    for (Curve curve : r.means()) {
      series.add(Series.of(curve.mode().equals(ON) ? "all cohorts (weighted)" : "all cohorts, active then or later (weighted)",
          curve.offsets(), curve.retention()));
    }
    double[][] values = r.retention();
    int shown = 0;
    for (int c = r.cohorts().size() - 1; c >= 0 && shown < 6; c--) {
      List<double[]> pts = new ArrayList<>();
      for (int o = 1; o < values[c].length; o++) {
        if (Double.isFinite(values[c][o]) && !r.projected()[c][o]) {
          pts.add(new double[] {o, values[c][o]});
        }
      }
      if (pts.size() >= 3) {
        series.add(Series.of(labels.get(c),
            pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray()));
        shown++;
      }
    }
    return series;
  }
}
