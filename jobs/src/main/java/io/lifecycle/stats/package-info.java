/**
 * The statistical models that several steps share: BG/NBD, Pareto/NBD, Gamma-Gamma, the shifted
 * beta-geometric (sBG) with its empirical-Bayes prior over cohorts, the Gauss hypergeometric function
 * and the maximum-likelihood fitter (plain Java over summary counts: the fits run on the driver over
 * distinct summaries), and their Spark side: the customers' repeat-purchase summaries ({@link io.lifecycle.stats.CustomerSummary}), the fits over them
 * ({@link io.lifecycle.stats.ModelFits}) and the predictions per distinct summary
 * ({@link io.lifecycle.stats.SummaryPredictions}); and the tests of association over 2x2 tables
 * ({@link io.lifecycle.stats.TwoByTwo}, {@link io.lifecycle.stats.BenjaminiHochberg}). Used by {@code clv}
 * (customer values), {@code models} (the P(alive) features) and {@code cohorts} (the sBG retention
 * projections, the retention drivers). Neutral: it may use
 * {@code config}, {@code tables} and {@code spark}.
 */
package io.lifecycle.stats;
