/**
 * The {@code clv} step: customer values from the BG/NBD, Pareto/NBD and Gamma-Gamma fits over distinct
 * summaries (the models, summaries and predictions are in {@code stats}), historical and simple CLV,
 * holdout checks and segment values. A step package: it may use {@code pipeline} and the neutral packages, never another step.
 */
package io.lifecycle.clv;
