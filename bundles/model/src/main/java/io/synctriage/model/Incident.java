package io.synctriage.model;

import java.time.Instant;
import java.util.List;

import io.synctriage.model.spi.PatternKind;

/**
 * A set of accounts that failed for one shared reason: a domain whose admin disconnected the
 * service, a session policy, a broken OAuth client, a provider outage, a provider schedule, or one
 * account that keeps failing right after each re-authentication (flapping).
 *
 * @param id              stable id, e.g. {@code inc-000042}
 * @param kind            the pattern that links the accounts
 * @param cause           the cause it names, refined by the codes the members logged
 * @param domain          the domain for a domain pattern (same moment, recurring, flapping); null for a
 *                        provider-wide or schedule pattern
 * @param domains         every domain of its members, sorted
 * @param family          the provider family, or null when members span families
 * @param provider        the provider attribute the members share, or else the family id
 * @param status          open or closed
 * @param periodSeconds   the estimated period of a recurring or schedule pattern, or null
 * @param toleranceSeconds how far the members' intervals stray from the period, or null
 * @param firstAt         the earliest failure of a member
 * @param lastAt          the latest failure of a member
 * @param closedAt        when it was last closed, or null while open
 * @param reopenCount     how many times it recurred after being closed
 * @param accounts        the members, earliest failure first
 * @param signatures      the distinct error signatures its members logged, most frequent first
 * @param summary         one sentence for a person, e.g. "5 accounts of contoso.com invalid within 4 min"
 * @param evidence        the failures that link the accounts (bounded)
 * @param updatedAt       the fleet time of the last change
 * @since 1.2
 */
public record Incident(String id, PatternKind kind, Cause cause, String domain, List<String> domains,
                       ProviderFamily family, String provider, IncidentStatus status, Long periodSeconds,
                       Long toleranceSeconds, Instant firstAt, Instant lastAt, Instant closedAt, int reopenCount,
                       List<IncidentMember> accounts, List<String> signatures, String summary,
                       List<EvidenceItem> evidence, Instant updatedAt) {

    public Incident {
        domains = domains == null ? List.of() : List.copyOf(domains);
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        signatures = signatures == null ? List.of() : List.copyOf(signatures);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    /** Whether the account is a member. */
    public boolean hasMember(String accountId) {
        for (IncidentMember m : accounts) {
            if (m.accountId().equalsIgnoreCase(accountId)) {
                return true;
            }
        }
        return false;
    }
}
