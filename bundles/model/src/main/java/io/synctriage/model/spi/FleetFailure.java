package io.synctriage.model.spi;

import java.time.Instant;

import io.synctriage.model.Cause;
import io.synctriage.model.StateChange;

/**
 * One failure of an account as the fleet detectors see it: the stored state change and the best
 * error signature linked to it (from the notification itself or from the account's logged errors
 * around it).
 *
 * @param change    the state change into a failure state
 * @param signature what the best match found (e.g. {@code AADSTS50173}), or null when nothing was logged
 * @param cause     the specific cause that error names, or null
 * @param kind      the kind of that error, or null when none was logged
 * @param text      the logged error text (error and message joined), or null
 * @since 1.1
 */
public record FleetFailure(StateChange change, String signature, Cause cause, ErrorKind kind, String text) {

    public String accountId() {
        return change.accountId();
    }

    public Instant at() {
        return change.at();
    }

    /** Seconds from the account's latest (re)authentication to this failure, or null when unknown. */
    public Long secondsSinceReauth() {
        Instant r = change.reauthAt();
        return r == null || r.isAfter(change.at()) ? null : change.at().getEpochSecond() - r.getEpochSecond();
    }
}
