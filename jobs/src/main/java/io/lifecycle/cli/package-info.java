/**
 * The command line ({@code bin/lifecycle}, {@code spark-submit}): parses arguments, loads and validates the
 * configuration, takes the run lock, and assembles the standard step list ({@link io.lifecycle.cli.Steps}).
 * The top of the dependency graph: it may use every package; nothing uses it.
 */
package io.lifecycle.cli;
