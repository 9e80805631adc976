package io.synctriage.model;

import java.time.Instant;
import java.util.Map;

/**
 * One record of the application's API log.
 *
 * @param timestamp when the call was made
 * @param method    HTTP method, upper-case
 * @param path      request path (with query)
 * @param status    HTTP status, or null
 * @param accountId account the call was made for, or null (application-level call)
 * @param email     email the call was made for, or null
 * @param body      the request body when it was a JSON object (given as object or JSON text), else empty
 * @param bodyText  the request body as given, when it was text, or null
 * @param response  the response body as text (JSON text when it was an object), or null; an error response
 *                  (e.g. Graph's {@code MailboxNotEnabledForRESTAPI} on a 404) is evidence for the provider checks
 */
public record ApiCall(Instant timestamp, String method, String path, Integer status, String accountId,
                      String email, Map<String, Object> body, String bodyText, String response) {

    /** A call whose response was not recorded. */
    public ApiCall(Instant timestamp, String method, String path, Integer status, String accountId, String email,
                   Map<String, Object> body, String bodyText) {
        this(timestamp, method, path, status, accountId, email, body, bodyText, null);
    }
}
