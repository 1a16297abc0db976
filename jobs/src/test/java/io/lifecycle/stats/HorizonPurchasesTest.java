package io.lifecycle.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A CLV horizon's expected purchases month by month ({@link PurchaseModel#conditionalExpectedPurchases(double[],
 * double, double, double)}, what the predictions and every interval draw evaluate) are exactly the values one
 * call per month gives, for both models, a customer without repeat purchases and BG/NBD's a = 1 limit.
 */
class HorizonPurchasesTest {
  /** Twelve months in weeks, as the CDNOW configuration asks (the first 0: nothing expected in no time). */
  private static final double[] MONTHS = {0, 4.35, 8.7, 13.04, 17.39, 21.74, 26.09, 30.44, 34.79, 39.13, 43.48, 47.83, 52.18};
  private static final double[][] CUSTOMERS = {{0, 0, 38.86}, {2, 30.43, 38.86}, {7, 35.0, 38.86}, {1, 2.0, 10.0}};

  @Test
  void eachModelsHorizonEqualsOneCallPerMonth() {
    List<PurchaseModel> models = List.of(new BgNbdModel(0.243, 4.414, 0.793, 2.426), new BgNbdModel(0.243, 4.414, 1 + 1e-7, 2.426),
        new ParetoNbdModel(0.553, 10.578, 0.606, 11.669));
    for (PurchaseModel m : models) {
      for (double[] c : CUSTOMERS) {
        double[] each = new double[MONTHS.length];
        for (int i = 0; i < MONTHS.length; i++) {
          each[i] = m.conditionalExpectedPurchases(MONTHS[i], c[0], c[1], c[2]);
        }
        double[] horizon = m.conditionalExpectedPurchases(MONTHS, c[0], c[1], c[2]);
        assertArrayEquals(each, horizon, 0.0, m + " at " + java.util.Arrays.toString(c));
        assertEquals(0.0, horizon[0]);
        for (int i = 1; i < MONTHS.length; i++) {
          assertTrue(horizon[i] > horizon[i - 1], "cumulative purchases grow with the horizon: " + java.util.Arrays.toString(horizon));
        }
      }
    }
  }

  @Test
  void aNegativeHorizonIsRejectedAsForOneCall() {
    for (PurchaseModel m : List.of(new BgNbdModel(0.243, 4.414, 0.793, 2.426), new ParetoNbdModel(0.553, 10.578, 0.606, 11.669))) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> m.conditionalExpectedPurchases(new double[] {4, -1}, 1, 2, 10));
    }
  }
}
