package io.synctriage.source.webhook.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.synctriage.model.AccountEvent;
import io.synctriage.model.EvidenceReader;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.InvalidEvidenceException;
import io.synctriage.model.StoreResult;

/**
 * {@code /webhooks/nylas}: the verification handshake ({@code GET ?challenge=X} → {@code X}) and signed
 * notifications ({@code POST}). A notification is answered {@code 200} only once the evidence store has
 * committed it; when it cannot be stored the answer is {@code 503} with {@code Retry-After}, so that Nylas
 * delivers it again rather than losing it. Errors are JSON as everywhere in the API.
 *
 * <p>Order of the POST checks: size (cheap, before anything is buffered), signature over the raw bytes (before
 * any parsing: unauthenticated input is never parsed), JSON, then storing.
 */
final class WebhookServlet extends HttpServlet {

    static final String PATH = "/webhooks/nylas";
    static final String SIGNATURE_HEADER = "X-Nylas-Signature";
    static final String JSON = "application/json;charset=UTF-8";

    /** Nylas challenges are short tokens; a longer one is not a handshake. */
    static final int MAX_CHALLENGE_LENGTH = 1024;

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServlet.class);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectReader READER = MAPPER.readerFor(Object.class);

    private transient volatile WebhookSettings settings;
    private final transient AtomicReference<EvidenceStore> store = new AtomicReference<>();
    private final transient AtomicReference<EvidenceReader> reader = new AtomicReference<>();

    WebhookServlet(WebhookSettings settings) {
        this.settings = settings;
    }

    void configure(WebhookSettings changed) {
        this.settings = changed;
    }

    AtomicReference<EvidenceStore> store() {
        return store;
    }

    AtomicReference<EvidenceReader> reader() {
        return reader;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        try {
            if ("GET".equals(method)) {
                challenge(request, response);
            } else if ("POST".equals(method)) {
                post(request, response);
            } else {
                response.setHeader("Allow", "GET, POST");
                error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
                        method + " is not supported on " + PATH + "; Nylas sends GET (verification) and POST "
                                + "(notifications)");
            }
        } catch (RuntimeException e) {
            // A bug, not bad input: say so without details, never 200 (Nylas must retry), and leave a reference
            // that finds the stack trace in the log.
            String incident = UUID.randomUUID().toString();
            LOG.error("Webhook request failed unexpectedly (incident {})", incident, e);
            if (!response.isCommitted()) {
                response.reset();
                error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal_error",
                        "the notification could not be processed; the server log has the details under incident "
                                + incident, Map.of("incident", incident));
            }
        }
    }

    // ------------------------------------------------------------------------------------------- handshake

    private void challenge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String challenge = request.getParameter("challenge");
        if (challenge == null || challenge.isEmpty()) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "missing_challenge",
                    "GET " + PATH + " is the webhook verification handshake: it needs ?challenge=<value>");
            return;
        }
        if (challenge.length() > MAX_CHALLENGE_LENGTH) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_challenge",
                    "the challenge is longer than " + MAX_CHALLENGE_LENGTH + " characters");
            return;
        }
        // Exactly the value, unwrapped (Nylas compares the body). nosniff: the echoed text is never HTML.
        byte[] body = challenge.getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    // -------------------------------------------------------------------------------------- notifications

    private void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WebhookSettings current = settings;
        if (!current.signatures().configured()) {
            error(response, HttpServletResponse.SC_UNAUTHORIZED, "webhook_not_configured",
                    "no webhook secret is configured, so no signature can be verified: set client.secret "
                            + "(API v2) and/or webhook.secret (API v3) in etc/" + WebhookConfig.PID + ".cfg");
            return;
        }
        String encoding = contentEncoding(request);
        if (encoding == null) {
            error(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "unsupported_encoding",
                    "Content-Encoding " + request.getHeader("Content-Encoding")
                            + " is not supported; send the body plain or gzip-compressed");
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > current.maxBodyBytes()) {
            tooLarge(response, current);
            return;
        }
        byte[] raw;
        try {
            raw = readBounded(request.getInputStream(), current.maxBodyBytes());
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read a webhook body", e);
            error(response, HttpServletResponse.SC_BAD_REQUEST, "unreadable_body", "the body could not be read completely");
            return;
        }
        if (raw == null) {
            tooLarge(response, current);
            return;
        }
        byte[] body = raw;
        if ("gzip".equals(encoding)) {
            try {
                body = readBounded(new GZIPInputStream(new java.io.ByteArrayInputStream(raw)), current.maxBodyBytes());
            } catch (IOException e) {
                error(response, HttpServletResponse.SC_BAD_REQUEST, "unreadable_body",
                        "the body is declared gzip but is not valid gzip data");
                return;
            }
            if (body == null) {
                tooLarge(response, current);
                return;
            }
        }
        // Nylas signs the bytes it sends; for a compressed delivery accept a signature over either form.
        Signatures.Outcome outcome = current.signatures().check(request.getHeader(SIGNATURE_HEADER), raw);
        if (body != raw && (outcome == Signatures.Outcome.MISMATCH)) {
            outcome = current.signatures().check(request.getHeader(SIGNATURE_HEADER), body);
        }
        switch (outcome) {
            case MISSING:
                unauthorized(request, response, "missing_signature",
                        "the " + SIGNATURE_HEADER + " header is missing: every notification must be signed");
                return;
            case MALFORMED:
                unauthorized(request, response, "invalid_signature",
                        SIGNATURE_HEADER + " must be the hex HMAC-SHA256 of the body (64 hex digits)");
                return;
            case MISMATCH:
                unauthorized(request, response, "invalid_signature", SIGNATURE_HEADER + " does not match the body "
                        + "under the configured client secret or webhook secret");
                return;
            default:
                break;
        }
        Map<String, Object> delivery = parse(body, response);
        if (delivery == null) {
            return;
        }
        store(delivery, outcome, current, response);
    }

    private void store(Map<String, Object> delivery, Signatures.Outcome signedWith, WebhookSettings current,
                       HttpServletResponse response) throws IOException {
        EvidenceReader evidenceReader = reader.get();
        if (evidenceReader == null) {
            unavailable(response, current, "engine_unavailable",
                    "the diagnosis engine (bundle io.synctriage.engine), which reads notifications, is not running");
            return;
        }
        List<AccountEvent> events;
        try {
            events = evidenceReader.notifications(delivery, "body");
        } catch (InvalidEvidenceException e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_notification", e.getMessage(),
                    Map.of("field", e.field()));
            return;
        }
        Deliveries.Batch batch = Deliveries.of(delivery, events);
        if (!batch.anonymous().isEmpty()) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_notification",
                    "a " + batch.anonymous().get(0) + " notification names neither an account/grant id nor an email");
            return;
        }
        if (batch.records().isEmpty()) {
            // Only other triggers (message.created …): acknowledged so that Nylas does not mark the webhook failing.
            answer(response, 0, batch.repeated(), batch.ignored());
            return;
        }
        EvidenceStore evidenceStore = store.get();
        if (evidenceStore == null) {
            unavailable(response, current, "store_unavailable",
                    "the evidence store (feature synctriage-store) is not running; the notification was not stored");
            return;
        }
        StoreResult result;
        try {
            result = evidenceStore.store(batch.records());
        } catch (IllegalArgumentException e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_notification",
                    "the notification cannot be stored: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            // StoreException (database down, disk full…) or a store bug: not stored, so never 200.
            LOG.error("Could not store {} webhook notification(s); answered 503 so that Nylas retries",
                    batch.records().size(), e);
            unavailable(response, current, "store_failed",
                    "the evidence store could not store the notification; it will be accepted on a retry");
            return;
        }
        LOG.debug("Stored {} notification(s) signed with the {} secret ({} duplicate(s), {} ignored)",
                result.stored(), signedWith == Signatures.Outcome.V2 ? "client" : "webhook",
                result.duplicates() + batch.repeated(), batch.ignored());
        answer(response, result.stored(), result.duplicates() + batch.repeated(), batch.ignored());
    }

    // ----------------------------------------------------------------------------------------------- helpers

    /** {@code identity} or {@code gzip} (lower case) for the supported encodings, null for the others. */
    static String contentEncoding(HttpServletRequest request) {
        String value = request.getHeader("Content-Encoding");
        if (value == null || value.isBlank()) {
            return "identity";
        }
        String encoding = value.trim().toLowerCase(Locale.ROOT);
        if ("identity".equals(encoding)) {
            return "identity";
        }
        return "gzip".equals(encoding) || "x-gzip".equals(encoding) ? "gzip" : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(byte[] body, HttpServletResponse response) throws IOException {
        Object value;
        try {
            value = READER.readValue(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at != null && at.getLineNr() > 0
                    ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
            error(response, HttpServletResponse.SC_BAD_REQUEST, "malformed_json",
                    "the body is not valid JSON" + position);
            return null;
        } catch (IOException e) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "malformed_json", "the body is not valid JSON text");
            return null;
        }
        if (!(value instanceof Map)) {
            error(response, HttpServletResponse.SC_BAD_REQUEST, "wrong_type",
                    "the body must be a JSON object: a v2 {\"deltas\":[…]} delivery or a v3 notification");
            return null;
        }
        return (Map<String, Object>) value;
    }

    /** At most {@code max} bytes; null when there are more (chunked bodies declare no length). */
    static byte[] readBounded(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(max, 16 * 1024));
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) != -1) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response, String code,
                                     String message) throws IOException {
        // The remote address helps to find a misconfigured sender; the header value and the secrets never appear.
        LOG.warn("Refused a webhook from {}: {}", request.getRemoteAddr(), code);
        error(response, HttpServletResponse.SC_UNAUTHORIZED, code, message);
    }

    private static void unavailable(HttpServletResponse response, WebhookSettings current, String code,
                                    String message) throws IOException {
        response.setHeader("Retry-After", String.valueOf(current.retryAfterSeconds()));
        error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, code, message);
    }

    private static void tooLarge(HttpServletResponse response, WebhookSettings current) throws IOException {
        response.setHeader("Connection", "close");
        error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                "the notification exceeds the limit of " + current.maxBodyBytes() + " bytes (max.body.bytes)",
                Map.of("limit", current.maxBodyBytes()));
    }

    private static void answer(HttpServletResponse response, int stored, int duplicates, int ignored)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("stored", stored);
        body.put("duplicates", duplicates);
        body.put("ignored", ignored);
        json(response, HttpServletResponse.SC_OK, body);
    }

    static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        error(response, status, code, message, Map.of());
    }

    static void error(HttpServletResponse response, int status, String code, String message, Map<String, ?> extras)
            throws IOException {
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

    private static void json(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(JSON);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
