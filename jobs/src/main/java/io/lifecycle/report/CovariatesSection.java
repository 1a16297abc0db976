package io.lifecycle.report;

import static org.apache.spark.sql.functions.col;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.tables.ClvModelsTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Row;

/**
 * The covariate fits of the purchase models (clv.covariates, clv.numeric_covariates): per model, each
 * attribute level's factor on the purchase rate and the dropout with its 95% interval, and the
 * likelihood-ratio test against the model without the attributes. This is the answer to "does the
 * channel (or plan) bring customers who buy more often, or who stay longer", which analysts otherwise
 * read out of clv_models' maps. Shown only when covariates are configured.
 */
final class CovariatesSection {
  private static final NormalDistribution NORMAL = new NormalDistribution();

  private CovariatesSection() {}

  /** One model's covariate fit: its covariates, the factors in parameter order, and the test. */
  record Fit(String model, String covariates, List<Factor> factors, double lrStatistic, int degreesOfFreedom, double pValue,
      boolean converged) {}

  /**
   * One factor: the parameter ({@code purchase[paid_search]}), the factor, and its 95% interval from the
   * normal approximation of ln(factor) (standard error: the factor's over the factor, the delta method).
   */
  record Factor(String parameter, double factor, double low, double high, double pValue) {}

  static Part<List<Fit>> query(ReportTables tables) {
    LifecycleConfig.Clv clv = tables.config().clv();
    if (clv.covariates().isEmpty() && clv.numericCovariates().isEmpty()) {
      return Part.none();
    }
    return tables.query(ClvModelsTable.DEF, "the covariate fits", models -> {
      // Bounded: one row per purchase model (two).
      List<Row> rows = models.where(tables.onValuationDate().and(col(ClvModelsTable.PURPOSE).equalTo(ClvModelsTable.PURPOSE_COVARIATES)))
          .select(col(ClvModelsTable.MODEL), col(ClvModelsTable.SEGMENT), col(ClvModelsTable.PARAMETERS),
              col(ClvModelsTable.STANDARD_ERRORS), col(ClvModelsTable.LR_STATISTIC), col(ClvModelsTable.LR_DEGREES_OF_FREEDOM),
              col(ClvModelsTable.LR_P_VALUE), col(ClvModelsTable.CONVERGED))
          .orderBy(ClvModelsTable.MODEL).collectAsList();
      if (rows.isEmpty()) {
        return Part.missing("Table clv_models has no covariate fits for run date " + tables.valuationDate()
            + ": the covariates took one value each, crossed into too many cells, or the purchase models were not usable (see the clv step's log).");
      }
      List<Fit> fits = new ArrayList<>();
      for (Row r : rows) {
        fits.add(new Fit(r.getString(0), r.getString(1).replaceFirst("^covariate=", ""), factors(r.getJavaMap(2), r.getJavaMap(3)),
            r.isNullAt(4) ? Double.NaN : r.getDouble(4), r.isNullAt(5) ? 0 : r.getInt(5), r.isNullAt(6) ? Double.NaN : r.getDouble(6),
            r.getBoolean(7)));
      }
      return Part.of(fits);
    });
  }

  /** The factors (parameters named {@code effect[column]}), in the fit's order (level by level), with their intervals and Wald p-values. */
  static List<Factor> factors(Map<String, Double> parameters, Map<String, Double> errors) {
    List<Factor> out = new ArrayList<>();
    parameters.forEach((name, factor) -> {
      if (!name.contains("[") || factor == null || !(factor > 0)) {
        return;
      }
      Double se = errors == null ? null : errors.get(name);
      double logSe = se == null ? Double.NaN : se / factor;
      double z = Math.log(factor) / logSe;
      out.add(new Factor(name, factor, Math.exp(Math.log(factor) - 1.96 * logSe), Math.exp(Math.log(factor) + 1.96 * logSe),
          Double.isFinite(z) ? 2 * NORMAL.cumulativeProbability(-Math.abs(z)) : Double.NaN));
    });
    return out;
  }

  static void render(HtmlPage page, Part<List<Fit>> fits) {
    fits.draw(page, list -> {
      page.note("Covariates: each attribute level's factor against the reference level (the most common value; a numeric "
          + "attribute's factor is per unit). 'purchase' multiplies the purchase rate; 'dropout' (Pareto/NBD) the dropout rate, "
          + "'dropout_a' and 'dropout_b' (BG/NBD) the beta distribution of the dropout probability, whose mean is a / (a + b). "
          + "An interval that excludes 1 is a difference the data support.");
      for (Fit f : list) {
        page.note(f.model() + " with " + f.covariates() + ": likelihood ratio " + Markup.decimal(f.lrStatistic(), 1) + " on "
            + f.degreesOfFreedom() + " degrees of freedom against the model without them, p " + (f.pValue() < 1e-15 ? "" : "= ")
            + pValue(f.pValue())
            + (f.converged() ? "" : " (the fit did not converge: read the factors with care)") + ".");
        page.table(List.of("model", "factor", "value", "95% interval", "p"), f.factors().stream()
            .map(x -> List.of(f.model(), x.parameter(), Markup.decimal(x.factor(), 3),
                Double.isFinite(x.low()) ? Markup.decimal(x.low(), 3) + " to " + Markup.decimal(x.high(), 3) : "n/a",
                pValue(x.pValue()))).toList());
      }
    });
  }

  private static String pValue(double p) {
    if (!Double.isFinite(p)) {
      return "n/a";
    }
    // Below 1e-15 a chi-square tail computed as 1 - CDF is rounding, not a probability.
    return p < 1e-15 ? "< 1e-15" : p < 0.0001 ? String.format(java.util.Locale.ROOT, "%.1e", p) : Markup.decimal(p, 4);
  }
}
