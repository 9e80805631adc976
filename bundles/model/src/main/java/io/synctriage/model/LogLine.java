package io.synctriage.model;

import java.time.Instant;

/**
 * One sync-log or auth-log record: the raw text the platform or the provider logged.
 *
 * @param source    {@link EvidenceSource#SYNC_LOG} or {@link EvidenceSource#AUTH_LOG}
 * @param timestamp when it was logged (may be null when the record had none)
 * @param level     log level, or null
 * @param error     OAuth {@code error} field (auth log), or null
 * @param message   the raw message (AADSTS line, token-endpoint JSON body, IMAP response...), or null
 * @param accountId account it concerns, or null
 * @param email     email it concerns, or null
 */
public record LogLine(EvidenceSource source, Instant timestamp, String level, String error, String message,
                      String accountId, String email) {

    /** error and message joined with a space, for matching; never null. */
    public String text() {
        return join(error, message);
    }

    static String join(String error, String message) {
        if (error == null || error.isEmpty()) {
            return message == null ? "" : message;
        }
        if (message == null || message.isEmpty()) {
            return error;
        }
        return error + " " + message;
    }
}
