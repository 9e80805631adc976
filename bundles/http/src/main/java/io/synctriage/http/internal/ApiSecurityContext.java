package io.synctriage.http.internal;

import java.io.IOException;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.context.ServletContextHelper;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContext;

/**
 * The authenticated servlet context of the REST API ({@link ApiContext#NAME}, path {@code /}): HTTP
 * Basic against the configured Karaf JAAS realm for every request of the servlets that select it,
 * except {@code GET}/{@code HEAD /api/v1/health}.
 *
 * <p>Implemented once, as a whiteboard context, so that the servlets of other bundles get the same
 * authentication by selecting it (see {@link ApiContext}) instead of each repeating it.
 *
 * <p>Its configuration (realm, required role, cache TTL) lives in {@link ApiSettings}, so that a
 * configuration change never modifies this service's registration.
 *
 * <p>Registered as a singleton, not bundle-scoped as the whiteboard spec suggests for contexts that
 * serve resources: API servlets serve no resources, and one instance means one credential cache for
 * all of them.
 */
@Component(service = ServletContextHelper.class)
@HttpWhiteboardContext(name = ApiContext.NAME, path = "/")
public class ApiSecurityContext extends ServletContextHelper {

    private final ApiSettings settings;

    @Activate
    public ApiSecurityContext(@Reference ApiSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (isOpen(request)) {
            return true;
        }
        BasicAuthenticator.Outcome outcome =
                settings.authenticator().authenticate(request.getHeader("Authorization"));
        switch (outcome.status()) {
            case AUTHENTICATED:
                request.setAttribute(REMOTE_USER, outcome.user());
                request.setAttribute(AUTHENTICATION_TYPE, HttpServletRequest.BASIC_AUTH);
                return true;
            case FORBIDDEN:
                ApiResponses.error(response, HttpServletResponse.SC_FORBIDDEN, "forbidden", outcome.reason());
                break;
            default:
                response.setHeader("WWW-Authenticate", "Basic realm=\"" + ApiContext.HTTP_REALM + "\"");
                ApiResponses.error(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized", outcome.reason());
                break;
        }
        // Commit now: when handleSecurity answers false on an uncommitted response, Pax Web 8
        // (OsgiFilterChain) replaces it with a bare 403 page.
        response.flushBuffer();
        return false;
    }

    /** Only the health check is open, and only for reading: load balancers call it without credentials. */
    static boolean isOpen(HttpServletRequest request) {
        String method = request.getMethod();
        return ("GET".equals(method) || "HEAD".equals(method)) && ApiContext.HEALTH_PATH.equals(pathOf(request));
    }

    /** The decoded path below the context (which is {@code /}, so the whole path). */
    static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }
}
