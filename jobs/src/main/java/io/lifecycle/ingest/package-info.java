/**
 * The {@code ingest} step: reads raw events (CSV, JSON, Parquet, Delta), validates and quarantines bad rows
 * with a reason, deduplicates, assigns stages and writes {@code events} (merged in incremental runs). A step
 * package: it may use {@code pipeline} and the neutral packages, never another step.
 */
package io.lifecycle.ingest;
