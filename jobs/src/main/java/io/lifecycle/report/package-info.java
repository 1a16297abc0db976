/**
 * The {@code report} step: a self-contained HTML report of a run for analysts and managers, with charts
 * as inline SVG written by {@link io.lifecycle.report.SvgChart} (no JavaScript, no network, the same
 * rendering everywhere). {@link io.lifecycle.report.LifecycleReport} lays out the page from one class per
 * section ({@code RunSection}, {@code RetentionSection}, ..., {@code ModelsSection}), each a query that
 * aggregates the output tables in Spark into a small record and a renderer that only draws it;
 * {@link io.lifecycle.report.ReportStep} writes the page under the output root.
 */
package io.lifecycle.report;
