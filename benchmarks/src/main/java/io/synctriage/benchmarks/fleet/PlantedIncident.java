package io.synctriage.benchmarks.fleet;

import java.time.Instant;
import java.util.List;

import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.PatternKind;

/**
 * One incident the generator planted: what the fleet tracker must find.
 *
 * @param id            {@code P0001}… in planting order
 * @param scenario      the scenario it was planted by
 * @param kind          the pattern
 * @param cause         the cause it must be reported with
 * @param domain        the domain of a domain pattern (same moment, recurring, flapping); null for a
 *                      provider-wide or schedule pattern
 * @param domains       the domains of its members, sorted
 * @param family        the provider family of its members
 * @param members       the account/grant ids that must be members
 * @param periodSeconds the planted period of a recurring or schedule pattern (median interval), else null
 * @param firstAt       its first failure
 * @param lastAt        its last failure
 * @param failures      how many failures it planted
 * @param description   one line for a person
 */
public record PlantedIncident(String id, Scenario scenario, PatternKind kind, Cause cause, String domain,
                              List<String> domains, ProviderFamily family, List<String> members, Long periodSeconds,
                              Instant firstAt, Instant lastAt, int failures, String description) {

    public PlantedIncident {
        domains = List.copyOf(domains);
        members = List.copyOf(members);
    }

    /** Whether this kind of incident is scoped by a domain (else by a provider family). */
    public boolean domainScoped() {
        return kind == PatternKind.SAME_MOMENT || kind == PatternKind.RECURRING || kind == PatternKind.FLAPPING;
    }
}
