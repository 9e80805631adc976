package io.synctriage.http.internal;

import org.osgi.service.http.context.ServletContextHelper;

import io.synctriage.model.HttpApi;

/**
 * The shared, authenticated servlet context of the Synctriage REST API.
 *
 * <p>This bundle registers a whiteboard {@link ServletContextHelper} named {@value #NAME} at context
 * path {@code /} ({@link ApiSecurityContext}). Its {@code handleSecurity} performs HTTP Basic
 * authentication against the Karaf JAAS realm (PID {@code io.synctriage.http}, see {@link HttpConfig})
 * for every request except {@code GET /api/v1/health}. A servlet of any bundle opts into that
 * authentication by selecting the context:
 *
 * <pre>
 * &#64;Component(service = Servlet.class)
 * &#64;HttpWhiteboardServletPattern("/api/v1/accounts/*")
 * &#64;HttpWhiteboardContextSelect(HttpApi.CONTEXT_SELECT)
 * public class AccountsServlet extends HttpServlet { ... }
 * </pre>
 *
 * The servlet then only sees authenticated requests; {@code request.getRemoteUser()} (and the request
 * attribute {@link ServletContextHelper#REMOTE_USER}) name the user. Patterns are absolute
 * ({@code /api/...}) because the context path is {@code /}.
 *
 * <p>The context name and filter are API constants ({@link HttpApi}) so that other bundles name them
 * without repeating the literal.
 */
public final class ApiContext {

    /** {@code osgi.http.whiteboard.context.name} of the authenticated API context. */
    public static final String NAME = HttpApi.CONTEXT_NAME;

    /** The {@code osgi.http.whiteboard.context.select} filter that puts a servlet into the API context. */
    public static final String SELECT = HttpApi.CONTEXT_SELECT;

    /** The realm announced in {@code WWW-Authenticate} (not the JAAS realm name). */
    public static final String HTTP_REALM = "synctriage";

    /** The only path served without authentication (for GET/HEAD): load balancers call it. */
    public static final String HEALTH_PATH = "/api/v1/health";

    /** The stateless diagnosis endpoint. */
    public static final String DIAGNOSES_PATH = "/api/v1/diagnoses";

    /** The stored accounts ({@code GET}) and, below it, {@code /{id or email}/diagnosis}. */
    public static final String ACCOUNTS_PATH = "/api/v1/accounts";

    /** The fleet incidents ({@code GET}, a filtered page) and, below it, {@code /{id}} (one incident). */
    public static final String INCIDENTS_PATH = "/api/v1/fleet/incidents";

    private ApiContext() {
    }
}
