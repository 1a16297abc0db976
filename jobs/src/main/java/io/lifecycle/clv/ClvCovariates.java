package io.lifecycle.clv;

import static org.apache.spark.sql.functions.*;

import io.lifecycle.config.LifecycleConfig;
import io.lifecycle.config.LifecycleConfig.Clv;
import io.lifecycle.config.LifecycleConfig.Cohorts.Breakdowns;
import io.lifecycle.spark.CustomerBreakdowns;
import io.lifecycle.spark.ExactQuantiles;
import io.lifecycle.stats.BgNbdModel;
import io.lifecycle.stats.CovariateFit;
import io.lifecycle.stats.CustomerSummary;
import io.lifecycle.stats.MaximumLikelihoodFitter;
import io.lifecycle.stats.MleResult;
import io.lifecycle.stats.ModelFits;
import io.lifecycle.stats.ParetoNbdModel;
import io.lifecycle.stats.RfmSummary;
import io.lifecycle.tables.ClvModelsTable;
import io.lifecycle.tables.Columns;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BG/NBD and Pareto/NBD with every {@code clv.covariates} and {@code clv.numeric_covariates} attribute in
 * one joint fit ({@link CovariateFit}), started from the fits without them: a clv_models row per model with
 * the factors, their standard errors and the likelihood-ratio test against the fit without the covariates.
 * The values and forecasts keep using the fits without covariates.
 *
 * <p>The customers fall into cells, the distinct combinations of the covariates' levels, and only the
 * distinct (cell, x, t_x, T) with counts reach the driver. To keep that bounded whatever the columns hold,
 * a categorical covariate keeps its {@value #LEVELS} most common values (the rest one level {@value
 * #OTHER}, the most common the reference), a numeric one is cut into at most {@value #BINS} quantile bins,
 * each standing for its customers' mean value (within a bin the factor is that of the bin's mean: with 20
 * bins a twentieth of the customers share a value, far finer than a factor's standard error resolves), and
 * a fit with more than {@value #MAX_CELLS} cells is skipped with a warning.
 */
final class ClvCovariates {
  private static final Logger LOG = LoggerFactory.getLogger(ClvCovariates.class);

  /** The levels a categorical covariate keeps: the most common ones (the first is the reference); the rest are one level. */
  static final int LEVELS = 10;
  static final String OTHER = "(other)";
  /** Quantile bins of a numeric covariate. */
  static final int BINS = 20;
  /** Cells (crossed levels) a joint fit may have: each is a likelihood term per evaluation and a block of rows on the driver. */
  static final int MAX_CELLS = 200;
  /** A numeric covariate's key part for a customer without a value: fitted at the mean (exponent 0). */
  private static final String MISSING = "(missing)";
  private static final String SEPARATOR = "\u001f";

  private ClvCovariates() {}

  /** One covariate as the design sees it: its name, its key column's levels in cell order and their exponents. */
  private record Covariate(String name, boolean numeric, List<String> levels, double[] values) {}

  /**
   * The clv_models rows of the joint fits (none without covariates).
   *
   * @param events  the events as of the run (their stages give {@code first_stage})
   * @param summary the CLV summary per customer ({@link CustomerSummary#withChannel})
   */
  static List<Row> fits(LifecycleConfig config, Dataset<Row> events, Dataset<Row> summary, LocalDate runDate,
      ModelFits.Fit<BgNbdModel> bg, ModelFits.Fit<ParetoNbdModel> pareto) {
    Clv clv = config.clv();
    if (clv.covariates().isEmpty() && clv.numericCovariates().isEmpty()) {
      return List.of();
    }
    long started = System.nanoTime();
    // Read by each covariate's levels or bins, the cells' count and their summaries.
    Dataset<Row> keyed = withCovariates(config, events, summary).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Covariate> covariates = new ArrayList<>();
      List<Column> parts = new ArrayList<>();
      for (int i = 0; i < clv.covariates().size(); i++) {
        Column value = col(categorical(i));
        List<String> levels = levels(keyed, value);
        covariates.add(new Covariate(clv.covariates().get(i), false, levels, null));
        parts.add(levels.contains(OTHER) ? when(value.isin(levels.toArray()), value).otherwise(lit(OTHER)) : value);
      }
      List<Column> bins = binColumns(keyed, clv.numericCovariates().size());
      for (int j = 0; j < clv.numericCovariates().size(); j++) {
        Covariate c = binned(keyed, clv.numericCovariates().get(j), numeric(j), bins.get(j));
        covariates.add(c);
        parts.add(coalesce(bins.get(j).cast("string"), lit(MISSING)));
      }
      Column key = parts.size() == 1 ? parts.get(0) : concat_ws(SEPARATOR, parts.toArray(Column[]::new));
      // Bounded: at most MAX_CELLS + 1 rows.
      long cells = keyed.select(key).distinct().limit(MAX_CELLS + 1).count();
      String names = String.join(",", covariates.stream().map(Covariate::name).toList());
      if (cells > MAX_CELLS) {
        LOG.warn("clv covariates [{}] cross into more than {} cells: no covariates fit; list fewer covariates", names, MAX_CELLS);
        return List.of();
      }
      Map<String, RfmSummary> byCell = ModelFits.triplesBy(keyed, key);
      List<String> order = new ArrayList<>(byCell.keySet());
      order.sort(cellOrder(covariates));
      CovariateFit.Design design = design(covariates, order);
      if (design == null) {
        LOG.warn("clv covariates [{}] take one value each: no covariates fit", names);
        return List.of();
      }
      List<RfmSummary> data = order.stream().map(byCell::get).toList();
      double aggregated = (System.nanoTime() - started) / 1e9;
      List<Row> rows = new ArrayList<>();
      if (bg.usable()) {
        long fitted = System.nanoTime();
        CovariateFit fit = CovariateFit.fit(design, data, BgNbdModel::likelihood, CovariateFit.BG_NBD, bg.fit().mle(),
            new MaximumLikelihoodFitter());
        rows.add(row(runDate, ClvModelsTable.BG_NBD, names, data, aggregated + (System.nanoTime() - fitted) / 1e9, fit));
      }
      if (pareto.usable()) {
        long fitted = System.nanoTime();
        CovariateFit fit = CovariateFit.fit(design, data, ParetoNbdModel::likelihood, CovariateFit.PARETO_NBD, pareto.fit().mle(),
            new MaximumLikelihoodFitter());
        rows.add(row(runDate, ClvModelsTable.PARETO_NBD, names, data, aggregated + (System.nanoTime() - fitted) / 1e9, fit));
      }
      return rows;
    } finally {
      keyed.unpersist();
    }
  }

  /** The column of categorical covariate {@code i}'s value on the rows of {@link #withCovariates}. */
  static String categorical(int i) {
    return "_covariate_" + i;
  }

  /** The column of numeric covariate {@code j}'s value on the rows of {@link #withCovariates}. */
  static String numeric(int j) {
    return "_numeric_covariate_" + j;
  }

  /**
   * The summary with each categorical covariate's value as text ({@link #categorical}; none: {@code
   * unknown} for the channel, as customer_value has it, {@value CustomerBreakdowns#UNKNOWN} for the
   * others) and each numeric one's as a double ({@link #numeric}; null when missing). The channel is the
   * summary's own; {@code first_stage} comes from the events, the rest from input.customer_properties.
   */
  static Dataset<Row> withCovariates(LifecycleConfig config, Dataset<Row> events, Dataset<Row> summary) {
    Clv clv = config.clv();
    List<String> categorical = clv.covariates();
    Dataset<Row> out = summary;
    List<Column> fromEvents = new ArrayList<>();
    if (categorical.contains(Breakdowns.FIRST_STAGE)) {
      fromEvents.add(CustomerBreakdowns.firstStage().as("_first_stage"));
    }
    if (categorical.contains(Breakdowns.IDENTITY)) {
      fromEvents.add(CustomerBreakdowns.identity().as("_identity"));
    }
    if (!fromEvents.isEmpty()) {
      out = out.join(events.groupBy(col(Columns.CUSTOMER_ID))
              .agg(fromEvents.get(0), fromEvents.subList(1, fromEvents.size()).toArray(Column[]::new)),
          Columns.CUSTOMER_ID, "left_outer");
    }
    List<String> properties = categorical.stream().filter(n -> !Breakdowns.BUILT_IN.contains(n)).toList();
    if (!properties.isEmpty() || !clv.numericCovariates().isEmpty()) {
      Dataset<Row> table = CustomerBreakdowns.properties(summary.sparkSession(), config.cohorts().breakdowns().properties(),
          config.privacy(), properties, clv.numericCovariates());
      List<Column> renamed = new ArrayList<>(List.of(col(Columns.CUSTOMER_ID)));
      properties.forEach(p -> renamed.add(col(p).as("_property_" + p)));
      for (int j = 0; j < clv.numericCovariates().size(); j++) {
        renamed.add(col(clv.numericCovariates().get(j)).as(numeric(j)));
      }
      out = out.join(table.select(renamed.toArray(Column[]::new)), Columns.CUSTOMER_ID, "left_outer");
    }
    List<Column> select = new ArrayList<>(List.of(col(Columns.CUSTOMER_ID), col(CustomerSummary.FREQUENCY),
        col(CustomerSummary.RECENCY), col(CustomerSummary.AGE)));
    for (int i = 0; i < categorical.size(); i++) {
      String name = categorical.get(i);
      Column value = name.equals(Clv.ACQUISITION_CHANNEL) ? coalesce(col(CustomerSummary.CHANNEL), lit("unknown"))
          : coalesce(col(name.equals(Breakdowns.FIRST_STAGE) ? "_first_stage"
                  : name.equals(Breakdowns.IDENTITY) ? "_identity" : "_property_" + name),
              lit(CustomerBreakdowns.UNKNOWN));
      select.add(value.as(categorical(i)));
    }
    for (int j = 0; j < clv.numericCovariates().size(); j++) {
      select.add(col(numeric(j)));
    }
    return out.select(select.toArray(Column[]::new));
  }

  /** A categorical covariate's levels: the {@value #LEVELS} most common (ties in name order), then {@value #OTHER} if any is left. */
  private static List<String> levels(Dataset<Row> keyed, Column value) {
    // Bounded: LEVELS + 1 rows.
    List<String> top = keyed.groupBy(value.as("_level")).count().orderBy(col("count").desc(), col("_level"))
        .limit(LEVELS + 1).collectAsList().stream().map(r -> r.getString(0)).toList();
    if (top.size() <= LEVELS) {
      return top;
    }
    List<String> kept = new ArrayList<>(top.subList(0, LEVELS));
    kept.add(OTHER);
    return kept;
  }

  /**
   * Each numeric covariate's bin: the number of its distinct {@value #BINS}-quantiles below the value (0 to
   * {@value #BINS} - 1; null for a missing value). The quantiles are exact ({@link ExactQuantiles}), not
   * {@code percentile_approx}, whose answer depends on the order rows arrive in: a rerun, or a daily run
   * against a full one, bins every customer the same way.
   */
  private static List<Column> binColumns(Dataset<Row> keyed, int count) {
    double[] probabilities = new double[BINS - 1];
    for (int b = 1; b < BINS; b++) {
      probabilities[b - 1] = (double) b / BINS;
    }
    List<Column> bins = new ArrayList<>();
    for (int j = 0; j < count; j++) {
      Column value = col(numeric(j));
      double[] q = ExactQuantiles.of(keyed, numeric(j), probabilities);
      Column bin = lit(0);
      for (double cut : q == null ? new double[0] : Arrays.stream(q).distinct().sorted().toArray()) {
        bin = bin.plus(when(value.gt(cut), 1).otherwise(0));
      }
      bins.add(when(value.isNotNull(), bin));
    }
    return bins;
  }

  /** A numeric covariate's bins (as the key's text) with their exponents: the bin's mean value less the customers' mean. */
  private static Covariate binned(Dataset<Row> keyed, String name, String column, Column bin) {
    // Bounded: at most BINS rows.
    List<Row> rows = keyed.where(col(column).isNotNull()).groupBy(bin.as("_bin"))
        .agg(avg(col(column)), count(lit(1))).orderBy("_bin").collectAsList();
    double sum = 0;
    long customers = 0;
    for (Row r : rows) {
      sum += r.getDouble(1) * r.getLong(2);
      customers += r.getLong(2);
    }
    double mean = customers == 0 ? 0 : sum / customers;
    List<String> levels = new ArrayList<>();
    double[] values = new double[rows.size() + 1];
    for (int b = 0; b < rows.size(); b++) {
      levels.add(String.valueOf(rows.get(b).getInt(0)));
      values[b] = rows.get(b).getDouble(1) - mean;
    }
    levels.add(MISSING);
    LOG.info("numeric covariate {}: mean {} over {} customers, {} bins", name, mean, customers, rows.size());
    return new Covariate(name, true, levels, values);
  }

  /** Cells in the order of their covariates' levels: with one categorical covariate, the reference first and {@value #OTHER} last. */
  private static Comparator<String> cellOrder(List<Covariate> covariates) {
    return (a, b) -> {
      String[] pa = a.split(SEPARATOR, -1);
      String[] pb = b.split(SEPARATOR, -1);
      for (int c = 0; c < covariates.size(); c++) {
        int cmp = Integer.compare(covariates.get(c).levels().indexOf(pa[c]), covariates.get(c).levels().indexOf(pb[c]));
        if (cmp != 0) {
          return cmp;
        }
      }
      return 0;
    };
  }

  /**
   * The design of the cells: per categorical covariate a 0/1 column per level but the reference, per
   * numeric one a column of centered bin means. A lone categorical covariate names its columns by level
   * ({@code paid_search}); with several each is qualified ({@code plan=pro}); a numeric one by its name.
   * Null when no column varies.
   */
  private static CovariateFit.Design design(List<Covariate> covariates, List<String> cells) {
    boolean qualified = covariates.size() > 1;
    List<String> columns = new ArrayList<>();
    List<double[]> byColumn = new ArrayList<>();
    for (int c = 0; c < covariates.size(); c++) {
      Covariate cov = covariates.get(c);
      int part = c;
      if (cov.numeric()) {
        double[] z = cells.stream().mapToDouble(cell -> cov.values()[cov.levels().indexOf(cell.split(SEPARATOR, -1)[part])]).toArray();
        if (Arrays.stream(z).anyMatch(v -> v != 0)) {
          columns.add(cov.name());
          byColumn.add(z);
        } else {
          LOG.warn("numeric covariate {} takes one value: not fitted", cov.name());
        }
        continue;
      }
      for (String level : cov.levels().subList(1, cov.levels().size())) {
        columns.add(qualified ? cov.name() + "=" + level : level);
        byColumn.add(cells.stream().mapToDouble(cell -> cell.split(SEPARATOR, -1)[part].equals(level) ? 1 : 0).toArray());
      }
    }
    if (columns.isEmpty()) {
      return null;
    }
    double[][] exponents = new double[cells.size()][columns.size()];
    for (int j = 0; j < columns.size(); j++) {
      for (int k = 0; k < cells.size(); k++) {
        exponents[k][j] = byColumn.get(j)[k];
      }
    }
    return new CovariateFit.Design(columns, exponents);
  }

  private static Row row(LocalDate runDate, String model, String names, List<RfmSummary> data, double seconds, CovariateFit fit) {
    MleResult mle = fit.mle();
    long customers = 0;
    long distinct = 0;
    for (RfmSummary d : data) {
      customers += (long) d.totalWeight();
      distinct += d.size();
    }
    LOG.info("{} with covariates {} ({} cells): {}, likelihood ratio {} on {} df, p {}", model, names, data.size(),
        fit.coefficients(), fit.lrStatistic(), fit.degreesOfFreedom(), fit.pValue());
    return RowFactory.create(Date.valueOf(runDate), model, ClvModelsTable.PURPOSE_COVARIATES, "covariate=" + names, Date.valueOf(runDate),
        ClvStep.byName(mle, mle.estimates()), ClvStep.byName(mle, mle.standardErrors()),
        mle.logLikelihood(), mle.evaluations(), mle.converged(), mle.atBoundary(), customers, distinct,
        seconds, false, mle.message(), fit.lrStatistic(), fit.degreesOfFreedom(), fit.pValue());
  }
}
