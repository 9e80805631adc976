package io.synctriage.model.spi;

import java.time.Instant;
import java.util.Objects;

import io.synctriage.model.Evidence;

/**
 * What the engine hands a provider check.
 *
 * @param evidence       the normalised evidence
 * @param stateChangeAt  T: the state change being explained (decision-tree.md, Definitions)
 * @param lookbackStart  start of the look-back window (T minus 30 days by default)
 * @param pattern        the fleet pattern found in S2/S3, or null
 * @param memo           the diagnosis's scratch space, the one its earlier
 *                       {@link ProviderCheck#classify(String, String, io.synctriage.model.Subject, DiagnosisMemo)}
 *                       calls were given (since 1.2)
 */
public record CheckContext(Evidence evidence, Instant stateChangeAt, Instant lookbackStart, FleetPattern pattern,
                           DiagnosisMemo memo) {

    public CheckContext {
        Objects.requireNonNull(memo, "memo");
    }

    /** A context of its own: the check finds nothing kept by earlier calls (a fresh memo). */
    public CheckContext(Evidence evidence, Instant stateChangeAt, Instant lookbackStart, FleetPattern pattern) {
        this(evidence, stateChangeAt, lookbackStart, pattern, new DiagnosisMemo());
    }
}
