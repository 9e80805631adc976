package io.synctriage.model;

import java.time.Instant;

/**
 * One stored state change of an account, as the fleet tracker reads it from the
 * {@link EvidenceFeed}, with what the store knew of the account when it was stored.
 *
 * @param seq            position in the feed (strictly increasing in commit order)
 * @param accountId      account or grant id
 * @param email          email, or null
 * @param provider       provider attribute, or null
 * @param family         provider family, or null
 * @param authType       auth type, or null
 * @param state          the state it changed to ({@code invalid}, {@code stopped}, {@code running}, {@code valid}…)
 * @param previousState  the state before, or null
 * @param trigger        the notification type that caused it (e.g. {@code account.invalid}), or null for a snapshot
 * @param at             when it happened
 * @param reauthAt       the account's latest successful (re)authentication at or before {@code at}
 *                       (a change to running/valid, {@code grant_updated_at}, or {@code linked_at}), or null
 * @param lastActivityAt the account's last known activity, or null
 * @param error          the error logged with the change (notification error field), or null
 * @param message        the message logged with the change, or null
 * @since 1.2
 */
public record StateChange(long seq, String accountId, String email, String provider, ProviderFamily family,
                          AuthType authType, String state, String previousState, String trigger, Instant at,
                          Instant reauthAt, Instant lastActivityAt, String error, String message) implements Subject {

    /** States that count as a failure (decision-tree.md "Failure of a peer"). */
    public static final java.util.Set<String> FAILURE_STATES = java.util.Set.of(
            "invalid", "stopped", "sync-error", "expired", "invalid-credentials", "exception", "sync_error");

    @Override
    public String id() {
        return accountId;
    }

    @Override
    public Instant linkedAt() {
        return reauthAt;
    }

    /** Whether the account failed with this change. */
    public boolean isFailure() {
        return state != null && FAILURE_STATES.contains(state);
    }

    /** Whether the account was (re)authenticated or restarted with this change. */
    public boolean isRecovery() {
        return "running".equals(state) || "valid".equals(state);
    }
}
