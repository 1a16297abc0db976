/**
 * The {@code cohorts} step: cohort retention with sBG projections, churn rates, Kaplan-Meier survival,
 * lifecycle status, stickiness and retention drivers from {@code events} (the sBG model and the 2x2
 * statistics are in {@code stats}). A step package: it may use
 * {@code pipeline} and the neutral packages, never another step.
 */
package io.lifecycle.cohorts;
