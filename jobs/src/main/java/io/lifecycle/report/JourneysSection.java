package io.lifecycle.report;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.lifecycle.config.StageModel;
import io.lifecycle.report.SvgChart.Axis;
import io.lifecycle.report.SvgChart.Bars;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.StageFunnelTable;
import io.lifecycle.tables.StageTransitionsTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The stage funnel, the transition matrix between stages and the most frequent stage paths. The query sums the
 * funnel per stage, lays the transitions out as a matrix in the stage model's order and keeps the top paths, so
 * the record is bounded by the number of stages and TOP_PATHS whatever the number of customers.
 */
final class JourneysSection {
  private JourneysSection() {}

  private static final int TOP_PATHS = 15;

  record Journeys(Part<List<FunnelStage>> funnel, Part<Transitions> transitions, Part<Paths> paths) {}

  /**
   * One stage of the funnel, all channels summed.
   *
   * @param converted customers who went on to the next stage (conversion times customers entered, summed)
   * @param dropOff customers who dropped off at the stage, null when the table has none (the last stage)
   */
  record FunnelStage(String stage, long entered, long cohortCustomers, Double converted, Long dropOff, long churned) {}

  /**
   * @param stages the matrix's rows and columns: the stage model's stages, churned, then any other stage found
   * @param probability of a move from the row's stage to the column's, NaN where there was none
   * @param moves all moves counted
   */
  record Transitions(List<String> stages, double[][] probability, long moves) {}

  /** @param customers per path, the most frequent first; {@code total}: all customers */
  record Paths(List<String> paths, long[] customers, long total) {}

  static Journeys query(ReportTables tables) {
    return new Journeys(tables.query(StageFunnelTable.DEF, "the stage funnel", funnel -> {
      // Bounded: One row per stage of the model.
      List<Row> rows = funnel.where(col(StageFunnelTable.ACQUISITION_CHANNEL).equalTo(StageFunnelTable.ALL_CHANNELS)
              .and(col(Columns.BREAKDOWN).equalTo(Columns.ALL_BREAKDOWNS)))
          .groupBy(Columns.STAGE, StageFunnelTable.STAGE_RANK)
          .agg(sum(StageFunnelTable.CUSTOMERS_ENTERED), sum(StageFunnelTable.COHORT_CUSTOMERS),
              sum(coalesce(col(StageFunnelTable.CONVERSION_TO_NEXT), lit(0.0)).multiply(col(StageFunnelTable.CUSTOMERS_ENTERED))),
              sum(StageFunnelTable.DROP_OFF_CUSTOMERS), sum(StageFunnelTable.CHURNED_FROM_STAGE))
          .orderBy(StageFunnelTable.STAGE_RANK).collectAsList();
      if (rows.isEmpty()) {
        return Part.missing("Table stage_funnel has no rows for all channels.");
      }
      return Part.of(rows.stream().map(r -> new FunnelStage(r.getString(0), r.getLong(2), r.getLong(3),
          r.isNullAt(4) ? null : r.getDouble(4), r.isNullAt(5) ? null : r.getLong(5), r.getLong(6))).toList());
    }), tables.query(StageTransitionsTable.DEF, "the transition matrix", transitions -> {
      // One row per (from, to) pair: bounded by (stages + 1)^2.
      List<Row> moves = transitions.where(col(StageTransitionsTable.PERIOD_TYPE).equalTo(StageTransitionsTable.PERIOD_ALL))
          .select(StageTransitionsTable.FROM_STAGE, StageTransitionsTable.TO_STAGE, StageTransitionsTable.PROBABILITY,
              StageTransitionsTable.TRANSITIONS)
          .collectAsList();
      if (moves.isEmpty()) {
        return Part.missing("Table stage_transitions has no moves: no customer changed stage before " + tables.runDate() + ".");
      }
      List<String> order = new ArrayList<>(tables.config().stages().order());
      order.add(StageModel.CHURNED);
      for (Row m : moves) {
        for (String s : List.of(m.getString(0), m.getString(1))) {
          if (!order.contains(s)) {
            order.add(s);
          }
        }
      }
      double[][] p = new double[order.size()][order.size()];
      for (double[] row : p) {
        Arrays.fill(row, Double.NaN);
      }
      for (Row m : moves) {
        p[order.indexOf(m.getString(0))][order.indexOf(m.getString(1))] = m.getDouble(2);
      }
      return Part.of(new Transitions(List.copyOf(order), p, moves.stream().mapToLong(m -> m.getLong(3)).sum()));
    }), tables.query(CustomerJourneysTable.DEF, "the top paths", journeys -> {
      // Bounded: The TOP_PATHS most frequent paths.
      List<Row> paths = journeys.groupBy(CustomerJourneysTable.PATH).count()
          .orderBy(col("count").desc(), col(CustomerJourneysTable.PATH)).limit(TOP_PATHS).collectAsList();
      if (paths.isEmpty()) {
        return Part.missing("Table customer_journeys has no customers.");
      }
      return Part.of(new Paths(paths.stream().map(r -> r.getString(0)).toList(),
          paths.stream().mapToLong(r -> r.getLong(1)).toArray(), journeys.count()));
    }));
  }

  static void render(HtmlPage page, Journeys journeys) {
    journeys.funnel().draw(page, rows -> funnel(page, rows));
    journeys.transitions().draw(page, t -> {
      page.chart(SvgChart.heatmap("transition-matrix", "Stage transition probabilities (all time)", t.stages(), t.stages(),
          t.probability(), null, 0, 1, "To stage", "From stage", Markup::percentShort, "Share of moves out of the from-stage", null));
      page.note("Each row sums to 100%: of the moves out of a stage, the share that went to each stage. "
          + Markup.count(t.moves()) + " moves in all.");
    });
    journeys.paths().draw(page, p -> {
      long covered = Arrays.stream(p.customers()).sum();
      page.chart(SvgChart.horizontalBars("top-paths", "Most frequent stage paths", p.paths(),
          Axis.fromZero("Customers", Markup::compact), Arrays.stream(p.customers()).asDoubleStream().toArray(), "Stage path"));
      page.note("The " + p.paths().size() + " most frequent of the customers' stage paths cover " + Markup.count(covered) + " of "
          + Markup.count(p.total()) + " customers (" + Markup.percent((double) covered / Math.max(1, p.total())) + ").");
    });
  }

  private static void funnel(HtmlPage page, List<FunnelStage> rows) {
    page.chart(SvgChart.bars("stage-funnel", "Stage funnel: customers who reached each stage",
        rows.stream().map(FunnelStage::stage).toList(), "Stage (in the stage model's order)",
        Axis.fromZero("Customers", Markup::compact),
        List.of(new Bars("customers", rows.stream().mapToDouble(FunnelStage::entered).toArray())), false));
    List<List<String>> table = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      FunnelStage r = rows.get(i);
      long entered = r.entered();
      boolean last = i == rows.size() - 1;
      table.add(List.of(r.stage(), Markup.count(entered), Markup.percent((double) entered / Math.max(1, r.cohortCustomers())),
          last || entered == 0 ? "n/a" : Markup.percent(r.converted() / entered),
          last ? "n/a" : Markup.count(r.dropOff()), Markup.count(r.churned())));
    }
    page.table(List.of("stage", "customers entered", "of all customers", "went on to the next stage", "dropped off",
        "churned from it"), table);
  }
}
