package io.synctriage.source.nylas.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the Nylas API on 127.0.0.1 (ephemeral port): serves a v2 account list with
 * offset/limit or a v3 grant list with next_cursor/page_token, records every request, and plays scripted
 * answers (errors, malformed bodies) before the list.
 */
final class FakeNylas implements AutoCloseable {

    record Request(String method, String path, Map<String, String> query, String authorization, long atNanos) {
    }

    record Response(int status, String body, Map<String, String> headers) {
        static Response json(int status, String body) {
            return new Response(status, body, Map.of());
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    final List<Request> requests = new ArrayList<>();
    private final Deque<Response> scripted = new ArrayDeque<>();
    /** The list served when nothing is scripted; tests replace it to change the accounts between polls. */
    volatile List<Map<String, Object>> accounts = new ArrayList<>();
    /** Overrides the list serving entirely when set. */
    volatile Function<Request, Response> responder;

    FakeNylas() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized void script(Response... responses) {
        scripted.addAll(List.of(responses));
    }

    synchronized List<Request> requests() {
        return new ArrayList<>(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                query(ex.getRequestURI().getRawQuery()), ex.getRequestHeaders().getFirst("Authorization"),
                System.nanoTime());
        Response res;
        synchronized (this) {
            requests.add(req);
            res = scripted.poll();
        }
        if (res == null) {
            res = responder != null ? responder.apply(req) : serve(req);
        }
        byte[] body = res.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        res.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(res.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The real APIs' paging: v2 offset/limit over an array, v3 limit/page_token with next_cursor. */
    private Response serve(Request req) {
        List<Map<String, Object>> all = accounts;
        int limit = Integer.parseInt(req.query().getOrDefault("limit", "100"));
        try {
            if (req.path().equals("/v3/grants")) {
                String token = req.query().get("page_token");
                int from = token == null ? 0 : Integer.parseInt(token.substring("cursor-".length()));
                int to = Math.min(all.size(), from + limit);
                Map<String, Object> page = new LinkedHashMap<>();
                page.put("request_id", "req-" + from);
                page.put("data", all.subList(Math.min(from, all.size()), to));
                page.put("next_cursor", to < all.size() ? "cursor-" + to : null);
                return Response.json(200, JSON.writeValueAsString(page));
            }
            if (req.path().matches("/a/[^/]+/accounts")) {
                int from = Integer.parseInt(req.query().getOrDefault("offset", "0"));
                int to = Math.min(all.size(), from + limit);
                return Response.json(200, JSON.writeValueAsString(all.subList(Math.min(from, all.size()), to)));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Response.json(404, "{\"message\":\"not found\",\"type\":\"invalid_request_error\"}");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return q;
    }

    /** A v2 management-list account. */
    static Map<String, Object> v2Account(String id, String email, String provider, String syncState) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("account_id", id);
        a.put("billing_state", "paid");
        a.put("email", email);
        a.put("id", id);
        a.put("provider", provider);
        a.put("sync_state", syncState);
        a.put("trial", false);
        a.put("authentication_type", "oauth");
        return a;
    }

    /** A v3 grant as GET /v3/grants lists it. */
    static Map<String, Object> grant(String id, String email, String provider, String status) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", id);
        g.put("grant_status", status);
        g.put("provider", provider);
        g.put("email", email);
        g.put("scope", List.of("https://www.googleapis.com/auth/gmail.modify"));
        g.put("created_at", 1767225600);
        g.put("updated_at", 1767312000);
        return g;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
