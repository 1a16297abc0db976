/**
 * Pseudonymization of customer ids with a keyed hash before anything is written. Neutral: it may use
 * {@code config}.
 */
package io.lifecycle.privacy;
