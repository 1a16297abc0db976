package io.lifecycle.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.tables.CohortRetentionTable;
import io.lifecycle.tables.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Retention per value of each cohorts.breakdowns property (acquisition channel, first stage, customer properties),
 * a part of the retention section: a chart and a table per property. The query pools every cohort's complete
 * observed cells per value, so the record is bounded by the breakdowns and their kept values, not by the cohorts.
 */
final class BreakdownRetentionSection {
  private BreakdownRetentionSection() {}

  private static final String ON = LifecycleConfig.Cohorts.RetentionMode.ON.code();

  record Breakdown(String name, List<BreakdownValue> values) {}

  /** @param afterOne retention one period after the cohort's first, null when no cohort has reached it (likewise afterThree) */
  record BreakdownValue(String value, long customers, Double afterOne, Double afterThree) {}

  /**
   * Retention per value of each cohorts.breakdowns property: its customers, and the share of them active
   * one and three periods after their cohort's first ('on' mode, complete observed cells of every
   * cohort pooled, so young cohorts weigh by their size).
   */
  static List<Breakdown> query(Dataset<Row> retention, LifecycleConfig.Cohorts config) {
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

  static void render(HtmlPage page, List<Breakdown> breakdowns, String unit) {
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
