package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lifecycle.SharedSpark;
import io.lifecycle.TestSupport;
import io.lifecycle.config.LifecycleConfig.Clv;
import io.lifecycle.tables.CustomerForecastTable;
import io.lifecycle.tables.CustomerValueTable;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The per-summary predictions through Spark, computed once per (x, T) for all its t_x, are exactly the
 * model's own per-customer values, for both purchase models: five customers, four distinct (x, t_x, T),
 * two of which share (x, T) with different t_x, and one without repeat purchases.
 */
class SummaryPredictionsTest {
  private static final Clv CLV = TestSupport.config().clv();

  private static Dataset<Row> summary() {
    StructType schema = new StructType().add(CustomerSummary.FREQUENCY, DataTypes.LongType)
        .add(CustomerSummary.RECENCY, DataTypes.DoubleType).add(CustomerSummary.AGE, DataTypes.DoubleType);
    return SharedSpark.get().createDataFrame(List.of(RowFactory.create(2L, 30.43, 38.86), RowFactory.create(2L, 30.43, 38.86),
        RowFactory.create(2L, 5.0, 38.86), RowFactory.create(0L, 0.0, 12.0), RowFactory.create(7L, 35.0, 38.0)), schema);
  }

  @Test
  void eachSummarysPredictionsAreTheModelsOwnValues() {
    for (PurchaseModel m : List.of(new BgNbdModel(0.243, 4.414, 0.793, 2.426), new ParetoNbdModel(0.553, 10.578, 0.606, 11.669))) {
      // Bounded: four distinct summaries.
      List<Row> rows = SummaryPredictions.lifetime(summary(), CLV, m).collectAsList();
      assertEquals(4, rows.size(), m.name());
      SummaryPredictions.Horizon horizon = SummaryPredictions.Horizon.of(CLV);
      double delta = SummaryPredictions.continuousRate(CLV);
      double days = SummaryPredictions.daysPerUnit(CLV);
      for (Row r : rows) {
        double x = r.getLong(0);
        double tx = r.getDouble(1);
        double age = r.getDouble(2);
        String at = m.name() + " at (" + x + ", " + tx + ", " + age + ")";
        double[] purchases = horizon.purchases(m, x, tx, age);
        assertEquals(m.probabilityAlive(x, tx, age), r.<Double>getAs(CustomerValueTable.P_ALIVE), 0.0, at);
        assertEquals(purchases[0], r.<Double>getAs(CustomerValueTable.EXPECTED_PURCHASES), 0.0, at);
        assertEquals(purchases[1], r.<Double>getAs(SummaryPredictions.DISCOUNTED_PURCHASES), 0.0, at);
        assertEquals(m.probabilityAliveAfter(SummaryPredictions.units(CLV, CLV.horizonMonths()), x, tx, age),
            r.<Double>getAs(CustomerForecastTable.P_ALIVE_AT_HORIZON), 0.0, at);
        assertEquals(m.discountedResidualPurchases(delta, x, tx, age), r.<Double>getAs(CustomerForecastTable.DERT), 0.0, at);
        double median = m.medianTimeToPurchase(x, tx, age);
        if (Double.isNaN(median)) {
          assertNull(r.getAs(CustomerForecastTable.MEDIAN_DAYS_TO_NEXT_PURCHASE), at);
        } else {
          assertEquals(median * days, r.<Double>getAs(CustomerForecastTable.MEDIAN_DAYS_TO_NEXT_PURCHASE), 0.0, at);
        }
        List<Row> forecast = r.getList(r.fieldIndex(CustomerForecastTable.FORECAST));
        assertEquals(CLV.forecastDays().size(), forecast.size(), at);
        for (int i = 0; i < forecast.size(); i++) {
          double t = CLV.forecastDays().get(i) / days;
          assertEquals(CLV.forecastDays().get(i), forecast.get(i).getInt(0), at);
          assertEquals(m.probabilityNoPurchase(t, x, tx, age), forecast.get(i).getDouble(1), 0.0, at);
          assertEquals(m.conditionalExpectedPurchases(t, x, tx, age), forecast.get(i).getDouble(2), 0.0, at);
        }
      }
    }
  }
}
