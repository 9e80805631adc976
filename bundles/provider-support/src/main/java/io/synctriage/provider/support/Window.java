package io.synctriage.provider.support;

import java.time.Duration;
import java.time.Instant;

import io.synctriage.model.Evidence;
import io.synctriage.model.spi.CheckContext;

/**
 * The time frame a check explains: the state change T and the look-back window before it
 * (decision-tree.md, Definitions). Evidence after T never explains the account's own change.
 *
 * @param stateChangeAt T
 * @param lookbackStart the start of the look-back window
 */
public record Window(Instant stateChangeAt, Instant lookbackStart) {

    /** The look-back the engine uses by default. */
    public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(30);

    public Window {
        if (stateChangeAt == null || lookbackStart == null) {
            throw new IllegalArgumentException("a window needs both ends");
        }
        if (lookbackStart.isAfter(stateChangeAt)) {
            throw new IllegalArgumentException("look-back start " + lookbackStart + " is after T " + stateChangeAt);
        }
    }

    /**
     * The window of a check context. The engine always fills T and the look-back start; the
     * fallbacks (T = evidence {@code now}, start = T - 30 days) only keep a hand-built context usable.
     */
    public static Window of(CheckContext context) {
        Evidence ev = context.evidence();
        Instant t = context.stateChangeAt();
        if (t == null) {
            t = ev == null || ev.now() == null ? Instant.now() : ev.now();
        }
        Instant start = context.lookbackStart();
        if (start == null || start.isAfter(t)) {
            start = t.minus(DEFAULT_LOOKBACK);
        }
        return new Window(t, start);
    }

    /** Length of the look-back. */
    public Duration length() {
        return Duration.between(lookbackStart, stateChangeAt);
    }

    /** Whether a dated instant lies in [look-back start, T]. Undated (null) evidence counts as inside. */
    public boolean contains(Instant at) {
        return at == null || (!at.isBefore(lookbackStart) && !at.isAfter(stateChangeAt));
    }

    /** Whether an instant lies after T. */
    public boolean isAfterT(Instant at) {
        return at != null && at.isAfter(stateChangeAt);
    }

    /** Whether an instant lies before the look-back start. */
    public boolean isBeforeWindow(Instant at) {
        return at != null && at.isBefore(lookbackStart);
    }
}
