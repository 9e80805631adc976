package io.synctriage.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The durable side of the fleet incidents, written by the fleet tracker only. Incidents and the
 * tracker's feed cursors are saved in one transaction, so after a crash the tracker resumes exactly
 * where its last saved incidents left off.
 *
 * @since 1.2
 */
@ProviderType
public interface IncidentStore extends FleetIncidents {

    /** Inserts or replaces these incidents (by id) and saves the cursors, atomically. */
    void save(List<Incident> changed, Map<String, Long> cursors);

    /** The saved cursors by name (empty on a fresh store). */
    Map<String, Long> cursors();

    /** The incidents still open, or whose {@code lastAt} is at or after {@code since}: the tracker's working set. */
    List<Incident> active(Instant since);

    /** The highest incident number used so far (ids are {@code inc-} and a zero-padded number). */
    long lastIncidentNumber();
}
