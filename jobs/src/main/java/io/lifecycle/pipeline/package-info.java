/**
 * Runs steps in order for one run date ({@link io.lifecycle.pipeline.Pipeline}, {@link io.lifecycle.pipeline.RunContext}),
 * records each in {@code run_log}, and defines the {@link io.lifecycle.pipeline.Step} interface the steps implement.
 * It knows steps only through that interface (the list is assembled in {@code cli}); it may use the neutral
 * packages ({@code config}, {@code tables}, {@code io}, {@code spark}, {@code privacy}, {@code generate}).
 */
package io.lifecycle.pipeline;
