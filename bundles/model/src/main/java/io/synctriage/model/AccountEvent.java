package io.synctriage.model;

import java.time.Instant;
import java.util.Set;

/**
 * A state-change notification (a v2 webhook delta, a v3 notification, or a peer's event).
 *
 * @param type             the trigger, e.g. {@code account.invalid}, {@code grant.expired}
 * @param timestamp        when it happened
 * @param accountId        account/grant id it concerns, or null
 * @param email            email it concerns, or null
 * @param provider         provider given in the notification (v3), or null
 * @param error            error code logged with the failure (peers), or null
 * @param message          message logged with the failure (peers), or null
 * @param notificationId   v3 notification id, or null
 * @param reauthentication v3 {@code grant.updated} {@code reauthentication_flag}; null when absent
 * @param grantUpdatedAt   v3 {@code grant_updated_at}: last successful refresh; or null
 */
public record AccountEvent(String type, Instant timestamp, String accountId, String email, String provider,
                           String error, String message, String notificationId, Boolean reauthentication,
                           Instant grantUpdatedAt) {

    /** Triggers that mean the account failed (decision-tree.md, "Failure of a peer"). */
    public static final Set<String> FAILURE_TYPES = Set.of(
            "account.invalid", "account.stopped", "account.sync_error", "grant.expired");

    /** Triggers that mean a successful (re)authentication. */
    public static final Set<String> REAUTH_TYPES = Set.of(
            "account.connected", "account.running", "grant.created", "grant.updated");

    /** Whether this event is a failure (stopped / invalid / sync error / grant expired). */
    public boolean isFailure() {
        return type != null && FAILURE_TYPES.contains(type);
    }

    /**
     * Whether this event is a successful (re)authentication. A {@code grant.updated} counts unless
     * it explicitly says {@code reauthentication_flag: false}.
     */
    public boolean isReauthentication() {
        if (type == null || !REAUTH_TYPES.contains(type)) {
            return false;
        }
        return !"grant.updated".equals(type) || !Boolean.FALSE.equals(reauthentication);
    }

    /** error and message joined, for matching; never null. */
    public String text() {
        return LogLine.join(error, message);
    }
}
