package io.synctriage.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The durable evidence store: accounts (latest snapshot and the history of state changes),
 * notifications, API-log and sync/auth-log records, indexed by account id, email, domain, provider
 * and time. Data sources write to it; surfaces read diagnoses from it.
 *
 * @since 1.1
 */
@ProviderType
public interface EvidenceStore {

    /**
     * Stores records in one transaction, committed before this returns (a caller may acknowledge
     * only after it). Records naming an account not seen yet create it from what they say.
     * Notifications whose delivery key is already stored are skipped and counted as duplicates.
     *
     * @throws IllegalArgumentException when a record names neither an account id nor an email
     * @throws StoreException           when the database fails (nothing of the batch is stored)
     */
    StoreResult store(List<EvidenceRecord> records);

    /** The account with this id, or else with this email (case-insensitive; the latest updated wins). */
    Optional<StoredAccount> account(String idOrEmail);

    /** Stored accounts, most recently updated first. */
    List<StoredAccount> accounts(AccountQuery query);

    /**
     * Everything stored about the account, as evidence for a diagnosis at {@code now}: its snapshot,
     * notifications, API calls (by id or email), log lines, and as peers the accounts of its domain and
     * the accounts of its provider family that failed around its latest failure.
     */
    Optional<Evidence> evidence(String idOrEmail, Instant now);

    /** Deletes records older than the cutoff (retention); returns how many were deleted. */
    long purgeBefore(Instant cutoff);

    /** A database failure, with the cause kept for the log (never shown to clients). */
    class StoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
