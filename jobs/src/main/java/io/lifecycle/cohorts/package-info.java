/**
 * The {@code cohorts} step: cohort retention with sBG projections, churn rates, Kaplan-Meier survival and
 * lifecycle status from {@code events} (the sBG model is in {@code stats}). A step package: it may use
 * {@code pipeline} and the neutral packages, never another step.
 */
package io.lifecycle.cohorts;
