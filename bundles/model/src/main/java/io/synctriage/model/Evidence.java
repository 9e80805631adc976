package io.synctriage.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A normalised evidence bundle: everything known about one account when it is diagnosed.
 *
 * @param account  the diagnosed account
 * @param events   the account's own notifications (webhooks), oldest first
 * @param apiLog   the application's API log, oldest first (may include calls for other accounts)
 * @param syncLog  sync-log lines, oldest first
 * @param authLog  auth-log lines, oldest first
 * @param peers    other accounts for fleet correlation
 * @param now      the time of the diagnosis
 * @param supplied which sources the bundle carried (an empty array counts as supplied)
 * @param incidents the fleet incidents the account belongs to (stored diagnoses only), latest first;
 *                  the engine takes its S2/S3 answer from them (since 1.2)
 */
public record Evidence(Account account, List<AccountEvent> events, List<ApiCall> apiLog, List<LogLine> syncLog,
                       List<LogLine> authLog, List<Peer> peers, Instant now, Set<EvidenceSource> supplied,
                       List<Incident> incidents) {

    public Evidence {
        incidents = incidents == null ? List.of() : List.copyOf(incidents);
        events = List.copyOf(events);
        apiLog = List.copyOf(apiLog);
        syncLog = List.copyOf(syncLog);
        authLog = List.copyOf(authLog);
        peers = List.copyOf(peers);
        supplied = Set.copyOf(supplied);
    }

    /** Evidence without incidents (a posted bundle, or a store that keeps none). */
    public Evidence(Account account, List<AccountEvent> events, List<ApiCall> apiLog, List<LogLine> syncLog,
                    List<LogLine> authLog, List<Peer> peers, Instant now, Set<EvidenceSource> supplied) {
        this(account, events, apiLog, syncLog, authLog, peers, now, supplied, List.of());
    }
}
