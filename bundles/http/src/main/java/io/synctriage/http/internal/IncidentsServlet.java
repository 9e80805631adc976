package io.synctriage.http.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.synctriage.http.internal.IncidentQueryParameters.InvalidParameterException;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.FleetIncidents;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentPage;
import io.synctriage.model.IncidentQuery;

/**
 * The fleet incidents: {@code GET /api/v1/fleet/incidents?since=&domain=&provider=&cause=&status=&limit=&cursor=}
 * (a page, latest {@code last_at} first, with the {@code next} cursor) and {@code GET /api/v1/fleet/incidents/{id}}
 * (one incident). Both render an incident with {@link IncidentJson}.
 *
 * <p>The {@link FleetIncidents} reference is optional and dynamic, like the store of {@link AccountsServlet}: while
 * no incident service runs the paths stay registered and answer 503 with {@code Retry-After} (rather than the 404
 * of {@code /api/*}, which would tell a client the endpoint does not exist).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ApiContext.INCIDENTS_PATH, ApiContext.INCIDENTS_PATH + "/*"})
@HttpWhiteboardServletName("synctriage-fleet-incidents")
@HttpWhiteboardContextSelect(ApiContext.SELECT)
public class IncidentsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IncidentsServlet.class);

    private final transient AtomicReference<FleetIncidents> incidents = new AtomicReference<>();
    private final transient Clock clock;

    @Activate
    public IncidentsServlet() {
        this(Clock.systemUTC());
    }

    /** For tests: {@code clock} says when "now" is (the default and relative {@code since} count from it). */
    IncidentsServlet(Clock clock) {
        this.clock = clock;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindIncidents(FleetIncidents service) {
        incidents.set(service);
    }

    void unbindIncidents(FleetIncidents service) {
        // A greedy rebind calls bind(new) before unbind(old): only clear what is still ours.
        incidents.compareAndSet(service, null);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = ApiSecurityContext.pathOf(request);
        String rest = path.length() > ApiContext.INCIDENTS_PATH.length()
                ? path.substring(ApiContext.INCIDENTS_PATH.length()) : "";
        boolean list = rest.isEmpty() || "/".equals(rest);
        // The container has already percent-decoded the path.
        String id = list ? null : rest.substring(1).trim();
        if (!list && (id.isEmpty() || id.contains("/"))) {
            ApiResponses.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found", "no such endpoint: "
                    + request.getMethod() + " " + path + "; use GET " + ApiContext.INCIDENTS_PATH
                    + " or GET " + ApiContext.INCIDENTS_PATH + "/{id}");
            return;
        }
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            ApiResponses.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
                    request.getMethod() + " is not supported on " + path + "; use GET");
            return;
        }
        try {
            if (list) {
                list(request, response);
            } else {
                one(id, response);
            }
        } catch (EvidenceStore.StoreException e) {
            LOG.error("The incident store failed on {}", path, e);
            if (!response.isCommitted()) {
                response.reset();
                unavailable(response, "store_failed", "the incident store failed; retry shortly");
            }
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("Request {} failed unexpectedly (incident {})", path, incident, e);
            if (!response.isCommitted()) {
                response.reset();
                ApiResponses.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal_error",
                        "the request failed unexpectedly; the server log has the details under incident " + incident,
                        Map.of("incident", incident));
            }
        }
    }

    private void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String[]> parameters;
        try {
            parameters = request.getParameterMap();
        } catch (RuntimeException e) {
            // Jetty decodes the query string on first use and refuses bad percent-encoding ("cursor=%%%") with an
            // unchecked exception: the client's mistake, not the server's.
            String field = IncidentQueryParameters.undecodable(request.getQueryString());
            String message = "the query string is not valid percent-encoding" + (field == null ? "" : " (parameter '"
                    + field + "')") + "; encode a literal % as %25";
            ApiResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_parameter", message,
                    field == null ? Map.of() : Map.of("field", field));
            return;
        }
        IncidentQuery query;
        try {
            query = IncidentQueryParameters.parse(parameters, clock.instant());
        } catch (InvalidParameterException e) {
            badParameter(response, e.field(), e.getMessage());
            return;
        }
        FleetIncidents service = incidents.get();
        if (service == null) {
            serviceMissing(response);
            return;
        }
        IncidentPage page;
        try {
            page = service.incidents(query);
        } catch (IllegalArgumentException e) {
            // Every other parameter was checked above: what the service refuses is a cursor it did not issue
            // (or one of another query). Without a cursor it is still the query at fault, not the server.
            if (query.cursor() != null) {
                badParameter(response, "cursor", "'cursor' is not a cursor of this listing (use the 'next' of the "
                        + "previous page with the same filters): " + e.getMessage());
            } else {
                ApiResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_parameter",
                        e.getMessage() == null ? "the incident service refused the query" : e.getMessage());
            }
            return;
        }
        ApiResponses.json(response, HttpServletResponse.SC_OK, IncidentJson.of(page));
    }

    private void one(String id, HttpServletResponse response) throws IOException {
        FleetIncidents service = incidents.get();
        if (service == null) {
            serviceMissing(response);
            return;
        }
        Optional<Incident> incident;
        try {
            incident = service.incident(id);
        } catch (IllegalArgumentException e) {
            // An id the service cannot even read names no incident.
            incident = Optional.empty();
        }
        if (incident.isEmpty()) {
            ApiResponses.error(response, HttpServletResponse.SC_NOT_FOUND, "unknown_incident",
                    "no incident with the id '" + id + "'", Map.of("incident_id", id));
            return;
        }
        ApiResponses.json(response, HttpServletResponse.SC_OK, IncidentJson.of(incident.get()));
    }

    private static void badParameter(HttpServletResponse response, String name, String message) throws IOException {
        ApiResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_parameter", message,
                Map.of("field", name));
    }

    private static void serviceMissing(HttpServletResponse response) throws IOException {
        unavailable(response, "incidents_unavailable",
                "the fleet incidents (feature synctriage-store) are not installed or not running");
    }

    private static void unavailable(HttpServletResponse response, String code, String message) throws IOException {
        response.setHeader("Retry-After", "30");
        ApiResponses.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, code, message);
    }
}
