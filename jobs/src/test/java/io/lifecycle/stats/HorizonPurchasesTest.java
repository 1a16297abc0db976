package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A CLV horizon's expected purchases month by month, computed as P(alive) once times
 * {@link PurchaseModel#purchasesIfAlive} (what the predictions and every interval draw evaluate), are
 * exactly the values one conditional expectation per month gives, for both models, a customer without
 * repeat purchases and BG/NBD's a = 1 limit; the horizon's totals are those of the monthly calls.
 */
class HorizonPurchasesTest {
  /** Twelve months in weeks, as the CDNOW configuration asks (the first 0: nothing expected in no time). */
  private static final double[] MONTHS = {0, 4.35, 8.7, 13.04, 17.39, 21.74, 26.09, 30.44, 34.79, 39.13, 43.48, 47.83, 52.18};
  private static final double[][] CUSTOMERS = {{0, 0, 38.86}, {2, 30.43, 38.86}, {7, 35.0, 38.86}, {1, 2.0, 10.0}};
  private static final List<PurchaseModel> MODELS = List.of(new BgNbdModel(0.243, 4.414, 0.793, 2.426),
      new BgNbdModel(0.243, 4.414, 1 + 1e-7, 2.426), new ParetoNbdModel(0.553, 10.578, 0.606, 11.669));

  @Test
  void purchasesIfAliveTimesPAliveIsTheConditionalExpectationEachMonth() {
    for (PurchaseModel m : MODELS) {
      for (double[] c : CUSTOMERS) {
        double alive = m.probabilityAlive(c[0], c[1], c[2]);
        double[] each = new double[MONTHS.length];
        double[] factored = new double[MONTHS.length];
        for (int i = 0; i < MONTHS.length; i++) {
          each[i] = m.conditionalExpectedPurchases(MONTHS[i], c[0], c[1], c[2]);
          factored[i] = m.purchasesIfAlive(MONTHS[i], c[0], c[2]) * alive;
        }
        assertArrayEquals(each, factored, 0.0, m + " at " + java.util.Arrays.toString(c));
        assertEquals(0.0, factored[0]);
        for (int i = 1; i < MONTHS.length; i++) {
          assertTrue(factored[i] > factored[i - 1], "cumulative purchases grow with the horizon: " + java.util.Arrays.toString(factored));
        }
      }
    }
  }

  @Test
  void theHorizonsTotalsAreThoseOfTheMonthlyCalls() {
    double rate = 0.008;
    SummaryPredictions.Horizon horizon = SummaryPredictions.Horizon.of(java.util.Arrays.copyOfRange(MONTHS, 1, MONTHS.length), rate);
    for (PurchaseModel m : MODELS) {
      for (double[] c : CUSTOMERS) {
        double previous = 0;
        double discounted = 0;
        for (int month = 1; month < MONTHS.length; month++) {
          double cumulative = m.conditionalExpectedPurchases(MONTHS[month], c[0], c[1], c[2]);
          discounted += (cumulative - previous) / Math.pow(1 + rate, month);
          previous = cumulative;
        }
        assertArrayEquals(new double[] {previous, discounted}, horizon.purchases(m, c[0], c[1], c[2]), 0.0, m.toString());
        assertArrayEquals(horizon.purchases(m, c[0], c[1], c[2]), horizon.purchasesIfAlive(m, c[0], c[2], m.probabilityAlive(c[0], c[1], c[2])), 0.0);
      }
    }
  }
}
