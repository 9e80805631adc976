package io.synctriage.model;

/**
 * One normalised record to store: what a data source hands to the {@link EvidenceStore}.
 *
 * @since 1.1
 */
public sealed interface EvidenceRecord {

    /** An account snapshot (the latest wins; a state change is kept in the account's history). */
    record AccountSnapshot(Account account) implements EvidenceRecord {
    }

    /**
     * A state-change notification. {@code deliveryKey} makes storing idempotent: v3 by notification
     * {@code id}; v2 deltas, which carry no id, by account id + type + date.
     */
    record Notification(AccountEvent event, String deliveryKey) implements EvidenceRecord {
    }

    /** An API-log record. */
    record ApiLogEntry(ApiCall call) implements EvidenceRecord {
    }

    /** A sync-log or auth-log line; it must name an account id or an email. */
    record LogEntry(LogLine line) implements EvidenceRecord {
    }
}
