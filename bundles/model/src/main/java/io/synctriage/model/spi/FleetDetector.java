package io.synctriage.model.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One fleet pattern detector, registered as a whiteboard service. The fleet tracker calls every
 * detector for each new failure (and again when an error linked to a recent failure arrives later),
 * from a single thread, in the order the failures were stored. A detector keeps no state of its own
 * beyond its configuration: everything it needs is in the {@link FleetView}.
 *
 * @since 1.1
 */
@ConsumerType
public interface FleetDetector {

    /** A short name for logs and {@code triage:incidents}, e.g. {@code same-moment}. */
    String name();

    /** The pattern it detects. */
    PatternKind kind();

    /**
     * Examines one failure against the recent failures of the fleet.
     *
     * @return the clusters this failure forms or joins; empty when none
     */
    List<IncidentCandidate> onFailure(FleetFailure failure, FleetView view);
}
