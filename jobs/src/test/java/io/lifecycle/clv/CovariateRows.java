package io.lifecycle.clv;

import static org.junit.jupiter.api.Assertions.*;

import io.lifecycle.tables.ClvModelsTable;
import org.apache.spark.sql.Row;

/** A covariates fit's clv_models row as the tests read it: a factor's logarithm and its standard error. */
final class CovariateRows {
  private CovariateRows() {}

  static double logFactor(Row fit, String parameter) {
    return Math.log(fit.<scala.collection.Map<String, Double>>getAs(ClvModelsTable.PARAMETERS).apply(parameter));
  }

  /** The delta method: the standard error of ln(factor) is the factor's over the factor. */
  static double logError(Row fit, String parameter) {
    double factor = fit.<scala.collection.Map<String, Double>>getAs(ClvModelsTable.PARAMETERS).apply(parameter);
    return fit.<scala.collection.Map<String, Double>>getAs(ClvModelsTable.STANDARD_ERRORS).apply(parameter) / factor;
  }

  static String measured(Row fit, String parameter) {
    return String.format("%s: ln %.3f +- %.3f", parameter, logFactor(fit, parameter), logError(fit, parameter));
  }

  /**
   * The fit converged, with the covariates' segment, and recovers the generator's factor of two on the
   * parameter within two standard errors, themselves small (below 0.2).
   */
  static void assertFactorOfTwo(Row fit, String segment, String parameter) {
    assertNotNull(fit);
    assertTrue(fit.<Boolean>getAs(ClvModelsTable.CONVERGED), fit.toString());
    assertEquals(segment, fit.getAs(ClvModelsTable.SEGMENT));
    double error = logError(fit, parameter);
    assertTrue(error > 0 && error < 0.2, measured(fit, parameter));
    assertEquals(Math.log(2), logFactor(fit, parameter), 2 * error, measured(fit, parameter));
  }
}
