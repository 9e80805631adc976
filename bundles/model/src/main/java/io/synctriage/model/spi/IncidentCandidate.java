package io.synctriage.model.spi;

import java.util.List;

import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;

/**
 * A cluster a {@link FleetDetector} found: the fleet tracker merges it into an existing incident
 * with the same {@link #key()} (adding members, extending {@code lastAt}, reopening a closed one) or
 * opens a new incident.
 *
 * @param kind             the pattern
 * @param cause            the cause, already refined by the members' codes
 * @param domain           the domain of a domain pattern, or null
 * @param family           the provider family, or null when the members span families
 * @param members          the failures that make up the cluster (the triggering one included)
 * @param periodSeconds    the estimated period of a recurring/schedule pattern, or null
 * @param toleranceSeconds how far the intervals stray from the period, or null
 * @param summary          one sentence for a person
 * @since 1.1
 */
public record IncidentCandidate(PatternKind kind, Cause cause, String domain, ProviderFamily family,
                                List<FleetFailure> members, Long periodSeconds, Long toleranceSeconds,
                                String summary) {

    public IncidentCandidate {
        members = List.copyOf(members);
    }

    /**
     * What identifies "the same incident": the pattern and its scope — the domain of a domain
     * pattern, the family of a provider-wide one, the family and cause of a schedule (Google Testing
     * mode and Google inactivity are different incidents), the account of a flapping one. The cause
     * is otherwise not part of it: refinement by later codes changes the cause of the same incident.
     */
    public String key() {
        String fam = family == null ? "*" : family.id();
        return switch (kind) {
            case FLAPPING -> kind.name() + "|a:" + members.get(0).accountId().toLowerCase(java.util.Locale.ROOT);
            case SCHEDULE -> kind.name() + "|f:" + fam + "|" + cause.name();
            case PROVIDER_WIDE -> kind.name() + "|f:" + fam;
            default -> kind.name() + "|d:" + domain;
        };
    }
}
