package io.synctriage.store.internal;

import io.synctriage.model.AccountEvent;

/**
 * What a notification says about the account's state: v2 triggers map to {@code sync_state} values,
 * v3 triggers to {@code grant_status} values (spec/api.md). Triggers that say nothing about the state
 * ({@code grant.deleted}, a {@code grant.updated} that is not a re-authentication) give null.
 */
final class StateTransitions {

    private StateTransitions() {
    }

    static String stateAfter(AccountEvent e) {
        return switch (e.type().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "account.invalid" -> "invalid";
            case "account.stopped" -> "stopped";
            case "account.sync_error" -> "sync-error";
            case "account.running", "account.connected" -> "running";
            case "grant.expired" -> "invalid";
            case "grant.created" -> "valid";
            // as AccountEvent.isReauthentication(): a grant.updated counts unless it says reauthentication_flag false
            case "grant.updated" -> Boolean.FALSE.equals(e.reauthentication()) ? null : "valid";
            default -> null;
        };
    }

    /** The API version an account first seen in this notification has: grants are v3. */
    static int apiVersionOf(AccountEvent e) {
        return e.type().trim().toLowerCase(java.util.Locale.ROOT).startsWith("grant.") ? 3 : 2;
    }
}
