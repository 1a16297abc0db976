/**
 * The {@code cohorts} step: cohort retention with sBG projections, churn rates, Kaplan-Meier survival and
 * lifecycle status from {@code events}. A step package: it may use {@code pipeline} and the neutral
 * packages, never another step (its use of the sBG model in {@code clv.model} is the one pending exception,
 * see ARCHITECTURE.md).
 */
package io.lifecycle.cohorts;
