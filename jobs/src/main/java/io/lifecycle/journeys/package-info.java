/**
 * Lifecycle journeys: the {@code journeys} step turns {@code sessions} into stage episodes
 * ({@link io.lifecycle.journeys.StageEpisodes}), per-customer journeys ({@link io.lifecycle.journeys.CustomerJourneys}),
 * stage transitions ({@link io.lifecycle.journeys.StageTransitions}) and the per-stage funnel
 * ({@link io.lifecycle.journeys.StageFunnel}). Each is a pure transform; {@link io.lifecycle.journeys.JourneysStep}
 * reads and writes.
 */
package io.lifecycle.journeys;
