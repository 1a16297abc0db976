/**
 * The {@code report} step: a self-contained HTML report of a run for analysts and managers, with charts
 * as inline SVG written by {@link io.lifecycle.report.SvgChart} (no JavaScript, no network, the same
 * rendering everywhere). {@link io.lifecycle.report.LifecycleReport} aggregates the output tables in
 * Spark and lays out the page; {@link io.lifecycle.report.ReportStep} writes it under the output root.
 */
package io.lifecycle.report;
