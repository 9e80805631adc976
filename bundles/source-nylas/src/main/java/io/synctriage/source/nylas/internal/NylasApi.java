package io.synctriage.source.nylas.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads one page of the Nylas account list: v2 {@code GET /a/{client_id}/accounts?offset=&limit=} (a JSON
 * array; HTTP Basic with the client secret as user and an empty password) or v3
 * {@code GET /v3/grants?limit=&page_token=} ({@code {"data":[…],"next_cursor":…}}; {@code Bearer} API key).
 */
final class NylasApi {

    /** One page: the raw account/grant objects, and for v3 the cursor of the next page (null: last page). */
    record Page(List<Object> items, String nextCursor) {
    }

    /** Longest Retry-After honoured: a broken header must not silence the poller for days. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(6);
    private static final int MAX_ERROR_TEXT = 200;

    private final PollerSettings settings;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final String authorization;

    NylasApi(PollerSettings settings, HttpClient http, ObjectMapper mapper, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.mapper = mapper;
        this.clock = clock;
        this.authorization = settings.apiVersion() == 3
                ? "Bearer " + settings.apiKey()
                : "Basic " + Base64.getEncoder().encodeToString(
                        (settings.clientSecret() + ":").getBytes(StandardCharsets.UTF_8));
    }

    static HttpClient newHttpClient(PollerSettings settings) {
        return HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                // a redirect would carry the credentials to wherever it points
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** v2: the page at this offset. */
    Page v2Page(long offset) throws NylasApiException, InterruptedException {
        URI uri = URI.create(settings.baseUrl() + "/a/" + encode(settings.clientId()) + "/accounts?offset=" + offset
                + "&limit=" + settings.pageSize());
        Object body = get(uri);
        if (!(body instanceof List<?> list)) {
            throw new NylasApiException(NylasApiException.Kind.MALFORMED, 200, null,
                    "GET " + describe(uri) + ": expected a JSON array of accounts, got " + kindOf(body), null);
        }
        return new Page(List.copyOf(nonNull(list)), null);
    }

    /** v3: the page of this cursor (null: the first page). */
    Page v3Page(String cursor) throws NylasApiException, InterruptedException {
        URI uri = URI.create(settings.baseUrl() + "/v3/grants?limit=" + settings.pageSize()
                + (cursor == null ? "" : "&page_token=" + encode(cursor)));
        Object body = get(uri);
        if (!(body instanceof Map<?, ?> map) || !(map.get("data") instanceof List<?> data)) {
            throw new NylasApiException(NylasApiException.Kind.MALFORMED, 200, null, "GET " + describe(uri)
                    + ": expected {\"data\":[…grants…],\"next_cursor\":…}, got " + kindOf(body), null);
        }
        Object next = map.get("next_cursor");
        if (next != null && !(next instanceof String)) {
            throw new NylasApiException(NylasApiException.Kind.MALFORMED, 200, null,
                    "GET " + describe(uri) + ": next_cursor must be a string or null, got " + kindOf(next), null);
        }
        String cursorText = next == null || ((String) next).isBlank() ? null : (String) next;
        return new Page(List.copyOf(nonNull(data)), cursorText);
    }

    private Object get(URI uri) throws NylasApiException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new NylasApiException(NylasApiException.Kind.IO, 0, null, "GET " + describe(uri) + ": no answer within "
                    + settings.requestTimeout().toSeconds() + " s (request.timeout.seconds)", e);
        } catch (IOException e) {
            throw new NylasApiException(NylasApiException.Kind.IO, 0, null,
                    "GET " + describe(uri) + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            String keys = settings.apiVersion() == 3 ? "api.key" : "client.secret (and client.id)";
            throw new NylasApiException(NylasApiException.Kind.AUTH, status, null, "GET " + describe(uri)
                    + ": HTTP " + status + ", Nylas refused the credentials; fix " + keys + " in etc/"
                    + NylasConfig.PID + ".cfg" + errorText(response.body()), null);
        }
        if (status == 429 || status >= 500) {
            Duration retryAfter = retryAfter(response.headers().firstValue("Retry-After").orElse(null), clock.instant());
            throw new NylasApiException(NylasApiException.Kind.UNAVAILABLE, status, retryAfter, "GET " + describe(uri)
                    + ": HTTP " + status + (retryAfter == null ? "" : ", Retry-After " + retryAfter.toSeconds() + " s")
                    + errorText(response.body()), null);
        }
        if (status != 200) {
            String hint = status == 404 ? "; check base.url" + (settings.apiVersion() == 2 ? " and client.id" : "")
                    + " in etc/" + NylasConfig.PID + ".cfg" : "";
            throw new NylasApiException(NylasApiException.Kind.STATUS, status, null,
                    "GET " + describe(uri) + ": HTTP " + status + hint + errorText(response.body()), null);
        }
        try {
            return mapper.readValue(response.body(), Object.class);
        } catch (JsonProcessingException e) {
            throw new NylasApiException(NylasApiException.Kind.MALFORMED, status, null, "GET " + describe(uri)
                    + ": the response is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new NylasApiException(NylasApiException.Kind.MALFORMED, status, null,
                    "GET " + describe(uri) + ": unreadable response: " + e.getMessage(), e);
        }
    }

    /**
     * Retry-After as delta-seconds or an HTTP date (RFC 9110 §10.2.3), bounded to {@link #MAX_RETRY_AFTER};
     * null when absent or unreadable.
     */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.trim();
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(h));
        } catch (NumberFormatException notSeconds) {
            try {
                d = Duration.between(now, ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
        if (d.isNegative()) {
            return Duration.ZERO;
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }

    /** The request as logged: path and query only (they hold no credential). */
    private static String describe(URI uri) {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The start of an error body, on one line: Nylas explains the error there (type, message). */
    private static String errorText(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, 0, Math.min(body.length, MAX_ERROR_TEXT * 4), StandardCharsets.UTF_8)
                .replaceAll("[\\r\\n\\t]+", " ").replaceAll("\\p{Cntrl}", "").trim();
        if (text.length() > MAX_ERROR_TEXT) {
            text = text.substring(0, MAX_ERROR_TEXT) + "…";
        }
        return text.isEmpty() ? "" : " (" + text + ")";
    }

    private static String kindOf(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Map) {
            return "an object";
        }
        if (o instanceof List) {
            return "an array";
        }
        return o instanceof String ? "a string" : o instanceof Boolean ? "a boolean" : "a number";
    }

    private static List<Object> nonNull(List<?> list) {
        List<Object> out = new java.util.ArrayList<>(list.size());
        for (Object o : list) {
            out.add(o == null ? Map.of() : o);
        }
        return out;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
