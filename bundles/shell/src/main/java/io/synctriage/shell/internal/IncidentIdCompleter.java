package io.synctriage.shell.internal;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import io.synctriage.model.FleetIncidents;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentQuery;

/** Completes an incident id with the ids of the latest incidents (none while the incident service is missing). */
@Service
public class IncidentIdCompleter implements Completer {

    /** Enough for a console; older incidents are still found by their full id. */
    static final int CANDIDATES = 200;

    @Reference(optional = true)
    FleetIncidents incidents;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(ids(), false).complete(session, commandLine, candidates);
    }

    /** The ids of the latest incidents, open or closed; empty when the service is missing or fails. */
    List<String> ids() {
        FleetIncidents service = incidents;
        if (service == null) {
            return List.of();
        }
        try {
            return service.incidents(new IncidentQuery(null, null, null, null, null, CANDIDATES, null)).incidents()
                    .stream().map(Incident::id).toList();
        } catch (RuntimeException e) {
            // Completion is a convenience: a failing store must not break typing the command.
            return List.of();
        }
    }
}
