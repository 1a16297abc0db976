package io.lifecycle.tables;

/**
 * How a table is replaced when a run (or a rerun of the same run date) writes it. Chosen per table so
 * that reruns are idempotent: see the README's table list.
 */
public enum WriteMode {
  /** The table is a snapshot recomputed from all history: each run replaces it whole. */
  OVERWRITE,
  /** The table keeps one slice per run date: a run replaces its own date's rows and nothing else. */
  REPLACE_RUN_DATE,
  /** An append-only log (run_log, benchmarks): rows are never replaced. */
  APPEND
}
