/**
 * Spark helpers shared by several steps: how sessions are built, exact sums and quantiles, the first channel,
 * the stage order as column expressions, input column checks, and sizing (shuffle and snapshot partitions,
 * expression evaluation), each customer's breakdown values. Neutral: it may use {@code config}, {@code tables},
 * {@code io} and {@code privacy}.
 */
package io.lifecycle.spark;
