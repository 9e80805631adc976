package io.synctriage.model;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The stored evidence as an ordered feed, for consumers that keep their own derived state (the
 * fleet tracker). Positions are strictly increasing in commit order, so a consumer that saves the
 * last position it handled never misses nor repeats a record.
 *
 * @since 1.2
 */
@ProviderType
public interface EvidenceFeed {

    /** State changes after position {@code seq}, oldest first, at most {@code limit}. */
    List<StateChange> stateChangesAfter(long seq, int limit);

    /** Logged errors after position {@code seq}, oldest first, at most {@code limit}. */
    List<ErrorLine> errorLinesAfter(long seq, int limit);

    /**
     * The position just before the first state change that happened at or after {@code at}: a
     * consumer that lost its in-memory windows replays from there.
     */
    long stateChangePositionBefore(java.time.Instant at);
}
