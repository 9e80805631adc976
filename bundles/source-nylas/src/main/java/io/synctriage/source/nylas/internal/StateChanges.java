package io.synctriage.source.nylas.internal;

import java.util.Locale;
import java.util.Objects;

import io.synctriage.model.Account;

/**
 * What a polled state means, compared with the stored one, and which notification a webhook would have
 * sent for it.
 */
final class StateChanges {

    private StateChanges() {
    }

    /**
     * The state with its spellings merged: the v2 management list says {@code invalid-credentials} where
     * the webhook ({@code account.invalid}) and the {@code /account} endpoint say {@code invalid}; the same
     * state must not look like a change because two endpoints spell it differently.
     */
    static String canonical(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        String s = state.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (s) {
            case "invalid-credentials", "expired" -> "invalid";
            default -> s;
        };
    }

    /** Whether the polled state differs from the stored one; false when either is unknown. */
    static boolean changed(String stored, String polled) {
        String a = canonical(stored);
        String b = canonical(polled);
        return a != null && b != null && !a.equals(b);
    }

    /**
     * The trigger a webhook sends when an account enters this state, or null for states that have none
     * (v2 {@code partial}, {@code initializing}, {@code downloading}, {@code exception}…): the evidence store
     * keeps those changes in the account's history from the snapshot alone.
     */
    static String notificationType(Account polled) {
        String state = canonical(polled.state());
        if (state == null) {
            return null;
        }
        if (polled.apiVersion() == 3) {
            return switch (state) {
                case "invalid" -> "grant.expired";
                // an invalid grant becomes valid only by a re-authentication, which Nylas announces so
                case "valid" -> "grant.updated";
                default -> null;
            };
        }
        return switch (state) {
            case "running" -> "account.running";
            case "stopped" -> "account.stopped";
            case "invalid" -> "account.invalid";
            case "sync-error" -> "account.sync_error";
            default -> null;
        };
    }

    /**
     * Whether storing the snapshot would change the stored account: a snapshot's absent (null) values keep
     * what is stored, strings compare case-insensitively (the store lower-cases them). Only an optimisation:
     * when in doubt it answers true, and an unchanged snapshot stored again changes nothing but the account's
     * "updated" time.
     */
    static boolean snapshotDiffers(Account polled, Account stored) {
        return differs(polled.email(), stored.email())
                || differs(polled.provider(), stored.provider())
                || differs(polled.state(), stored.state())
                || differs(polled.billingState(), stored.billingState())
                || differs(polled.family(), stored.family())
                || differs(polled.authType(), stored.authType())
                || differs(polled.linkedAt(), stored.linkedAt())
                || differs(polled.createdAt(), stored.createdAt())
                || differs(polled.lastActivityAt(), stored.lastActivityAt())
                || differs(polled.inboxCount(), stored.inboxCount())
                || polled.apiVersion() != stored.apiVersion();
    }

    private static boolean differs(String polled, String stored) {
        return polled != null && !polled.isBlank() && (stored == null || !polled.trim().equalsIgnoreCase(stored.trim()));
    }

    private static boolean differs(Object polled, Object stored) {
        return polled != null && !Objects.equals(polled, stored);
    }
}
