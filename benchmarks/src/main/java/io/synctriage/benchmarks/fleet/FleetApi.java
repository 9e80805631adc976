package io.synctriage.benchmarks.fleet;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The few calls of the Synctriage REST API (spec/api.md) the fleet benchmark makes, over java.net.http with
 * HTTP Basic auth.
 */
final class FleetApi {

    /** An answer that is not what the call expects. */
    static final class ApiException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** One page of incidents and how long it took. */
    record Page(List<JsonNode> incidents, String next, long nanos) {
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String authorization;
    private final HttpClient client;
    private final Duration timeout;

    FleetApi(URI base, String user, String password, Duration timeout) {
        this.base = URI.create(base.toString().replaceAll("/+$", "") + "/");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    URI base() {
        return base;
    }

    /** POST /api/v1/evidence with an NDJSON body; the raw answer (the loader decides about retries). */
    HttpResponse<byte[]> postEvidence(byte[] ndjson) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/evidence"))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ndjson))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** GET of an API path (with its query); the answer with its status. */
    HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery.replaceFirst("^/", "")))
                .timeout(timeout)
                .header("Authorization", authorization)
                .header("Accept", "application/json")
                .GET()
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** GET /api/v1/health (no auth needed), or null when nothing answers. */
    JsonNode health() throws InterruptedException {
        try {
            HttpResponse<byte[]> r = get("api/v1/health");
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** One page of GET /api/v1/fleet/incidents with these query parameters (null values left out). */
    Page incidents(Map<String, String> query) throws IOException, InterruptedException {
        String path = "api/v1/fleet/incidents" + query(query);
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = get(path);
        long nanos = System.nanoTime() - t0;
        if (r.statusCode() != 200) {
            throw new ApiException(r.statusCode(), "GET /" + path + " answered " + r.statusCode() + ": "
                    + excerpt(r.body()));
        }
        JsonNode body = JSON.readTree(r.body());
        if (!body.path("incidents").isArray()) {
            throw new ApiException(r.statusCode(), "GET /" + path + ": no \"incidents\" array in " + excerpt(r.body()));
        }
        List<JsonNode> list = new ArrayList<>();
        body.get("incidents").forEach(list::add);
        JsonNode next = body.path("next");
        return new Page(list, next.isTextual() && !next.asText().isEmpty() ? next.asText() : null, nanos);
    }

    /** Every incident of a query, page after page ({@code limit} per page). */
    List<JsonNode> allIncidents(Map<String, String> query, int limit, List<Long> pageNanos)
            throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        Map<String, String> q = new LinkedHashMap<>(query);
        q.put("limit", Integer.toString(limit));
        String cursor = null;
        int pages = 0;
        do {
            q.put("cursor", cursor);
            Page page = incidents(q);
            all.addAll(page.incidents());
            if (pageNanos != null) {
                pageNanos.add(page.nanos());
            }
            cursor = page.next();
            if (++pages > 100_000) {
                throw new IOException("more than 100,000 pages of incidents: the cursor does not advance");
            }
        } while (cursor != null);
        return all;
    }

    static String query(Map<String, String> query) {
        StringJoiner j = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((k, v) -> {
            if (v != null) {
                j.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return j.toString();
    }

    static String since(Instant at) {
        return at.toString();
    }

    static String excerpt(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        return s.length() > 400 ? s.substring(0, 400) + "…" : s;
    }
}
