package io.lifecycle;

/**
 * Exit codes a scheduler can act on. Only {@link #WRITE_CONFLICT} and {@link #INPUT_UNAVAILABLE}
 * are worth an automatic retry; a rerun of the same run date is idempotent.
 */
public enum ExitCode {
  OK(0),
  /** Anything not classified below: a bug or an environment failure. */
  FAILURE(1),
  /** Bad command line or configuration: retrying will not help. */
  USAGE_OR_CONFIG(2),
  /**
   * Bad input: the data-quality limit was breached (too many quarantined rows), or an input file
   * cannot be read (corrupt, truncated): fix the input first.
   */
  DATA_QUALITY(3),
  /** A concurrent writer changed a table (Delta conflict) or holds the run lock: safe to retry. */
  WRITE_CONFLICT(4),
  /** The input path is missing or holds no rows: retry once the data has arrived. */
  INPUT_UNAVAILABLE(5);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
