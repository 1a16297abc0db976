/**
 * The statistical models behind customer value and retention projections: BG/NBD, Pareto/NBD, Gamma-Gamma,
 * the shifted beta-geometric (sBG), the Gauss hypergeometric function and the maximum-likelihood fitter.
 * Plain Java over summary counts (no Spark): the fits run on the driver over distinct summaries.
 */
package io.lifecycle.clv.model;
