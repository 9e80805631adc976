package io.synctriage.model.spi;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.synctriage.model.ProviderFamily;

/**
 * What a {@link FleetDetector} may look at: the recent failures the fleet tracker keeps in memory
 * (bounded by the look-back window), so that a detector never queries the database.
 *
 * @since 1.1
 */
@ProviderType
public interface FleetView {

    /** Failures of accounts of this domain with {@code from <= at <= to}, oldest first. */
    List<FleetFailure> domainFailures(String domain, Instant from, Instant to);

    /** Failures of accounts of this provider family with {@code from <= at <= to}, oldest first. */
    List<FleetFailure> familyFailures(ProviderFamily family, Instant from, Instant to);

    /** This account's failures with {@code from <= at <= to}, oldest first. */
    List<FleetFailure> accountFailures(String accountId, Instant from, Instant to);

    /** Whether the domain is a consumer mail domain (gmail.com…), which is never a domain pattern. */
    boolean isConsumerDomain(String domain);
}
