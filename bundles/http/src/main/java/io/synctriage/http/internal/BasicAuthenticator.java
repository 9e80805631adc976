package io.synctriage.http.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP Basic authentication (RFC 7617): parses the {@code Authorization} header, consults the
 * {@link AuthCache}, otherwise the {@link CredentialsCheck}, and applies the optional required role.
 * Thread-safe.
 */
final class BasicAuthenticator {

    /** What became of a request's credentials. */
    enum Status {
        /** Valid credentials (and the required role, if any). */
        AUTHENTICATED,
        /** No, malformed or wrong credentials: 401 with a challenge. */
        UNAUTHENTICATED,
        /** Valid credentials without the required role: 403. */
        FORBIDDEN
    }

    /**
     * @param status what became of the credentials
     * @param user   the user name, when the header carried one
     * @param reason for a person, when not authenticated
     */
    record Outcome(Status status, String user, String reason) {
    }

    private static final String SCHEME = "Basic";

    private final CredentialsCheck check;
    private final String requiredRole;
    private final AuthCache cache;

    /**
     * @param requiredRole a role the user must hold; null or blank for any user of the realm
     */
    BasicAuthenticator(CredentialsCheck check, String requiredRole, AuthCache cache) {
        this.check = check;
        this.requiredRole = requiredRole == null || requiredRole.isBlank() ? null : requiredRole.trim();
        this.cache = cache;
    }

    /** Authenticates the value of an {@code Authorization} header (null when absent). */
    Outcome authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return new Outcome(Status.UNAUTHENTICATED, null,
                    "authentication required: send HTTP Basic credentials of a user of the Karaf realm");
        }
        String header = authorization.trim();
        if (!header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || header.length() == SCHEME.length()
                || !Character.isWhitespace(header.charAt(SCHEME.length()))) {
            return new Outcome(Status.UNAUTHENTICATED, null,
                    "unsupported authentication scheme: use HTTP Basic");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(SCHEME.length()).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return malformed();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return malformed();
        }
        String user = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        if (user.isEmpty()) {
            return wrong(null);
        }
        if (cache.isFresh(user, password)) {
            return new Outcome(Status.AUTHENTICATED, user, null);
        }
        Optional<Set<String>> roles = check.login(user, password);
        if (roles.isEmpty()) {
            return wrong(user);
        }
        if (requiredRole != null && !roles.get().contains(requiredRole)) {
            // Not cached: the role check is cheap next to the login, and this is not a hot path.
            return new Outcome(Status.FORBIDDEN, user, "user '" + user + "' lacks the role '" + requiredRole
                    + "' that the API requires");
        }
        cache.remember(user, password);
        return new Outcome(Status.AUTHENTICATED, user, null);
    }

    private static Outcome malformed() {
        return new Outcome(Status.UNAUTHENTICATED, null,
                "malformed Authorization header: expected 'Basic ' and base64 of user:password");
    }

    private static Outcome wrong(String user) {
        return new Outcome(Status.UNAUTHENTICATED, user, "wrong user name or password");
    }
}
