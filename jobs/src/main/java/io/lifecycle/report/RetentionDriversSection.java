package io.lifecycle.report;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.log;

import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.tables.RetentionDriversTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What drives retention: the behaviours most strongly associated with being retained (retention_drivers), with
 * the caveat that they are not causes. The query keeps the strongest few by adjusted p-value, so the record
 * is bounded whatever the number of behaviours tested.
 */
final class RetentionDriversSection {
  private RetentionDriversSection() {}

  private static final int TOP_DRIVERS = 10;

  /**
   * @param drivers the strongest behaviours, the strongest first
   * @param windowDays the days after the first in which a behaviour counts
   * @param retainedDay the day at which a customer counts as retained
   */
  record Drivers(List<Driver> drivers, int windowDays, int retainedDay) {}

  /** @param retainedWith share retained among the customers with the behaviour, NaN when none (likewise retainedWithout) */
  record Driver(String behaviour, long with, double retainedWith, long without, double retainedWithout, double oddsRatio,
      double ciLower, double ciUpper, double pAdjusted) {}

  static Part<Drivers> query(ReportTables tables) {
    return tables.query(RetentionDriversTable.DEF, "what drives retention", drivers -> {
      Dataset<Row> strongest = drivers.where(col(RetentionDriversTable.P_ADJUSTED).isNotNull())
          .orderBy(col(RetentionDriversTable.P_ADJUSTED), abs(log(col(RetentionDriversTable.ODDS_RATIO))).desc(),
              col(RetentionDriversTable.BEHAVIOUR))
          .select(RetentionDriversTable.BEHAVIOUR, RetentionDriversTable.WITH, RetentionDriversTable.RETENTION_WITH,
              RetentionDriversTable.WITHOUT, RetentionDriversTable.RETENTION_WITHOUT, RetentionDriversTable.ODDS_RATIO,
              RetentionDriversTable.CI_LOWER, RetentionDriversTable.CI_UPPER, RetentionDriversTable.P_ADJUSTED,
              RetentionDriversTable.WINDOW_DAYS, RetentionDriversTable.RETAINED_DAY)
          .limit(TOP_DRIVERS);
      // Bounded: the TOP_DRIVERS behaviours by adjusted p-value, then by the size of the association.
      List<Row> top = strongest.collectAsList();
      if (top.isEmpty()) {
        return Part.missing("Table retention_drivers has no tested behaviour: no customer's retention day was observed by "
            + tables.runDate() + " (cohorts.drivers.retained_day), or every behaviour was shared by all customers or none.");
      }
      List<Driver> shown = top.stream().map(r -> new Driver(r.getString(0), r.getLong(1), share(r, 2), r.getLong(3), share(r, 4),
          r.getDouble(5), r.getDouble(6), r.getDouble(7), r.getDouble(8))).toList();
      return Part.of(new Drivers(shown, top.get(0).getInt(9), top.get(0).getInt(10)));
    });
  }

  private static double share(Row r, int i) {
    return r.isNullAt(i) ? Double.NaN : r.getDouble(i);
  }

  static void render(HtmlPage page, Part<Drivers> drivers) {
    drivers.draw(page, d -> {
      List<Driver> top = d.drivers();
      int day = d.retainedDay();
      page.chart(SvgChart.bars("retention-drivers", "Retention at day " + day + " with and without the strongest drivers",
          top.stream().map(Driver::behaviour).toList(), "Behaviour in the first " + d.windowDays() + " days",
          Axis.fixed("Retained at day " + day + " (%)", 0, 1, Markup::percentShort),
          List.of(new Bars("with the behaviour", top.stream().mapToDouble(Driver::retainedWith).toArray()),
              new Bars("without it", top.stream().mapToDouble(Driver::retainedWithout).toArray())), false));
      page.table(List.of("behaviour", "customers with", "retained with", "customers without", "retained without",
          "odds ratio (95% interval)", "adjusted p"), top.stream().map(r -> List.of(r.behaviour(), Markup.count(r.with()),
              Markup.percent(r.retainedWith()), Markup.count(r.without()), Markup.percent(r.retainedWithout()),
              Markup.decimal(r.oddsRatio(), 2) + " (" + Markup.decimal(r.ciLower(), 2) + "\u2013"
                  + Markup.decimal(r.ciUpper(), 2) + ")",
              pValue(r.pAdjusted()))).toList());
      page.note("These are associations, not causes: customers who do these things are retained more (or less) often, which"
          + " does not mean that making a customer do them would change whether they stay. Retained at day " + day
          + " = active on a day at least " + day + " days after the first; the "
          + Markup.count(top.get(0).with() + top.get(0).without()) + " customers whose day " + day
          + " is before the run date are counted. Adjusted p: Benjamini-Hochberg across all the behaviours tested; all are"
          + " in retention_drivers.");
    });
  }

  private static String pValue(double p) {
    return p < 0.001 ? "< 0.001" : Markup.decimal(p, 3);
  }
}
