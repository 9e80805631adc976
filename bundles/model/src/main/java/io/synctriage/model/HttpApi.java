package io.synctriage.model;

/**
 * Constants shared by the bundles that serve HTTP. Every {@code /api/**} servlet selects the
 * servlet context registered by the http bundle, which authenticates requests (HTTP Basic against
 * the Karaf JAAS realm) before they reach the servlet.
 *
 * @since 1.1
 */
public final class HttpApi {

    /** Name of the authenticating servlet context helper ({@code osgi.http.whiteboard.context.name}). */
    public static final String CONTEXT_NAME = "synctriage-api";

    /** Value for {@code osgi.http.whiteboard.context.select} to serve under that context. */
    public static final String CONTEXT_SELECT = "(osgi.http.whiteboard.context.name=" + CONTEXT_NAME + ")";

    private HttpApi() {
    }
}
