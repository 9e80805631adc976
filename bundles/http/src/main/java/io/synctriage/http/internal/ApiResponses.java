package io.synctriage.http.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.http.HttpServletResponse;

/**
 * Writes API answers. Every error has the shape of spec/api.md "Errors":
 * {@code {"error": "<short code>", "message": "<for a person>"}} plus optional fields such as
 * {@code field}, {@code line}, {@code column}. Never a stack trace.
 */
final class ApiResponses {

    static final String JSON = "application/json;charset=UTF-8";

    private ApiResponses() {
    }

    /** Writes {@code body} as JSON with {@code status}. */
    static void json(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = JsonMapping.MAPPER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(JSON);
        // Diagnoses name accounts and people: never let an intermediary keep them.
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Writes an error without extra fields. */
    static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        error(response, status, code, message, Map.of());
    }

    /**
     * Writes an error; {@code extras} (e.g. {@code field}, {@code line}) follow {@code error} and
     * {@code message}, null values left out.
     */
    static void error(HttpServletResponse response, int status, String code, String message,
                      Map<String, ?> extras) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        extras.forEach((k, v) -> {
            if (v != null) {
                body.put(k, v);
            }
        });
        json(response, status, body);
    }
}
