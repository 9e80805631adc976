package io.synctriage.model;

import java.time.Instant;

/**
 * A stored record that logged an error for an account (an auth-log line, a sync-log line of level
 * error/warning, or a notification with an error field), as the fleet tracker reads it from the
 * {@link EvidenceFeed} to link failures by their codes.
 *
 * @param seq       position in the feed (strictly increasing in commit order)
 * @param accountId the account id it names, or null
 * @param email     the email it names, or null
 * @param at        when it was logged
 * @param error     the error field, or null
 * @param message   the message, or null
 * @since 1.2
 */
public record ErrorLine(long seq, String accountId, String email, Instant at, String error, String message) {
}
