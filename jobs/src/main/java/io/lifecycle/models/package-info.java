/**
 * The {@code train} and {@code score} steps: point-in-time features, MLlib churn and next-stage models with
 * their baselines and honest evaluation, drift checks and scores. A step package: it may use {@code pipeline}
 * and the neutral packages, never another step (its use of the CLV summaries and fits for the P(alive)
 * features is the one pending exception, see ARCHITECTURE.md).
 */
package io.lifecycle.models;
