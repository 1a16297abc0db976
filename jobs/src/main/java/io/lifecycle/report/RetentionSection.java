package io.lifecycle.report;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.report.SvgChart.Series;
import io.lifecycle.tables.CohortRetentionTable;
import io.lifecycle.tables.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Cohort retention: the heatmap of the latest cohorts by period offset, the retention curves, bracket
 * retention and retention per breakdown value. The query cuts cohort_retention down to the shown cohorts'
 * cells and a few weighted averages, so the record is bounded by the cohorts and offsets shown; the renderer
 * picks the colour scale and the curves of the latest cohorts from those cells.
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
      boolean[][] projected, List<Curve> means, Part<Brackets> brackets, List<Breakdown> breakdowns) {}

  /** @param retention per offset, NaN where not defined */
  record Curve(String mode, double[] offsets, double[] retention) {}

  /**
   * @param labels the brackets of cohorts.brackets
   * @param weighted all cohorts weighted by size, per bracket (NaN where no cohort has lived through it)
   * @param cohorts the latest cohorts with every bracket complete (ISO dates), the oldest first
   * @param latest their retention per bracket
   */
  record Brackets(List<String> labels, double[] weighted, List<String> cohorts, List<double[]> latest) {}

  record Breakdown(String name, List<BreakdownValue> values) {}

  /** @param afterOne retention one period after the cohort's first, null when no cohort has reached it (likewise afterThree) */
  record BreakdownValue(String value, long customers, Double afterOne, Double afterThree) {}

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
          means(allModes), brackets(allModes, config), breakdowns(retention, config)));
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

  /**
   * Bracket retention (cohorts.brackets), when the table has it: per range of days since the customers'
   * first day, all cohorts weighted by size over the cohorts that have lived through the bracket, and the
   * latest three cohorts with every bracket complete.
   */
  private static Part<Brackets> brackets(Dataset<Row> allModes, LifecycleConfig.Cohorts config) {
    Dataset<Row> rows = allModes.where(col(CohortRetentionTable.RETENTION_MODE).equalTo(CohortRetentionTable.BRACKET_MODE)
        .and(col(CohortRetentionTable.PERIOD_COMPLETE)));
    // Bounded: one row per bracket (cohorts.brackets).
    List<Row> weighted = rows.groupBy(CohortRetentionTable.OFFSET, CohortRetentionTable.BRACKET)
        .agg(sum(CohortRetentionTable.ACTIVE).divide(sum(CohortRetentionTable.COHORT_SIZE)))
        .orderBy(CohortRetentionTable.OFFSET).collectAsList();
    if (weighted.isEmpty()) {
      return Part.none();
    }
    int brackets = config.brackets().size();
    // Bounded: the latest three cohorts' brackets.
    List<Row> latest = rows.where(col(CohortRetentionTable.COHORT).isin(rows.groupBy(CohortRetentionTable.COHORT).count()
            .where(col("count").equalTo(brackets)).orderBy(col(CohortRetentionTable.COHORT).desc()).limit(3)
            .select(CohortRetentionTable.COHORT).as(Encoders.DATE()).collectAsList().toArray()))
        .select(col(CohortRetentionTable.COHORT).cast("string"), col(CohortRetentionTable.OFFSET), col(CohortRetentionTable.RETENTION))
        .orderBy(CohortRetentionTable.COHORT, CohortRetentionTable.OFFSET).collectAsList();
    List<String> cohorts = latest.stream().map(r -> r.getString(0)).distinct().toList();
    List<double[]> values = cohorts.stream()
        .map(cohort -> bracketValues(latest.stream().filter(r -> r.getString(0).equals(cohort)).toList(), brackets, 1, 2)).toList();
    return Part.of(new Brackets(config.brackets().stream().map(b -> "days " + b.label()).toList(),
        bracketValues(weighted, brackets, 0, 2), cohorts, values));
  }

  /** Rows of one bracket each (its index in column {@code offset}) as values in bracket order, NaN where absent. */
  private static double[] bracketValues(List<Row> rows, int brackets, int offset, int value) {
    double[] v = new double[brackets];
    Arrays.fill(v, Double.NaN);
    for (Row r : rows) {
      v[r.getInt(offset)] = r.isNullAt(value) ? Double.NaN : r.getDouble(value);
    }
    return v;
  }

  /**
   * Retention per value of each cohorts.breakdowns property: its customers, and the share of them active
   * one and three periods after their cohort's first ('on' mode, complete observed cells of every
   * cohort pooled, so young cohorts weigh by their size).
   */
  private static List<Breakdown> breakdowns(Dataset<Row> retention, LifecycleConfig.Cohorts config) {
    Column cells = col(CohortRetentionTable.RETENTION_MODE).equalTo(ON)
        .and(col(CohortRetentionTable.CHANNEL).equalTo(CohortRetentionTable.ALL_CHANNELS))
        .and(col(Columns.BREAKDOWN).notEqual(Columns.ALL_BREAKDOWNS)).and(not(col(CohortRetentionTable.PROJECTED)));
    List<Column> aggregates = new ArrayList<>();
    for (int offset : new int[] {1, 3}) {
      Column reached = col(CohortRetentionTable.OFFSET).equalTo(offset).and(col(CohortRetentionTable.PERIOD_COMPLETE));
      aggregates.add(sum(when(reached, col(CohortRetentionTable.ACTIVE)))
          .divide(sum(when(reached, col(CohortRetentionTable.COHORT_SIZE)))));
    }
    // Bounded: at most 10 breakdowns x (cohorts.breakdown_values + 2) values.
    List<Row> rows = retention.where(cells).groupBy(Columns.BREAKDOWN, Columns.BREAKDOWN_VALUE)
        .agg(sum(when(col(CohortRetentionTable.OFFSET).equalTo(0), col(CohortRetentionTable.COHORT_SIZE))).as("_customers"),
            aggregates.get(0), aggregates.get(1))
        .orderBy(col(Columns.BREAKDOWN), col("_customers").desc(), col(Columns.BREAKDOWN_VALUE)).collectAsList();
    List<Breakdown> breakdowns = new ArrayList<>();
    for (String breakdown : config.breakdowns().names()) {
      List<BreakdownValue> values = rows.stream().filter(r -> r.getString(0).equals(breakdown))
          .map(r -> new BreakdownValue(r.getString(1), r.isNullAt(2) ? 0 : r.getLong(2), share(r, 3), share(r, 4))).toList();
      if (!values.isEmpty()) {
        breakdowns.add(new Breakdown(breakdown, values));
      }
    }
    return breakdowns;
  }

  private static Double share(Row r, int field) {
    return r.isNullAt(field) ? null : r.getDouble(field);
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
      r.brackets().draw(page, b -> brackets(page, b, r.weeks()));
      breakdowns(page, r.breakdowns(), unit);
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

  private static void brackets(HtmlPage page, Brackets b, boolean weeks) {
    List<Bars> series = new ArrayList<>(List.of(new Bars("all cohorts (weighted)", b.weighted())));
    for (int c = 0; c < b.cohorts().size(); c++) {
      series.add(new Bars(Markup.period(b.cohorts().get(c), weeks), b.latest().get(c)));
    }
    page.chart(SvgChart.bars("bracket-retention", "Retention by days since the first day (cohorts.brackets)", b.labels(),
        "Days since the customer's first day", Axis.fixed("Customers active in the bracket (%)", 0, 1, Markup::percentShort),
        series, false));
    page.note("Each customer counted from their own first day, so every cohort is compared at the same ages; only brackets "
        + "every customer of a cohort has lived through are shown.");
  }

  private static void breakdowns(HtmlPage page, List<Breakdown> breakdowns, String unit) {
    String one = weeksOrMonths(unit, 1);
    String three = weeksOrMonths(unit, 3);
    for (Breakdown breakdown : breakdowns) {
      String name = breakdown.name();
      List<BreakdownValue> values = breakdown.values();
      page.chart(SvgChart.bars("breakdown-" + name, "Retention by " + name + " (customers active " + one + " and "
              + three + " after their cohort's first period)", values.stream().map(BreakdownValue::value).toList(), name,
          Axis.fromZero("Retention (% of customers)", Markup::percentShort),
          List.of(new Bars("after " + one, shares(values.stream().map(BreakdownValue::afterOne).toList())),
              new Bars("after " + three, shares(values.stream().map(BreakdownValue::afterThree).toList()))), false));
      page.table(List.of(name, "customers", "retained after " + one, "retained after " + three), values.stream()
          .map(v -> List.of(v.value(), Markup.count(v.customers()), retained(v.afterOne()), retained(v.afterThree()))).toList());
    }
  }

  private static String weeksOrMonths(String unit, int n) {
    return n + " " + (n == 1 ? unit.substring(0, unit.length() - 1) : unit);
  }

  private static double[] shares(List<Double> shares) {
    return shares.stream().mapToDouble(s -> s == null ? Double.NaN : s).toArray();
  }

  private static String retained(Double share) {
    return share == null ? "not reached" : Markup.percent(share);
  }
}
