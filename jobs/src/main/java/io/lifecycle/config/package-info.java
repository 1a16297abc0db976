/**
 * The configuration: typed, immutable records ({@link io.lifecycle.config.LifecycleConfig}), the loader that
 * validates every key on start (each key a {@code Setting} declared once, in its section's class), the stage
 * model and SQL identifier checks. Neutral: it uses no other package of the job.
 */
package io.lifecycle.config;
