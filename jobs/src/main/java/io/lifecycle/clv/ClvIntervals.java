package io.lifecycle.clv;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig.Clv;
import io.lifecycle.spark.ExactSums;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.CustomerSummary;
import io.lifecycle.stats.GammaGammaModel;
import io.lifecycle.stats.ModelFits;
import io.lifecycle.stats.ParameterDraws;
import io.lifecycle.stats.ParetoNbdModel;
import io.lifecycle.stats.PurchaseModel;
import io.lifecycle.stats.SummaryIntervals;
import io.lifecycle.tables.Columns;
import io.lifecycle.tables.CustomerJourneysTable;
import io.lifecycle.tables.CustomerValueTable;
import io.lifecycle.tables.SegmentValueTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The 90% intervals of {@code clv.intervals = asymptotic}: parameter vectors drawn from each fit's
 * asymptotic normal ({@link ParameterDraws}, seeded by {@code models.seed}: a rerun writes the same
 * tables), the purchase model's and Gamma-Gamma's independently; every draw's predictions per distinct
 * summary ({@link SummaryIntervals}); the customers' percentiles joined back; and the segments' totals
 * per draw, whose percentiles are the segments' intervals (not the sum of the customers' percentiles:
 * the draws move every customer of a segment together).
 *
 * @param purchase the purchase model's draws
 * @param spend    Gamma-Gamma's draws, or null without a usable Gamma-Gamma fit (no CLV intervals)
 */
public record ClvIntervals(List<PurchaseModel> purchase, List<GammaGammaModel> spend) {

  /**
   * The draws for the purchase model in use ({@code purchase}, one of the two fits) and Gamma-Gamma, or
   * null when intervals are off or the purchase model is missing or has no usable covariance.
   */
  public static ClvIntervals draw(Clv clv, long seed, PurchaseModel purchase, ModelFits.Fit<BgNbdModel> bg,
      ModelFits.Fit<ParetoNbdModel> pareto, ModelFits.Fit<GammaGammaModel> gg) {
    if (clv.intervals() == Clv.Intervals.NONE || purchase == null) {
      return null;
    }
    boolean isBg = purchase.equals(bg.fit().model());
    List<PurchaseModel> purchases = isBg
        ? models(bg, clv.intervalDraws(), seed, t -> new BgNbdModel(t[0], t[1], t[2], t[3]))
        : models(pareto, clv.intervalDraws(), seed, t -> new ParetoNbdModel(t[0], t[1], t[2], t[3]));
    if (purchases == null) {
      return null;
    }
    List<GammaGammaModel> spends = gg.usable() ? models(gg, clv.intervalDraws(), seed + 1, t -> new GammaGammaModel(t[0], t[1], t[2])) : null;
    return new ClvIntervals(purchases, spends);
  }

  private static <M, T> List<T> models(ModelFits.Fit<M> fit, int n, long seed, Function<double[], T> model) {
    // Bounded: n (clv.interval_draws, at most 5,000) vectors of a few parameters, made in the driver.
    List<double[]> draws = ParameterDraws.of(fit.mle(), n, seed);
    if (draws == null) {
      return null;
    }
    List<T> out = new ArrayList<>(draws.size());
    draws.forEach(d -> out.add(model.apply(d)));
    return out;
  }

  /**
   * The draws' evaluation ({@link SummaryIntervals#of}): per distinct summary of {@code members}, the
   * customers' percentiles; per task, segment and draw, the segments' partial totals. Read by
   * {@link #withCustomerIntervals} and {@link #segments}: persist it.
   *
   * @param members  the customers: a {@link CustomerSummary} with customer_value's {@link CustomerValueTable#COHORT}
   *     and {@link CustomerValueTable#CHANNEL}
   * @param journeys null, or per customer the current stage and the path segment ({@link PathSegments})
   */
  public Dataset<Row> evaluate(Dataset<Row> members, Dataset<Row> journeys, Clv clv) {
    return SummaryIntervals.of(members, spend == null ? null : cells(members, journeys), clv, purchase, spend);
  }

  /** The summary rows of {@link #evaluate}: one per distinct (x, t_x, T). */
  public static Dataset<Row> perSummary(Dataset<Row> evaluated) {
    return evaluated.where(col(CustomerSummary.FREQUENCY).isNotNull());
  }

  /**
   * The customers with their interval columns ({@link CustomerValueTable#P_ALIVE_LOW} and the others) from
   * {@code evaluated} ({@link #evaluate}; null: the columns null), matched on (x, t_x, T) and the mean
   * spend (null-safe: a customer without repeat purchases has none).
   */
  public static Dataset<Row> withCustomerIntervals(Dataset<Row> customers, Dataset<Row> evaluated) {
    if (evaluated == null) {
      return nulls(customers, CustomerValueTable.P_ALIVE_LOW, CustomerValueTable.P_ALIVE_HIGH, CustomerValueTable.PREDICTED_CLV_LOW,
          CustomerValueTable.PREDICTED_CLV_HIGH);
    }
    Dataset<Row> bySpend = perSummary(evaluated).select(col(CustomerSummary.FREQUENCY).as("_ix"), col(CustomerSummary.RECENCY).as("_itx"),
            col(CustomerSummary.AGE).as("_iage"), col(SummaryIntervals.P_ALIVE_LOW).as(CustomerValueTable.P_ALIVE_LOW),
            col(SummaryIntervals.P_ALIVE_HIGH).as(CustomerValueTable.P_ALIVE_HIGH), inline(col(SummaryIntervals.BY_SPEND)))
        .withColumnRenamed(SummaryIntervals.CLV_LOW, CustomerValueTable.PREDICTED_CLV_LOW)
        .withColumnRenamed(SummaryIntervals.CLV_HIGH, CustomerValueTable.PREDICTED_CLV_HIGH);
    Column on = col(CustomerSummary.FREQUENCY).equalTo(col("_ix")).and(col(CustomerSummary.RECENCY).equalTo(col("_itx")))
        .and(col(CustomerSummary.AGE).equalTo(col("_iage")))
        .and(col(CustomerSummary.MONETARY_VALUE).eqNullSafe(col(SummaryIntervals.SPEND)));
    return customers.join(bySpend, on, "left").drop("_ix", "_itx", "_iage", SummaryIntervals.SPEND);
  }

  /**
   * The (segment, summary) cells of every segment of {@code segment_value} (all, cohort, channel and, with
   * {@code journeys}, current stage and path): their customers and summed mean spend. A segment's total
   * at a draw is a sum over its cells: a cell's customers share the draw's discounted purchases and
   * P(alive), and their expected spend is linear in their mean spend.
   */
  private static Dataset<Row> cells(Dataset<Row> members, Dataset<Row> journeys) {
    List<Column> keys = new ArrayList<>(List.of(
        segment("all", lit("all")),
        segment("cohort", date_format(col(CustomerValueTable.COHORT), "yyyy-MM-dd")),
        segment("channel", col(CustomerValueTable.CHANNEL))));
    if (journeys != null) {
      members = members.join(journeys.select(Columns.CUSTOMER_ID, CustomerJourneysTable.CURRENT_STAGE, CustomerJourneysTable.PATH),
          Columns.CUSTOMER_ID, "left");
      keys.add(segment("current_stage", col(CustomerJourneysTable.CURRENT_STAGE)));
      keys.add(segment("path", col(CustomerJourneysTable.PATH)));
    }
    return members.select(col(CustomerSummary.FREQUENCY), col(CustomerSummary.RECENCY), col(CustomerSummary.AGE),
            col(CustomerSummary.MONETARY_VALUE), inline(array(keys.toArray(Column[]::new))))
        .groupBy(col(SegmentValueTable.SEGMENT_TYPE), col(SegmentValueTable.SEGMENT), col(CustomerSummary.FREQUENCY),
            col(CustomerSummary.RECENCY), col(CustomerSummary.AGE))
        .agg(count(lit(1)).as(SummaryIntervals.CUSTOMERS),
            coalesce(ExactSums.sum(col(CustomerSummary.MONETARY_VALUE)), lit(0.0)).as(SummaryIntervals.SPEND_SUM));
  }

  /**
   * Per segment of {@code segment_value}: the 5th and 95th percentile over the draws of the segment's
   * total predicted CLV and revenue at risk (not the sum of the customers' percentiles: the draws move
   * every customer of a segment together), from the partial totals of {@code evaluated} ({@link #evaluate});
   * a segment with a cell a draw could not value gets null intervals. Null without Gamma-Gamma's draws.
   */
  public Dataset<Row> segments(Dataset<Row> evaluated) {
    if (spend == null) {
      return null;
    }
    Dataset<Row> totals = evaluated.where(col(SummaryIntervals.DRAW).isNotNull())
        .groupBy(SegmentValueTable.SEGMENT_TYPE, SegmentValueTable.SEGMENT, SummaryIntervals.DRAW)
        .agg(ExactSums.total(col(SummaryIntervals.CLV_TOTAL)).as("_clv"), ExactSums.total(col(SummaryIntervals.RISK_TOTAL)).as("_risk"),
            sum(col(SummaryIntervals.MISSING)).as("_missing"));
    Column complete = sum(col("_missing")).equalTo(0);
    return totals.groupBy(SegmentValueTable.SEGMENT_TYPE, SegmentValueTable.SEGMENT).agg(
        when(complete, percentile(col("_clv"), lit(SummaryIntervals.LOW))).as(SegmentValueTable.PREDICTED_CLV_LOW),
        when(complete, percentile(col("_clv"), lit(SummaryIntervals.HIGH))).as(SegmentValueTable.PREDICTED_CLV_HIGH),
        when(complete, percentile(col("_risk"), lit(SummaryIntervals.LOW))).as(SegmentValueTable.REVENUE_AT_RISK_LOW),
        when(complete, percentile(col("_risk"), lit(SummaryIntervals.HIGH))).as(SegmentValueTable.REVENUE_AT_RISK_HIGH));
  }

  /** A (segment_type, segment) key as {@link SimpleClv} names it (a missing value is 'unknown'). */
  private static Column segment(String type, Column value) {
    return struct(lit(type).as(SegmentValueTable.SEGMENT_TYPE), coalesce(value, lit("unknown")).as(SegmentValueTable.SEGMENT));
  }

  /** {@code segments} with the interval columns of {@link #segments} ({@code intervals} null: the columns null). */
  public static Dataset<Row> withSegmentIntervals(Dataset<Row> segments, Dataset<Row> intervals) {
    if (intervals == null) {
      return nulls(segments, SegmentValueTable.PREDICTED_CLV_LOW, SegmentValueTable.PREDICTED_CLV_HIGH,
          SegmentValueTable.REVENUE_AT_RISK_LOW, SegmentValueTable.REVENUE_AT_RISK_HIGH);
    }
    return segments.join(intervals, new String[] {SegmentValueTable.SEGMENT_TYPE, SegmentValueTable.SEGMENT}, "left");
  }

  private static Dataset<Row> nulls(Dataset<Row> rows, String... columns) {
    for (String c : columns) {
      rows = rows.withColumn(c, lit(null).cast("double"));
    }
    return rows;
  }
}
