/**
 * The {@code clv} step: customer summaries, the BG/NBD, Pareto/NBD and Gamma-Gamma fits over distinct
 * summaries ({@code clv.model} holds the models), predictions, historical and simple CLV, holdout checks
 * and segment values. A step package: it may use {@code pipeline} and the neutral packages, never another step.
 */
package io.lifecycle.clv;
