package io.lifecycle.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.tables.CohortRetentionTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Bracket retention (cohorts.brackets), a part of the retention section: per range of days since each customer's
 * first day, all cohorts weighted by size over the cohorts that have lived through the bracket, and the latest
 * three cohorts with every bracket complete. Counting from each customer's own first day compares every cohort at
 * the same ages; the record holds one value per bracket for at most four series.
 */
final class BracketRetentionSection {
  private BracketRetentionSection() {}

  /**
   * @param labels the brackets of cohorts.brackets
   * @param weighted all cohorts weighted by size, per bracket (NaN where no cohort has lived through it)
   * @param cohorts the latest cohorts with every bracket complete (ISO dates), the oldest first
   * @param latest their retention per bracket
   */
  record Brackets(List<String> labels, double[] weighted, List<String> cohorts, List<double[]> latest) {}

  /** The bracket rows of {@code allModes} (all channels, no breakdown), or nothing when no bracket is complete. */
  static Part<Brackets> query(Dataset<Row> allModes, LifecycleConfig.Cohorts config) {
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

  static void render(HtmlPage page, Part<Brackets> brackets, boolean weeks) {
    brackets.draw(page, b -> draw(page, b, weeks));
  }

  private static void draw(HtmlPage page, Brackets b, boolean weeks) {
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
}
