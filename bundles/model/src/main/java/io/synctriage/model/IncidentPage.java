package io.synctriage.model;

import java.util.List;

/**
 * One page of incidents, latest {@code lastAt} first.
 *
 * @param incidents the incidents
 * @param next      the cursor of the next page, or null when this is the last
 * @since 1.2
 */
public record IncidentPage(List<Incident> incidents, String next) {

    public IncidentPage {
        incidents = List.copyOf(incidents);
    }
}
