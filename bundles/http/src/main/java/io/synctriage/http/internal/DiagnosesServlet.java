package io.synctriage.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import io.synctriage.model.Diagnoser;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.InvalidEvidenceException;

/**
 * {@code POST /api/v1/diagnoses}: an evidence bundle in, a diagnosis out. Stateless: uses only the
 * bundle. Bad input always gets a 4xx JSON error (spec/api.md "Errors"), overload a 503 with
 * {@code Retry-After}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ApiContext.DIAGNOSES_PATH)
@HttpWhiteboardServletName("synctriage-diagnoses")
@HttpWhiteboardContextSelect(ApiContext.SELECT)
public class DiagnosesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DiagnosesServlet.class);
    private static final Pattern SOURCE_LOCATION =
            Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");

    private final AtomicReference<Diagnoser> diagnoser = new AtomicReference<>();
    private final ApiSettings settings;

    @Activate
    public DiagnosesServlet(@Reference ApiSettings settings) {
        this.settings = settings;
    }

    /**
     * Optional and dynamic: without an engine the endpoint stays registered and answers 503 (rather than
     * disappearing into the 404 of {@code /api/*}).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindDiagnoser(Diagnoser service) {
        diagnoser.set(service);
    }

    void unbindDiagnoser(Diagnoser service) {
        diagnoser.compareAndSet(service, null);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            ApiResponses.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
                    request.getMethod() + " is not supported on " + ApiContext.DIAGNOSES_PATH
                            + "; POST an evidence bundle");
            return;
        }
        try {
            post(request, response);
        } catch (RuntimeException e) {
            // Not bad input (that is handled below): a bug or a failing engine. Say so without details,
            // and leave a reference that finds the stack trace in the log.
            String incident = UUID.randomUUID().toString();
            LOG.error("Diagnosis request failed unexpectedly (incident {})", incident, e);
            if (!response.isCommitted()) {
                response.reset();
                ApiResponses.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal_error",
                        "the diagnosis failed unexpectedly; the server log has the details under incident "
                                + incident, Map.of("incident", incident));
            }
        }
    }

    private void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!MediaTypes.isJson(request.getContentType())) {
            ApiResponses.error(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "the body must be JSON (Content-Type application/json), got "
                            + (request.getContentType() == null ? "no Content-Type" : request.getContentType()));
            return;
        }
        ApiSettings.Limits current = settings.limits();
        long declared = request.getContentLengthLong();
        if (declared > current.maxBodyBytes()) {
            tooLarge(response, current);
            return;
        }
        Diagnoser engine = diagnoser.get();
        if (engine == null) {
            response.setHeader("Retry-After", "30");
            ApiResponses.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "engine_unavailable",
                    "the diagnosis engine is not running");
            return;
        }
        // The permit covers reading and parsing too: it bounds the memory held by buffered bodies and
        // their trees (max concurrent x max body), not only engine CPU. Slow senders are cut off by the
        // HTTP server's idle timeout.
        if (!current.permits().tryAcquire()) {
            response.setHeader("Retry-After", "1");
            ApiResponses.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "overloaded",
                    "too many diagnoses in progress (limit " + current.maxConcurrent() + "); retry shortly");
            return;
        }
        try {
            byte[] body;
            try {
                body = readBounded(request.getInputStream(), current.maxBodyBytes(), declared);
            } catch (IOException | RuntimeException e) {
                // A client that went away, or a broken transfer (the server signals bad chunking with an
                // unchecked exception): bad input, not a server error.
                LOG.debug("Could not read a diagnosis request body", e);
                ApiResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "unreadable_body",
                        "the body could not be read completely");
                return;
            }
            if (body == null) {
                tooLarge(response, current);
                return;
            }
            Map<String, Object> bundle = parseBundle(body, response);
            if (bundle == null) {
                return;
            }
            Diagnosis diagnosis;
            try {
                diagnosis = engine.diagnose(bundle);
            } catch (InvalidEvidenceException e) {
                ApiResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_evidence", e.getMessage(),
                        Collections.singletonMap("field", e.field()));
                return;
            }
            ApiResponses.json(response, HttpServletResponse.SC_OK, diagnosis);
        } finally {
            current.permits().release();
        }
    }

    /**
     * Parses the body into the plain-value form the engine takes; answers 400 and returns null when it
     * is not one JSON object.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseBundle(byte[] body, HttpServletResponse response) throws IOException {
        if (isBlank(body)) {
            ApiResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "empty_body",
                    "the body is empty: POST an evidence bundle (a JSON object with at least account.id)");
            return null;
        }
        Object value;
        try {
            // Jackson detects UTF-8/16/32 from the bytes (RFC 8259 JSON is UTF-8), whatever charset is declared.
            value = EvidenceParser.read(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            Map<String, Object> where = new LinkedHashMap<>();
            String position = "";
            if (at != null && at.getLineNr() > 0) {
                where.put("line", at.getLineNr());
                where.put("column", at.getColumnNr());
                position = " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            }
            ApiResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "malformed_json",
                    "the body is not valid JSON" + position + ": " + oneLine(e.getOriginalMessage()), where);
            return null;
        } catch (IOException e) {
            // Not a parse error but undecodable text (e.g. CharConversionException for a bad UTF-32 sequence).
            ApiResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "malformed_json",
                    "the body is not valid JSON text: " + oneLine(e.getMessage()));
            return null;
        }
        if (!(value instanceof Map)) {
            ApiResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "wrong_type",
                    "the body must be a JSON object (an evidence bundle), not " + jsonTypeOf(value),
                    Map.of("field", "$"));
            return null;
        }
        return (Map<String, Object>) value;
    }

    /**
     * Reads at most {@code max} bytes; null when the body is longer. Counting matters for chunked bodies,
     * which declare no length, and for a declared length that lies.
     *
     * <p>The array is sized for the declared length, so a body that has it (the usual case) is read straight
     * into the array the parser gets, with no copy; a body without one grows the array by doubling.
     */
    static byte[] readBounded(InputStream in, long max, long declared) throws IOException {
        // An array holds at most about 2 GB: a longer limit is that long in effect.
        int limit = (int) Math.min(max, Integer.MAX_VALUE - 8);
        byte[] body = new byte[declared >= 0 ? (int) Math.min(declared, limit) : Math.min(limit, 8192)];
        int length = 0;
        while (true) {
            if (length == body.length) {
                // Full: either the body ends here, or it needs room for (at least) one more byte.
                int next = in.read();
                if (next == -1) {
                    return body;
                }
                if (length == limit) {
                    return null;
                }
                body = Arrays.copyOf(body, (int) Math.min(limit, Math.max(2L * length, 512)));
                body[length++] = (byte) next;
            }
            int n = in.read(body, length, body.length - length);
            if (n == -1) {
                return length == body.length ? body : Arrays.copyOf(body, length);
            }
            length += n;
        }
    }

    private static void tooLarge(HttpServletResponse response, ApiSettings.Limits limits) throws IOException {
        // The rest of the body is not read: ask the server to drop the connection rather than drain it.
        response.setHeader("Connection", "close");
        ApiResponses.error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                "the body exceeds the limit of " + limits.maxBodyBytes() + " bytes (max.body.bytes)",
                Map.of("limit", limits.maxBodyBytes()));
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String jsonTypeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof java.util.List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a " + value.getClass().getSimpleName();
    }

    /**
     * Jackson's message on one line, its nested locations ("[Source: REDACTED (...); line: 1, column: 13]")
     * shortened to "line 1, column 13".
     */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        return SOURCE_LOCATION.matcher(text).replaceAll("line $1, column $2").replaceAll("\\s+", " ").trim();
    }

}
