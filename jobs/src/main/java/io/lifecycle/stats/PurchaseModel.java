package io.lifecycle.stats;

import io.lifecycle.tables.ClvModelsTable;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.ParetoNbdModel;

/**
 * The two purchase models behind one face, so fitting, holdout and scoring treat them alike.
 * Serializable: Spark tasks evaluate it per distinct customer summary.
 */
public interface PurchaseModel extends java.io.Serializable {
  String name();

  double probabilityAlive(double x, double tx, double age);

  double conditionalExpectedPurchases(double t, double x, double tx, double age);

  static PurchaseModel of(BgNbdModel m) {
    return new PurchaseModel() {
      public String name() {
        return ClvModelsTable.BG_NBD;
      }

      public double probabilityAlive(double x, double tx, double age) {
        return m.probabilityAlive(x, tx, age);
      }

      public double conditionalExpectedPurchases(double t, double x, double tx, double age) {
        return m.conditionalExpectedPurchases(t, x, tx, age);
      }
    };
  }

  static PurchaseModel of(ParetoNbdModel m) {
    return new PurchaseModel() {
      public String name() {
        return ClvModelsTable.PARETO_NBD;
      }

      public double probabilityAlive(double x, double tx, double age) {
        return m.probabilityAlive(x, tx, age);
      }

      public double conditionalExpectedPurchases(double t, double x, double tx, double age) {
        return m.conditionalExpectedPurchases(t, x, tx, age);
      }
    };
  }
}
