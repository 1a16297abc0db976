/**
 * The {@code train} and {@code score} steps: point-in-time features, MLlib churn and next-stage models with
 * their baselines and honest evaluation, drift checks and scores. A step package: it may use {@code pipeline}
 * and the neutral packages, never another step (the P(alive) features use the BG/NBD fit in {@code stats}).
 */
package io.lifecycle.models;
