package io.synctriage.source.nylas.internal;

import java.time.Duration;

/**
 * A page could not be read. The message is for the log: it names the request (never a credential) and,
 * for errors the operator must fix, the configuration key to change.
 */
final class NylasApiException extends Exception {

    private static final long serialVersionUID = 1L;

    enum Kind {
        /** 401/403: the credentials are wrong or lack the rights. */
        AUTH,
        /** 429 or 5xx: the API asks us to come back later. */
        UNAVAILABLE,
        /** Any other unexpected status (404 for a wrong client id or base URL, 400…). */
        STATUS,
        /** The body is not the JSON shape of the list. */
        MALFORMED,
        /** Connection refused, timeout, TLS… */
        IO
    }

    private final Kind kind;
    private final int status;
    private final transient Duration retryAfter;

    NylasApiException(Kind kind, int status, Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    Kind kind() {
        return kind;
    }

    /** HTTP status, or 0 when there was no response. */
    int status() {
        return status;
    }

    /** The server's Retry-After, or null. */
    Duration retryAfter() {
        return retryAfter;
    }
}
