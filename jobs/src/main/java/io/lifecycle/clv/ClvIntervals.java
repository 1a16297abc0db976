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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

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

  /** Per distinct summary of {@code summary}: the draws' predictions ({@link SummaryIntervals#of}). */
  public Dataset<Row> perSummary(Dataset<Row> summary, Clv clv) {
    return SummaryIntervals.of(summary, clv, purchase, spend);
  }

  /**
   * The customers with their interval columns ({@link CustomerValueTable#P_ALIVE_LOW} and the others) from
   * {@code perSummary} (null: the columns null), matched on (x, t_x, T) and the mean spend (null-safe: a
   * customer without repeat purchases has none).
   */
  public static Dataset<Row> withCustomerIntervals(Dataset<Row> customers, Dataset<Row> perSummary) {
    if (perSummary == null) {
      return nulls(customers, CustomerValueTable.P_ALIVE_LOW, CustomerValueTable.P_ALIVE_HIGH, CustomerValueTable.PREDICTED_CLV_LOW,
          CustomerValueTable.PREDICTED_CLV_HIGH);
    }
    Dataset<Row> bySpend = perSummary.select(col(CustomerSummary.FREQUENCY).as("_ix"), col(CustomerSummary.RECENCY).as("_itx"),
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
   * Per segment of {@code segment_value} (all, cohort, channel and, with {@code journeys}, current stage and
   * path): the 5th and 95th percentile over the draws of the segment's total predicted CLV and revenue at
   * risk. Each draw's total is a sum over the (segment, summary) cells: a cell's customers share the
   * draw's discounted purchases and P(alive), and their expected spend is linear in their mean spend, so a
   * cell needs only its customers and their summed mean spend. A segment with a cell a draw could not
   * value gets null intervals. {@code values} are customer_value's rows, {@code perSummary} from
   * {@link #perSummary}.
   */
  public Dataset<Row> segments(Dataset<Row> values, Dataset<Row> journeys, Dataset<Row> perSummary, double margin) {
    if (spend == null) {
      return null;
    }
    List<Column> keys = new ArrayList<>(List.of(
        segment("all", lit("all")),
        segment("cohort", date_format(col(CustomerValueTable.COHORT), "yyyy-MM-dd")),
        segment("channel", col(CustomerValueTable.CHANNEL))));
    Dataset<Row> members = values;
    if (journeys != null) {
      members = values.join(journeys.select(Columns.CUSTOMER_ID, CustomerJourneysTable.CURRENT_STAGE, CustomerJourneysTable.PATH),
          Columns.CUSTOMER_ID, "left");
      keys.add(segment("current_stage", col(CustomerJourneysTable.CURRENT_STAGE)));
      keys.add(segment("path", col(CustomerJourneysTable.PATH)));
    }
    String[] triple = {CustomerSummary.FREQUENCY, CustomerSummary.RECENCY, CustomerSummary.AGE};
    Dataset<Row> cells = members.select(col(CustomerSummary.FREQUENCY), col(CustomerSummary.RECENCY), col(CustomerSummary.AGE),
            col(CustomerSummary.MONETARY_VALUE), inline(array(keys.toArray(Column[]::new))))
        .groupBy(col(SegmentValueTable.SEGMENT_TYPE), col(SegmentValueTable.SEGMENT), col(CustomerSummary.FREQUENCY),
            col(CustomerSummary.RECENCY), col(CustomerSummary.AGE))
        .agg(count(lit(1)).as("_n"), coalesce(ExactSums.sum(col(CustomerSummary.MONETARY_VALUE)), lit(0.0)).as("_m"))
        .join(perSummary.select(col(triple[0]), col(triple[1]), col(triple[2]), col(SummaryIntervals.ALIVE_DRAWS),
            col(SummaryIntervals.PURCHASE_DRAWS)), triple, "left");
    Dataset<Row> totals = partialTotals(cells.select(col(SegmentValueTable.SEGMENT_TYPE), col(SegmentValueTable.SEGMENT),
            col(CustomerSummary.FREQUENCY), col("_n"), col("_m"), col(SummaryIntervals.PURCHASE_DRAWS), col(SummaryIntervals.ALIVE_DRAWS)),
        spend.stream().map(GammaGammaModel::toArray).toArray(double[][]::new), margin)
        .groupBy(SegmentValueTable.SEGMENT_TYPE, SegmentValueTable.SEGMENT, "_d")
        .agg(ExactSums.total(col("_clv")).as("_clv"), ExactSums.total(col("_risk")).as("_risk"), sum(col("_missing")).as("_missing"));
    Column complete = sum(col("_missing")).equalTo(0);
    return totals.groupBy(SegmentValueTable.SEGMENT_TYPE, SegmentValueTable.SEGMENT).agg(
        when(complete, percentile(col("_clv"), lit(SummaryIntervals.LOW))).as(SegmentValueTable.PREDICTED_CLV_LOW),
        when(complete, percentile(col("_clv"), lit(SummaryIntervals.HIGH))).as(SegmentValueTable.PREDICTED_CLV_HIGH),
        when(complete, percentile(col("_risk"), lit(SummaryIntervals.LOW))).as(SegmentValueTable.REVENUE_AT_RISK_LOW),
        when(complete, percentile(col("_risk"), lit(SummaryIntervals.HIGH))).as(SegmentValueTable.REVENUE_AT_RISK_HIGH));
  }

  private static final DecimalType EXACT = DataTypes.createDecimalType(38, 9);
  /** The partial sums' unit: a millionth, counted in a long (exact, so order-independent, as {@link ExactSums}). */
  private static final double MICROS = 1e6;

  /**
   * Per partition, segment and draw: exact partial sums of the cells' CLV and revenue at risk, in
   * millionths, and how many cells could not be valued (or overflowed 9.2e12 in one partition). Summed
   * here rather than as one Spark row per cell and draw: those rows cost about 5 microseconds each (10 s
   * of CPU for the sample's 2 million), and so did decimals made of each value; whole millionths in a
   * long cost nanoseconds. The rows out are bounded by partitions x segments x draws, whatever the
   * customers.
   *
   * @param cells rows of (segment_type, segment, x, customers, summed mean spend, per-draw discounted
   *     purchases, per-draw P(alive))
   */
  private static Dataset<Row> partialTotals(Dataset<Row> cells, double[][] spends, double margin) {
    StructType schema = new StructType().add(SegmentValueTable.SEGMENT_TYPE, DataTypes.StringType)
        .add(SegmentValueTable.SEGMENT, DataTypes.StringType).add("_d", DataTypes.IntegerType)
        .add("_clv", EXACT).add("_risk", EXACT).add("_missing", DataTypes.LongType);
    int draws = spends.length;
    return cells.mapPartitions((MapPartitionsFunction<Row, Row>) rows -> {
      // Per segment: {CLV, revenue at risk, cells missing} per draw.
      Map<List<String>, long[][]> sums = new LinkedHashMap<>();
      while (rows.hasNext()) {
        Row r = rows.next();
        long[][] s = sums.computeIfAbsent(List.of(r.getString(0), r.getString(1)), k -> new long[3][draws]);
        double x = r.getLong(2);
        long n = r.getLong(3);
        double m = r.getDouble(4);
        double[] purchases = r.isNullAt(5) ? null : doubles(r.getList(5));
        double[] alive = r.isNullAt(6) ? null : doubles(r.getList(6));
        for (int d = 0; d < draws; d++) {
          double clv = purchases == null ? Double.NaN : margin * SummaryIntervals.expectedSpend(spends[d], x, n, m) * purchases[d];
          double risk = purchases == null ? Double.NaN : clv * (1 - alive[d]);
          try {
            if (!Double.isFinite(clv) || !Double.isFinite(risk)) {
              throw new ArithmeticException("not finite");
            }
            long c = Math.addExact(s[0][d], Math.round(clv * MICROS));
            s[1][d] = Math.addExact(s[1][d], Math.round(risk * MICROS));
            s[0][d] = c;
          } catch (ArithmeticException e) {
            s[2][d]++;
          }
        }
      }
      List<Row> out = new ArrayList<>();
      sums.forEach((key, s) -> {
        for (int d = 0; d < draws; d++) {
          out.add(RowFactory.create(key.get(0), key.get(1), d, BigDecimal.valueOf(s[0][d], 6).setScale(9),
              BigDecimal.valueOf(s[1][d], 6).setScale(9), s[2][d]));
        }
      });
      return out.iterator();
    }, Encoders.row(schema));
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

  /**
   * The draws of an array column as doubles, read in one pass: a Row's array is a Scala sequence whose
   * get(i) can walk from its head (a linked list), so indexing it per draw is quadratic in the draws.
   */
  private static double[] doubles(List<Double> values) {
    double[] out = new double[values.size()];
    int i = 0;
    for (Double v : values) {
      out[i++] = v;
    }
    return out;
  }
}
