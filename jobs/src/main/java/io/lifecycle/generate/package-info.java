/**
 * The synthetic event generator ({@code bin/lifecycle generate}, the benchmarks): customers moving through
 * the stages with known parameters, and the ground truth to test against. Neutral: it uses no other
 * package of the job.
 */
package io.lifecycle.generate;
