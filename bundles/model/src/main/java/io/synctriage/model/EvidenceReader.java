package io.synctriage.model;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads single evidence records in the shapes of spec/api.md (the same rules as a whole evidence
 * bundle: v2/v3 shapes, ISO-8601 or epoch times, provider spellings). Implemented by the engine,
 * used by the data sources (webhook receiver, importers, poller) so that every outside format is
 * normalised by one piece of code.
 *
 * <p>Each method takes the raw JSON value as plain Java values and the path of that value in its
 * document (for error messages, e.g. {@code line 12} or {@code accounts[3]}).
 *
 * @since 1.1
 */
@ProviderType
public interface EvidenceReader {

    /** A v2 account (management or {@code /account} shape) or a v3 grant; {@code id} is required. */
    Account account(Object raw, String path) throws InvalidEvidenceException;

    /**
     * A webhook element: a whole v2 delivery ({@code {"deltas":[…]}}), one v2 delta or one v3
     * notification. Every account/grant event it carries, with the account id, email and provider it
     * names; notifications about other objects (messages, threads…) give no events.
     */
    List<AccountEvent> notifications(Object raw, String path) throws InvalidEvidenceException;

    /** One API-log record. */
    ApiCall apiCall(Object raw, String path) throws InvalidEvidenceException;

    /** One sync-log ({@link EvidenceSource#SYNC_LOG}) or auth-log ({@link EvidenceSource#AUTH_LOG}) record. */
    LogLine logLine(EvidenceSource source, Object raw, String path) throws InvalidEvidenceException;

    /** Convenience for callers holding a JSON object. */
    default Account account(Map<String, ?> raw) throws InvalidEvidenceException {
        return account(raw, "account");
    }
}
