package io.synctriage.source.importer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

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

import com.fasterxml.jackson.databind.ObjectMapper;

import io.synctriage.model.EvidenceStore;
import io.synctriage.model.HttpApi;

/**
 * {@code POST /api/v1/evidence}: bulk evidence into the store (spec/api.md). A JSON document
 * ({@code application/json}: the object with evidence arrays, the v2 account-list export, the v3
 * grants list) or NDJSON ({@code application/x-ndjson}, one record per line with a {@code "kind"}).
 * Answers {@code 202 {"accepted": N, "rejected": [...]}} only after every accepted record is committed.
 *
 * <p>Served under the authenticating API context of the http bundle, so only users of the JAAS realm
 * reach it.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern(ImportServlet.PATH)
@HttpWhiteboardServletName("synctriage-evidence-import")
@HttpWhiteboardContextSelect(HttpApi.CONTEXT_SELECT)
public class ImportServlet extends HttpServlet {

    static final String PATH = "/api/v1/evidence";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ImportServlet.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json;charset=UTF-8";
    private static final Set<String> NDJSON_TYPES = Set.of("application/x-ndjson", "application/ndjson",
            "application/jsonl", "application/x-jsonl", "application/jsonlines", "application/x-jsonlines");

    private final AtomicReference<Importer> importer = new AtomicReference<>();

    /**
     * Optional and dynamic: without a store (or engine) the importer is not active; the endpoint stays
     * and answers 503 instead of falling into the 404 of {@code /api/*}.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindImporter(Importer service) {
        importer.set(service);
    }

    void unbindImporter(Importer service) {
        importer.compareAndSet(service, null);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            response.setHeader("Allow", "POST");
            error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
                    request.getMethod() + " is not supported on " + PATH + "; POST evidence (JSON or NDJSON)", Map.of());
            return;
        }
        try {
            post(request, response);
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("Evidence import failed unexpectedly (incident {})", incident, e);
            if (!response.isCommitted()) {
                response.reset();
                error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal_error",
                        "the import failed unexpectedly; the server log has the details under incident " + incident,
                        Map.of("incident", incident));
            }
        }
    }

    private void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String format = format(request.getContentType());
        if (format == null) {
            error(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "the body must be JSON (Content-Type application/json) or NDJSON (application/x-ndjson), got "
                            + (request.getContentType() == null ? "no Content-Type" : request.getContentType()),
                    Map.of());
            return;
        }
        Importer current = importer.get();
        if (current == null) {
            response.setHeader("Retry-After", "30");
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "store_unavailable",
                    "the evidence store (feature synctriage-store) or the diagnosis engine is not running", Map.of());
            return;
        }
        Importer.Settings settings = current.settings();
        long declared = request.getContentLengthLong();
        if (declared > settings.maxBodyBytes()) {
            tooLarge(response, settings.maxBodyBytes(), null);
            return;
        }
        Importer.Permit permit = current.tryAcquire();
        if (permit == null) {
            response.setHeader("Retry-After", "5");
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "overloaded",
                    "too many imports in progress (limit " + settings.maxConcurrent() + "); retry shortly", Map.of());
            return;
        }
        ImportReport report = current.newReport(format);
        try (permit; InputStream body = new LimitedInputStream(request.getInputStream(), settings.maxBodyBytes())) {
            if ("ndjson".equals(format)) {
                current.ndjson(body, report, bytes -> { });
            } else {
                try (Spool spool = Spool.of(body)) {
                    current.json(spool::open, report, bytes -> { });
                }
            }
        } catch (LimitedInputStream.TooLargeException e) {
            tooLarge(response, e.limit(), report);
            return;
        } catch (EvidenceImporter.UnusableBodyException e) {
            Map<String, Object> where = new LinkedHashMap<>();
            if (e.line() > 0) {
                where.put("line", e.line());
                where.put("column", e.column());
            }
            error(response, HttpServletResponse.SC_BAD_REQUEST, e.code(), e.getMessage(), where);
            return;
        } catch (EvidenceStore.StoreException e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("The evidence store failed during an import (incident {}); {} record(s) were committed before",
                    incident, report.accepted(), e);
            response.setHeader("Retry-After", "30");
            error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "store_unavailable",
                    "the evidence store failed (incident " + incident + "); " + committed(report), partial(report));
            return;
        } catch (IOException e) {
            // A client that went away, or a broken transfer: bad input, not a server error.
            LOG.debug("Could not read an import body", e);
            error(response, HttpServletResponse.SC_BAD_REQUEST, "unreadable_body",
                    "the body could not be read completely; " + committed(report), partial(report));
            return;
        }
        write(response, HttpServletResponse.SC_ACCEPTED, report.toJson());
    }

    /** {@code json}, {@code ndjson}, or null for a type this endpoint does not take. */
    static String format(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        if (NDJSON_TYPES.contains(type)) {
            return "ndjson";
        }
        int slash = type.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String subtype = type.substring(slash + 1);
        return "application/json".equals(type) || (subtype.endsWith("+json") && subtype.length() > 5) ? "json" : null;
    }

    /** NDJSON commits as it goes: a failure after some batches says how much is already stored. */
    private static String committed(ImportReport report) {
        return report.accepted() == 0 ? "nothing was stored"
                : report.accepted() + " record(s) were stored before it (a retry stores notifications once; "
                + "log lines may then be stored twice)";
    }

    private static Map<String, Object> partial(ImportReport report) {
        Map<String, Object> m = new LinkedHashMap<>(report.toJson());
        m.keySet().retainAll(Set.of("accepted", "rejected_count", "stored", "duplicates"));
        return m;
    }

    private static void tooLarge(HttpServletResponse response, long limit, ImportReport report) throws IOException {
        // The rest of the body is not read: ask the server to drop the connection rather than drain it.
        response.setHeader("Connection", "close");
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("limit", limit);
        if (report != null) {
            extras.putAll(partial(report));
        }
        error(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "body_too_large",
                "the body exceeds the limit of " + limit + " bytes (max.body.bytes in etc/io.synctriage.importer.cfg)"
                        + (report != null && report.accepted() > 0 ? "; " + committed(report) : ""), extras);
    }

    /** {@code {"error", "message", ...extras}} as every API error (spec/api.md "Errors"). */
    private static void error(HttpServletResponse response, int status, String code, String message,
                              Map<String, ?> extras) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        extras.forEach((k, v) -> {
            if (v != null) {
                body.put(k, v);
            }
        });
        write(response, status, body);
    }

    private static void write(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType(JSON_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
