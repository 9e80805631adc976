package io.synctriage.source.nylas.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated poller configuration. {@link #problems()} names the configuration key to fix for every
 * problem; {@link #toString()} never shows a secret (it is what the log prints).
 */
record PollerSettings(boolean enabled, int apiVersion, URI baseUrl, String clientId, String clientSecret,
                      String apiKey, Duration interval, Duration initialDelay, int pageSize, int maxPages,
                      Duration connectTimeout, Duration requestTimeout, List<String> problems) {

    static final long DEFAULT_INTERVAL_SECONDS = 300;
    static final long DEFAULT_INITIAL_DELAY_SECONDS = 30;
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int DEFAULT_MAX_PAGES = 10_000;
    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
    static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
    static final long MIN_INTERVAL_SECONDS = 10;
    static final int MAX_PAGE_SIZE = 1000;

    static final String V2_DEFAULT_BASE = "https://api.nylas.com";
    static final String V3_DEFAULT_BASE = "https://api.us.nylas.com";

    PollerSettings {
        problems = List.copyOf(problems);
    }

    static PollerSettings of(NylasConfig c) {
        List<String> problems = new ArrayList<>();
        int version = c.api_version();
        if (version != 2 && version != 3) {
            problems.add("api.version must be 2 or 3, got " + version);
        }
        String base = trim(c.base_url());
        if (base.isEmpty()) {
            base = version == 3 ? V3_DEFAULT_BASE : V2_DEFAULT_BASE;
        }
        URI uri = null;
        try {
            uri = new URI(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
            if (!("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))
                    || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                problems.add("base.url must be an http(s) URL without query, e.g. " + V2_DEFAULT_BASE + ", got " + base);
                uri = null;
            }
        } catch (URISyntaxException e) {
            problems.add("base.url is not a URL: " + e.getMessage());
        }
        String clientId = trim(c.client_id());
        String clientSecret = trim(c.client_secret());
        String apiKey = trim(c.api_key());
        if (version == 2) {
            if (clientId.isEmpty()) {
                problems.add("client.id is empty (API v2 lists GET /a/{client.id}/accounts)");
            }
            if (clientSecret.isEmpty()) {
                problems.add("client.secret is empty (API v2 authenticates with the client secret)");
            }
        } else if (version == 3 && apiKey.isEmpty()) {
            problems.add("api.key is empty (API v3 authenticates with the API key)");
        }
        if (c.interval_seconds() < MIN_INTERVAL_SECONDS) {
            problems.add("interval.seconds must be at least " + MIN_INTERVAL_SECONDS + ", got " + c.interval_seconds());
        }
        if (c.initial_delay_seconds() < 0) {
            problems.add("initial.delay.seconds must not be negative, got " + c.initial_delay_seconds());
        }
        if (c.page_size() < 1 || c.page_size() > MAX_PAGE_SIZE) {
            problems.add("page.size must be in 1.." + MAX_PAGE_SIZE + ", got " + c.page_size());
        }
        if (c.max_pages() < 1) {
            problems.add("max.pages must be at least 1, got " + c.max_pages());
        }
        if (c.connect_timeout_seconds() < 1) {
            problems.add("connect.timeout.seconds must be at least 1, got " + c.connect_timeout_seconds());
        }
        if (c.request_timeout_seconds() < 1) {
            problems.add("request.timeout.seconds must be at least 1, got " + c.request_timeout_seconds());
        }
        return new PollerSettings(c.enabled(), version, uri, clientId, clientSecret, apiKey,
                Duration.ofSeconds(Math.max(MIN_INTERVAL_SECONDS, c.interval_seconds())),
                Duration.ofSeconds(Math.max(0, c.initial_delay_seconds())),
                Math.max(1, Math.min(MAX_PAGE_SIZE, c.page_size())), Math.max(1, c.max_pages()),
                Duration.ofSeconds(Math.max(1, c.connect_timeout_seconds())),
                Duration.ofSeconds(Math.max(1, c.request_timeout_seconds())), problems);
    }

    boolean valid() {
        return problems.isEmpty();
    }

    /** The list being polled, for the log: no secret, only the client id (which is not one). */
    String describe() {
        return apiVersion == 3 ? "Nylas v3 grants at " + baseUrl + "/v3/grants"
                : "Nylas v2 accounts at " + baseUrl + "/a/" + clientId + "/accounts";
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    @Override
    public String toString() {
        return "PollerSettings[enabled=" + enabled + ", apiVersion=" + apiVersion + ", baseUrl=" + baseUrl
                + ", clientId=" + clientId + ", clientSecret=" + (clientSecret.isEmpty() ? "(empty)" : "(set)")
                + ", apiKey=" + (apiKey.isEmpty() ? "(empty)" : "(set)") + ", interval=" + interval
                + ", initialDelay=" + initialDelay + ", pageSize=" + pageSize + ", maxPages=" + maxPages
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", problems=" + problems + "]";
    }
}
