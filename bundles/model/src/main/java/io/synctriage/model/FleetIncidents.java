package io.synctriage.model;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads the fleet incidents found so far. Reads never rescan history: incidents are maintained
 * incrementally as state changes are stored.
 *
 * @since 1.2
 */
@ProviderType
public interface FleetIncidents {

    /** Incidents matching the query, latest {@code lastAt} first. */
    IncidentPage incidents(IncidentQuery query);

    /** One incident by id. */
    Optional<Incident> incident(String id);

    /** The incidents this account is a member of, latest {@code lastAt} first. */
    List<Incident> incidentsOf(String accountId);
}
