/**
 * Sessionization: the {@code sessionize} step turns the {@code events} table into the {@code sessions}
 * table. {@link io.lifecycle.sessions.Sessionizer} holds the rules (inactivity gap, maximum length,
 * deterministic ids) as a pure transform; {@link io.lifecycle.sessions.SessionizeStep} reads and writes.
 */
package io.lifecycle.sessions;
