package io.synctriage.model.spi;

import java.time.Instant;

import io.synctriage.model.Evidence;

/**
 * What the engine hands a provider check.
 *
 * @param evidence       the normalised evidence
 * @param stateChangeAt  T: the state change being explained (decision-tree.md, Definitions)
 * @param lookbackStart  start of the look-back window (T minus 30 days by default)
 * @param pattern        the fleet pattern found in S2/S3, or null
 */
public record CheckContext(Evidence evidence, Instant stateChangeAt, Instant lookbackStart, FleetPattern pattern) {
}
