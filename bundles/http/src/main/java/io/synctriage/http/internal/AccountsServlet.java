package io.synctriage.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

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

import io.synctriage.model.Account;
import io.synctriage.model.AccountQuery;
import io.synctriage.model.Diagnoser;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.StoredAccount;

/**
 * The stored accounts: {@code GET /api/v1/accounts} (a filtered list) and
 * {@code GET /api/v1/accounts/{id}/diagnosis} (a diagnosis of everything stored for the account; {@code id}
 * is an account/grant id or an email address). Store and engine are optional and dynamic: without them the
 * paths stay registered and answer 503 (rather than the 404 of {@code /api/*}).
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ApiContext.ACCOUNTS_PATH, ApiContext.ACCOUNTS_PATH + "/*"})
@HttpWhiteboardServletName("synctriage-accounts")
@HttpWhiteboardContextSelect(ApiContext.SELECT)
public class AccountsServlet extends HttpServlet {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final Set<String> PARAMETERS = Set.of("state", "domain", "provider", "limit", "offset");

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AccountsServlet.class);
    private static final String DIAGNOSIS = "/diagnosis";

    /** One row of the list; snake_case on the wire ({@code sync_state}, {@code updated_at}). */
    record AccountRow(String id, String email, String provider, String family, String syncState, Instant updatedAt) {
        static AccountRow of(StoredAccount stored) {
            Account a = stored.account();
            return new AccountRow(a.id(), a.email(), a.provider(), a.family() == null ? null : a.family().id(),
                    a.state(), stored.updatedAt());
        }
    }

    /** The list answer. */
    record AccountList(List<AccountRow> accounts, int limit, int offset) {
    }

    private final transient AtomicReference<EvidenceStore> store = new AtomicReference<>();
    private final transient AtomicReference<Diagnoser> diagnoser = new AtomicReference<>();
    private final transient ApiSettings settings;

    @Activate
    public AccountsServlet(@Reference ApiSettings settings) {
        this.settings = settings;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(EvidenceStore service) {
        store.set(service);
    }

    void unbindStore(EvidenceStore service) {
        // A greedy rebind calls bind(new) before unbind(old): only clear what is still ours.
        store.compareAndSet(service, null);
    }

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
        String path = ApiSecurityContext.pathOf(request);
        String rest = path.length() > ApiContext.ACCOUNTS_PATH.length()
                ? path.substring(ApiContext.ACCOUNTS_PATH.length()) : "";
        boolean list = rest.isEmpty() || "/".equals(rest);
        boolean diagnosis = !list && rest.endsWith(DIAGNOSIS) && rest.length() > DIAGNOSIS.length() + 1;
        if (!list && !diagnosis) {
            ApiResponses.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found", "no such endpoint: "
                    + request.getMethod() + " " + path + "; use GET " + ApiContext.ACCOUNTS_PATH
                    + " or GET " + ApiContext.ACCOUNTS_PATH + "/{id or email}/diagnosis");
            return;
        }
        if (!"GET".equals(request.getMethod())) {
            response.setHeader("Allow", "GET");
            ApiResponses.error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method_not_allowed",
                    request.getMethod() + " is not supported on " + path + "; use GET");
            return;
        }
        try {
            if (list) {
                list(request, response);
            } else {
                // The container has already percent-decoded the path ("%40" → "@"); "+" stays "+" in a path.
                diagnose(rest.substring(1, rest.length() - DIAGNOSIS.length()), response);
            }
        } catch (EvidenceStore.StoreException e) {
            LOG.error("The evidence store failed on {}", path, e);
            if (!response.isCommitted()) {
                response.reset();
                unavailable(response, "store_failed", "the evidence store failed; retry shortly");
            }
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            LOG.error("Request {} failed unexpectedly (incident {})", path, incident, e);
            if (!response.isCommitted()) {
                response.reset();
                ApiResponses.error(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal_error",
                        "the request failed unexpectedly; the server log has the details under incident " + incident,
                        Map.of("incident", incident));
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- list

    private void list(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String[]> parameters = request.getParameterMap();
        for (Map.Entry<String, String[]> p : parameters.entrySet()) {
            if (!PARAMETERS.contains(p.getKey())) {
                badParameter(response, p.getKey(), "unknown parameter '" + p.getKey() + "'; the filters are "
                        + "state, domain, provider, limit and offset");
                return;
            }
            if (p.getValue().length > 1) {
                badParameter(response, p.getKey(), "'" + p.getKey() + "' is given more than once");
                return;
            }
        }
        Integer limit = integer(parameters, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, response);
        if (limit == null) {
            return;
        }
        Integer offset = integer(parameters, "offset", 0, 0, Integer.MAX_VALUE, response);
        if (offset == null) {
            return;
        }
        EvidenceStore evidenceStore = store.get();
        if (evidenceStore == null) {
            storeMissing(response);
            return;
        }
        AccountQuery query = new AccountQuery(text(parameters, "state"), domain(text(parameters, "domain")),
                text(parameters, "provider"), limit, offset);
        List<AccountRow> rows = evidenceStore.accounts(query).stream().map(AccountRow::of).toList();
        ApiResponses.json(response, HttpServletResponse.SC_OK, new AccountList(rows, limit, offset));
    }

    /** The value, trimmed; null when absent or blank (blank = no filter). */
    private static String text(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        if (values == null || values.length == 0 || values[0] == null || values[0].isBlank()) {
            return null;
        }
        return values[0].trim();
    }

    /** {@code @contoso.com} and {@code contoso.com} name the same domain. */
    private static String domain(String value) {
        if (value == null) {
            return null;
        }
        String d = value.startsWith("@") ? value.substring(1) : value;
        return d.isBlank() ? null : d.toLowerCase(Locale.ROOT);
    }

    private static Integer integer(Map<String, String[]> parameters, String name, int fallback, int min, int max,
                                   HttpServletResponse response) throws IOException {
        String value = text(parameters, name);
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            badParameter(response, name, "'" + name + "' must be a whole number, got '" + value + "'");
            return null;
        }
        if (parsed < min || parsed > max) {
            badParameter(response, name, "'" + name + "' must be between " + min + " and " + max + ", got " + value);
            return null;
        }
        return (int) parsed;
    }

    private static void badParameter(HttpServletResponse response, String name, String message) throws IOException {
        ApiResponses.error(response, HttpServletResponse.SC_BAD_REQUEST, "invalid_parameter", message,
                Map.of("field", name));
    }

    // -------------------------------------------------------------------------------------------- diagnosis

    private void diagnose(String idOrEmail, HttpServletResponse response) throws IOException {
        String id = idOrEmail.trim();
        if (id.isEmpty() || id.contains("/")) {
            ApiResponses.error(response, HttpServletResponse.SC_NOT_FOUND, "not_found",
                    "no such endpoint: use GET " + ApiContext.ACCOUNTS_PATH + "/{id or email}/diagnosis");
            return;
        }
        EvidenceStore evidenceStore = store.get();
        if (evidenceStore == null) {
            storeMissing(response);
            return;
        }
        Diagnoser engine = diagnoser.get();
        if (engine == null) {
            unavailable(response, "engine_unavailable", "the diagnosis engine is not running");
            return;
        }
        // Diagnoses share the permits of POST /api/v1/diagnoses: together they bound the engine's load.
        ApiSettings.Limits current = settings.limits();
        if (!current.permits().tryAcquire()) {
            response.setHeader("Retry-After", "1");
            ApiResponses.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "overloaded",
                    "too many diagnoses in progress (limit " + current.maxConcurrent() + "); retry shortly");
            return;
        }
        try {
            Optional<Evidence> evidence = evidenceStore.evidence(id, Instant.now());
            if (evidence.isEmpty()) {
                ApiResponses.error(response, HttpServletResponse.SC_NOT_FOUND, "unknown_account",
                        "no account with the id or email '" + id + "' is stored", Map.of("account", id));
                return;
            }
            Diagnosis diagnosis = engine.diagnose(evidence.get());
            ApiResponses.json(response, HttpServletResponse.SC_OK, diagnosis);
        } finally {
            current.permits().release();
        }
    }

    private static void storeMissing(HttpServletResponse response) throws IOException {
        unavailable(response, "store_unavailable",
                "the evidence store (feature synctriage-store) is not installed or not running");
    }

    private static void unavailable(HttpServletResponse response, String code, String message) throws IOException {
        response.setHeader("Retry-After", "30");
        ApiResponses.error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, code, message);
    }
}
