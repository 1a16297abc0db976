/**
 * Spark helpers shared by several steps: how sessions are built, exact sums and quantiles, the first channel,
 * the stage order as column expressions, input column checks, and sizing (shuffle and snapshot partitions,
 * expression evaluation). Neutral: it may use {@code config}, {@code tables} and {@code io}.
 */
package io.lifecycle.spark;
