package io.synctriage.itests;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A small HTTP client for the container's REST API on loopback, with bounded timeouts (a hung request must
 * fail the test, not the build). Inside a Pax Exam container it talks to the port in
 * {@link Containers#HTTP_PORT}; a test that runs a distribution as a child process gives the base URL.
 */
final class Http {

    static final String USER = "karaf";
    static final String PASSWORD = "karaf";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** {@code http://host:port}, or null: the container's port ({@link #containerBase()}). */
    private final String fixedBase;

    Http() {
        this(null);
    }

    Http(String base) {
        this.fixedBase = base;
    }

    private String base() {
        return fixedBase != null ? fixedBase : containerBase();
    }

    /** Read on use: test classes are also instantiated in the test JVM (for @Configuration), without it. */
    private static String containerBase() {
        String port = System.getProperty(Containers.HTTP_PORT);
        if (port == null) {
            throw new IllegalStateException(Containers.HTTP_PORT + " not set in the container");
        }
        return "http://127.0.0.1:" + port;
    }

    /** The answer: status, Content-Type (or "") and body text. */
    record Response(int status, String contentType, String body) {
        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    Response get(String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, authorization).GET();
        return send(request.build());
    }

    Response post(String path, String authorization, String contentType, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    /** A POST with the given headers (e.g. a webhook's {@code X-Nylas-Signature}) and no credentials. */
    Response post(String path, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, null).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    Response postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, basic(USER, PASSWORD), "application/json", json.getBytes(UTF_8));
    }

    private HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path)).timeout(REQUEST_TIMEOUT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
        return new Response(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body());
    }
}
