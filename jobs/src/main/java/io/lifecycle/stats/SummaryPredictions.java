package io.lifecycle.stats;

import io.lifecycle.config.LifecycleConfig.Clv;
import io.lifecycle.tables.CustomerForecastTable;
import io.lifecycle.tables.CustomerValueTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Purchase-model predictions per distinct (x, t_x, T) of a customer summary, computed by Spark over the
 * distinct summaries. The closed forms need the hypergeometric function, so they run once per distinct
 * summary rather than once per customer; and in tasks, not in the driver: at 100M events there were
 * 1.3 million distinct summaries, and holding them in the driver and broadcasting them took the memory
 * the job's sorts needed.
 */
public final class SummaryPredictions {
  /** Days per month: 365.25 / 12. */
  static final double DAYS_PER_MONTH = 365.25 / 12;

  /** Horizon of {@code months} months in the configured time unit. */
  public static double units(Clv clv, double months) {
    return months * DAYS_PER_MONTH / daysPerUnit(clv);
  }

  /** Days in one configured time unit. */
  public static double daysPerUnit(Clv clv) {
    return clv.timeUnit() == Clv.TimeUnit.WEEKS ? 7 : 1;
  }

  /**
   * The continuous discount rate per time unit equivalent to {@code clv.annual_discount_rate}:
   * ln(1 + rate) / (time units per year), as "RFM and CLV" turns 15% a year into 0.0027 a week.
   */
  public static double continuousRate(Clv clv) {
    return Math.log1p(clv.annualDiscountRate()) / units(clv, 12);
  }

  /**
   * DERT / P(alive) ({@link PurchaseModel#residualPurchasesIfAlive}), or null where its special function
   * does not converge (a tiny continuous discount rate with a rate shape within 0.05 of an integer,
   * {@link SpecialFunctions#tricomiUScaled}): missing values rather than a failed step.
   */
  private static Double dertIfAlive(PurchaseModel model, double delta, double x, double age) {
    try {
      return model.residualPurchasesIfAlive(delta, x, age);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /**
   * The CLV horizon's months in the configured time unit and the monthly discount rate equivalent to
   * {@code clv.annual_discount_rate}: what the predicted CLV multiplies spend and margin by.
   */
  record Horizon(double[] months, double monthlyRate, double[] discounts) implements java.io.Serializable {
    static Horizon of(Clv clv) {
      double[] months = new double[clv.horizonMonths()];
      for (int m = 1; m <= months.length; m++) {
        months[m - 1] = units(clv, m);
      }
      return of(months, Math.pow(1 + clv.annualDiscountRate(), 1.0 / 12) - 1);
    }

    /** The months and the monthly rate, with each month's discount factor (1 + rate)^m computed once. */
    static Horizon of(double[] months, double monthlyRate) {
      double[] discounts = new double[months.length];
      for (int m = 1; m <= months.length; m++) {
        discounts[m - 1] = Math.pow(1 + monthlyRate, m);
      }
      return new Horizon(months, monthlyRate, discounts);
    }

    /** {expected purchases over the horizon, the same discounted monthly} of a customer (x, t_x, T). */
    double[] purchases(PurchaseModel model, double x, double tx, double age) {
      return purchasesIfAlive(model, x, age, model.probabilityAlive(x, tx, age));
    }

    /** {@link #purchases} for a customer (x, T) whose P(alive) is {@code alive}, already computed. */
    double[] purchasesIfAlive(PurchaseModel model, double x, double age, double alive) {
      return accumulate(model.purchasesIfAlive(months, x, age), alive);
    }

    /**
     * {@link #purchases} from the months' expected purchases given alive ({@link
     * PurchaseModel#purchasesIfAlive(double[], double, double)} at {@link #months}, which depend on (x, T)
     * only) and the customer's P(alive).
     */
    double[] accumulate(double[] ifAlive, double alive) {
      double previous = 0;
      double discounted = 0;
      for (int m = 1; m <= months.length; m++) {
        double cumulative = ifAlive[m - 1] * alive;
        discounted += (cumulative - previous) / discounts[m - 1];
        previous = cumulative;
      }
      return new double[] {previous, discounted};
    }
  }

  /** The monthly discounted expected purchases over the horizon (times spend and margin: the CLV). */
  public static final String DISCOUNTED_PURCHASES = "_discounted_purchases";

  private SummaryPredictions() {}

  static final StructType KEYS = new StructType()
      .add(CustomerSummary.FREQUENCY, DataTypes.LongType).add(CustomerSummary.RECENCY, DataTypes.DoubleType)
      .add(CustomerSummary.AGE, DataTypes.DoubleType);

  /** The summary's distinct (x, t_x, T). */
  static Dataset<Row> distinct(Dataset<Row> summary) {
    return summary.select(CustomerSummary.FREQUENCY, CustomerSummary.RECENCY, CustomerSummary.AGE).distinct();
  }

  /**
   * Per distinct summary: P(alive), the expected purchases over {@code clv.horizon_months} and their
   * monthly discounted sum ({@link #DISCOUNTED_PURCHASES}), and the {@link CustomerForecastTable}
   * columns: P(alive) at the horizon's end, P(no purchase) and expected purchases per
   * {@code clv.forecast_days}, the median days to the next purchase and DERT (null at a 0 discount rate).
   */
  public static Dataset<Row> lifetime(Dataset<Row> summary, Clv clv, PurchaseModel model) {
    Horizon months = Horizon.of(clv);
    double horizon = units(clv, clv.horizonMonths());
    double daysPerUnit = daysPerUnit(clv);
    List<Integer> days = clv.forecastDays();
    double delta = continuousRate(clv);
    StructType schema = KEYS.add(CustomerValueTable.P_ALIVE, DataTypes.DoubleType)
        .add(CustomerValueTable.EXPECTED_PURCHASES, DataTypes.DoubleType).add(DISCOUNTED_PURCHASES, DataTypes.DoubleType)
        .add(CustomerForecastTable.P_ALIVE_AT_HORIZON, DataTypes.DoubleType)
        .add(CustomerForecastTable.FORECAST, DataTypes.createArrayType(CustomerForecastTable.HORIZON, false))
        .add(CustomerForecastTable.MEDIAN_DAYS_TO_NEXT_PURCHASE, DataTypes.DoubleType)
        .add(CustomerForecastTable.DERT, DataTypes.DoubleType);
    double[] forecastTimes = days.stream().mapToDouble(d -> d / daysPerUnit).toArray();
    return byFrequencyAndAge(summary).flatMap((FlatMapFunction<Row, Row>) g -> {
      long frequency = g.getLong(0);
      double x = frequency;
      double age = g.getDouble(1);
      // What depends on (x, T) only, once for all the t_x: the expensive part.
      double[] horizonIfAlive = model.purchasesIfAlive(months.months(), x, age);
      double[] forecastIfAlive = model.purchasesIfAlive(forecastTimes, x, age);
      Double dertIfAlive = delta > 0 ? dertIfAlive(model, delta, x, age) : null;
      List<Row> rows = new ArrayList<>();
      for (double tx : recencies(g)) {
        double alive = model.probabilityAlive(x, tx, age);
        double[] purchases = months.accumulate(horizonIfAlive, alive);
        List<Row> forecast = new ArrayList<>(days.size());
        for (int i = 0; i < forecastTimes.length; i++) {
          forecast.add(RowFactory.create(days.get(i), model.probabilityNoPurchase(forecastTimes[i], x, tx, age), forecastIfAlive[i] * alive));
        }
        double median = model.medianTimeToPurchase(x, tx, age);
        rows.add(RowFactory.create(frequency, tx, age, alive, purchases[0], purchases[1],
            model.probabilityAliveAfter(horizon, x, tx, age), scala.jdk.javaapi.CollectionConverters.asScala(forecast).toSeq(),
            Double.isNaN(median) ? null : median * daysPerUnit,
            dertIfAlive == null ? null : alive * dertIfAlive));
      }
      return rows.iterator();
    }, Encoders.row(schema));
  }

  /**
   * The summary's distinct (x, t_x, T) as one row per distinct (x, T) with its t_x values (x, T,
   * array of t_x): what a model expects of a customer still alive depends on (x, T) only (a horizon's
   * months, the forecasts' horizons, DERT's integral), and only P(alive) on t_x, so the costly part runs
   * once per (x, T): 15,680 of them at 10M generated events, against 267,366 distinct (x, t_x, T).
   */
  private static Dataset<Row> byFrequencyAndAge(Dataset<Row> summary) {
    return summary.groupBy(CustomerSummary.FREQUENCY, CustomerSummary.AGE)
        .agg(org.apache.spark.sql.functions.collect_set(CustomerSummary.RECENCY).as("_recencies"));
  }

  /** The t_x of a row of {@link #byFrequencyAndAge}, ascending. */
  private static double[] recencies(Row group) {
    List<Double> values = group.getList(2);
    double[] out = new double[values.size()];
    int i = 0;
    for (Double v : values) {
      out[i++] = v;
    }
    java.util.Arrays.sort(out);
    return out;
  }

  /**
   * Per distinct summary: P(alive) and the expected purchases in the next {@code t} time units (one
   * evaluation each, where {@link #lifetime} needs one per month of the horizon).
   */
  public static Dataset<Row> aliveAndExpected(Dataset<Row> summary, double t, PurchaseModel model) {
    StructType schema = KEYS.add(CustomerValueTable.P_ALIVE, DataTypes.DoubleType)
        .add(CustomerValueTable.EXPECTED_PURCHASES, DataTypes.DoubleType);
    return distinct(summary).map((MapFunction<Row, Row>) r -> {
      double x = r.getLong(0);
      double tx = r.getDouble(1);
      double age = r.getDouble(2);
      return RowFactory.create(r.getLong(0), tx, age, model.probabilityAlive(x, tx, age),
          model.conditionalExpectedPurchases(t, x, tx, age));
    }, Encoders.row(schema));
  }

  /**
   * Per distinct summary: each model's expected purchases in the next {@code t} time units, in a column
   * named after the model (null for a model that is null).
   */
  public static Dataset<Row> expectedPurchases(Dataset<Row> summary, double t, List<String> names, List<PurchaseModel> models) {
    StructType schema = KEYS;
    for (String name : names) {
      schema = schema.add(name, DataTypes.DoubleType);
    }
    List<PurchaseModel> fitted = new ArrayList<>(models);
    return distinct(summary).map((MapFunction<Row, Row>) r -> {
      Object[] values = new Object[3 + fitted.size()];
      values[0] = r.getLong(0);
      values[1] = r.getDouble(1);
      values[2] = r.getDouble(2);
      for (int i = 0; i < fitted.size(); i++) {
        PurchaseModel m = fitted.get(i);
        values[3 + i] = m == null ? null : m.conditionalExpectedPurchases(t, r.getLong(0), r.getDouble(1), r.getDouble(2));
      }
      return RowFactory.create(values);
    }, Encoders.row(schema));
  }
}
