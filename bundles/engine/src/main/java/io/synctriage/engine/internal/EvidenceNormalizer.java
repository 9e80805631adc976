package io.synctriage.engine.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.ApiCall;
import io.synctriage.model.AuthType;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.InvalidEvidenceException;
import io.synctriage.model.LogLine;
import io.synctriage.model.Peer;
import io.synctriage.model.ProviderFamily;

/**
 * Turns a raw evidence bundle (the JSON tree of spec/api.md as plain Java values) into
 * {@link Evidence}: both API v2 account shapes and v3 grants, v2 deliveries/deltas and v3
 * notifications, ISO-8601 or epoch timestamps, provider spellings → family + auth type.
 *
 * <p>Lenient where platforms differ (unknown states, extra fields, message objects), strict where
 * a wrong type would silently change the answer (a timestamp that is not a time, an array that is
 * an object): those are {@link InvalidEvidenceException}s naming the field.
 */
public final class EvidenceNormalizer {

    private static final Comparator<Instant> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());

    /** v3 grant notification codes: grant.expired, .created, .deleted, .updated. */
    private static final Set<String> KNOWN_V3_CODES = Set.of("25009", "25012", "25013", "25014");

    private final Clock clock;

    public EvidenceNormalizer(Clock clock) {
        this.clock = clock;
    }

    public Evidence normalize(Map<String, ?> bundle) throws InvalidEvidenceException {
        if (bundle == null) {
            throw new InvalidEvidenceException("$", "the evidence bundle must be a JSON object");
        }
        Set<EvidenceSource> supplied = EnumSet.noneOf(EvidenceSource.class);
        Object rawAccount = bundle.get("account");
        if (rawAccount == null) {
            throw new InvalidEvidenceException("account", "is required (an object with at least \"id\")");
        }
        Map<String, Object> acc = object(rawAccount, "account");
        supplied.add(EvidenceSource.ACCOUNT);
        Account given = account(acc, "account");
        String id = given.id();

        List<AccountEvent> allEvents = new ArrayList<>();
        if (bundle.get("webhooks") != null) {
            supplied.add(EvidenceSource.WEBHOOKS);
            List<Object> hooks = array(bundle.get("webhooks"), "webhooks");
            for (int i = 0; i < hooks.size(); i++) {
                readNotification(hooks.get(i), "webhooks[" + i + "]", allEvents);
            }
        }

        // The account's own notifications; a webhook element about another account is ignored.
        List<AccountEvent> events = new ArrayList<>();
        for (AccountEvent e : allEvents) {
            if (concerns(e.accountId(), e.email(), id, given.email())) {
                events.add(e);
            }
        }
        events.sort(Comparator.comparing(AccountEvent::timestamp, NULLS_FIRST));
        Account account = AccountEnrichment.enrich(given, Providers.authType(string(acc, "account", "authentication_type")), events);
        String email = account.email();
        String provider = account.provider();

        List<ApiCall> apiLog = new ArrayList<>();
        if (bundle.get("api_log") != null) {
            supplied.add(EvidenceSource.API_LOG);
            List<Object> rows = array(bundle.get("api_log"), "api_log");
            for (int i = 0; i < rows.size(); i++) {
                apiLog.add(readApiCall(rows.get(i), "api_log[" + i + "]"));
            }
            apiLog.sort(Comparator.comparing(ApiCall::timestamp, NULLS_FIRST));
        }
        List<LogLine> syncLog = readLog(bundle, EvidenceSource.SYNC_LOG, supplied);
        List<LogLine> authLog = readLog(bundle, EvidenceSource.AUTH_LOG, supplied);

        List<Peer> peers = new ArrayList<>();
        if (bundle.get("peers") != null) {
            supplied.add(EvidenceSource.PEERS);
            List<Object> rows = array(bundle.get("peers"), "peers");
            for (int i = 0; i < rows.size(); i++) {
                peers.add(readPeer(rows.get(i), "peers[" + i + "]"));
            }
        }
        if (provider != null) {
            supplied.add(EvidenceSource.PROVIDER);
        }
        Instant now = time(bundle.get("now"), "now");
        if (now == null) {
            now = clock.instant();
        }
        return new Evidence(account, events, apiLog, syncLog, authLog, peers, now, supplied);
    }

    /** One account object: the v2 management or /account shape, or a v3 grant; {@code id} is required. */
    public Account account(Object raw, String path) throws InvalidEvidenceException {
        Map<String, Object> acc = object(raw, path);
        String id = firstString(acc, path, "id", "grant_id", "account_id");
        if (id == null || id.isBlank()) {
            throw new InvalidEvidenceException(path + ".id", "is required and must be a non-empty string");
        }
        String grantStatus = string(acc, path, "grant_status");
        String provider = string(acc, path, "provider");
        AuthType explicitAuth = Providers.authType(string(acc, path, "authentication_type"));
        ProviderFamily family = Providers.family(provider, explicitAuth);
        boolean v3 = grantStatus != null || acc.containsKey("grant_id") || acc.containsKey("grant_status");
        return new Account(id, firstString(acc, path, "email", "email_address"), provider, family,
                Providers.effectiveAuth(family, explicitAuth), firstString(acc, path, "sync_state", "grant_status", "state"),
                string(acc, path, "billing_state"), time(acc.get("linked_at"), path, ".linked_at"),
                time(acc.get("created_at"), path, ".created_at"), time(acc.get("last_activity_at"), path, ".last_activity_at"),
                integer(acc.get("inbox_count"), path + ".inbox_count"), v3 ? 3 : 2);
    }

    // --- notifications -------------------------------------------------------------------------

    private void readNotification(Object raw, String path, List<AccountEvent> out) throws InvalidEvidenceException {
        Map<String, Object> n = object(raw, path);
        if (n.containsKey("deltas")) { // a whole v2 delivery
            List<Object> deltas = array(n.get("deltas"), path + ".deltas");
            for (int i = 0; i < deltas.size(); i++) {
                readNotification(deltas.get(i), path + ".deltas[" + i + "]", out);
            }
            return;
        }
        String type = string(n, path, "type");
        if (type == null) {
            throw new InvalidEvidenceException(path + ".type", "is required (e.g. \"account.invalid\", \"grant.expired\")");
        }
        if (n.get("data") instanceof Map || n.containsKey("specversion")) { // v3 CloudEvents-style notification
            Map<String, Object> data = n.get("data") == null ? Map.of() : object(n.get("data"), path + ".data");
            Map<String, Object> obj = data.get("object") == null ? Map.of() : object(data.get("object"), path + ".data.object");
            String objPath = path + ".data.object";
            Instant time = time(n.get("time"), path, ".time");
            if (time == null) {
                time = time(firstPresent(obj, "updated_at", "grant_updated_at"), objPath, ".updated_at");
            }
            String grantId = firstString(obj, objPath, "grant_id", "id");
            Object flag = obj.get("reauthentication_flag");
            Boolean reauth = flag == null ? null : bool(flag, objPath + ".reauthentication_flag");
            String error = firstString(obj, objPath, "error", "error_code");
            String code = obj.get("code") == null ? null : String.valueOf(obj.get("code"));
            if (error == null && code != null && !KNOWN_V3_CODES.contains(code)) {
                error = code; // an unexpected notification code is evidence: keep it as the error
            }
            out.add(new AccountEvent(type, time, grantId, string(obj, objPath, "email"), string(obj, objPath, "provider"),
                    error, firstString(obj, objPath, "message", "error_description"), string(n, path, "id"), reauth,
                    time(obj.get("grant_updated_at"), objPath, ".grant_updated_at")));
            return;
        }
        // v2 delta, or a plain event {type, timestamp, account_id?, email?, error?, message?}
        Map<String, Object> od = n.get("object_data") == null ? Map.of() : object(n.get("object_data"), path + ".object_data");
        String odPath = path + ".object_data";
        Instant time = time(firstPresent(n, "date", "timestamp", "time"), path, ".date");
        String accountId = firstString(od, odPath, "account_id", "id", "namespace_id");
        if (accountId == null) {
            accountId = firstString(n, path, "account_id", "grant_id");
        }
        out.add(new AccountEvent(type, time, accountId, firstString(n, path, "email"), string(n, path, "provider"),
                string(n, path, "error"), string(n, path, "message"), string(n, path, "id"), null, null));
    }

    // --- logs ----------------------------------------------------------------------------------

    public ApiCall readApiCall(Object raw, String path) throws InvalidEvidenceException {
        Map<String, Object> r = object(raw, path);
        Object body = r.get("body");
        Map<String, Object> bodyMap = Map.of();
        String bodyText = null;
        if (body instanceof Map) {
            bodyMap = object(body, path + ".body");
        } else if (body instanceof String) {
            bodyText = (String) body;
        } else if (body != null) {
            bodyText = Json.write(body);
        }
        String method = string(r, path, "method");
        Object response = r.get("response");
        return new ApiCall(time(firstPresent(r, "timestamp", "time", "date"), path, ".timestamp"),
                method == null ? null : method.trim().toUpperCase(Locale.ROOT),
                firstString(r, path, "path", "url", "endpoint"), integer(r.get("status"), path + ".status"),
                firstString(r, path, "account_id", "grant_id"), string(r, path, "email"), bodyMap, bodyText,
                response == null ? null : text(response));
    }

    private List<LogLine> readLog(Map<String, ?> bundle, EvidenceSource source, Set<EvidenceSource> supplied)
            throws InvalidEvidenceException {
        Object raw = bundle.get(source.key());
        if (raw == null) {
            return List.of();
        }
        supplied.add(source);
        List<Object> rows = array(raw, source.key());
        List<LogLine> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out.add(logLine(source, rows.get(i), source.key() + "[" + i + "]"));
        }
        out.sort(Comparator.comparing(LogLine::timestamp, NULLS_FIRST));
        return out;
    }

    /** One sync-log or auth-log record: an object, or a bare string. */
    public LogLine logLine(EvidenceSource source, Object row, String path) throws InvalidEvidenceException {
        if (row instanceof String) { // a bare log line
            return new LogLine(source, null, null, null, (String) row, null, null);
        }
        Map<String, Object> r = object(row, path);
        return new LogLine(source, time(firstPresent(r, "timestamp", "time", "date"), path, ".timestamp"),
                string(r, path, "level"), text(r.get("error")),
                text(firstPresent(r, "message", "msg", "text", "error_description")),
                firstString(r, path, "account_id", "grant_id"), string(r, path, "email"));
    }

    /** One webhook element (v2 delivery, v2 delta or v3 notification): the account events it carries. */
    public List<AccountEvent> notifications(Object raw, String path) throws InvalidEvidenceException {
        List<AccountEvent> out = new ArrayList<>();
        readNotification(raw, path, out);
        return out;
    }

    private Peer readPeer(Object raw, String path) throws InvalidEvidenceException {
        Map<String, Object> p = object(raw, path);
        String id = firstString(p, path, "id", "grant_id", "account_id");
        if (id == null || id.isBlank()) {
            id = path; // an anonymous peer still counts for its domain
        }
        String provider = string(p, path, "provider");
        AuthType explicitAuth = Providers.authType(string(p, path, "authentication_type"));
        ProviderFamily family = Providers.family(provider, explicitAuth);
        List<AccountEvent> events = new ArrayList<>();
        if (p.get("events") != null) {
            List<Object> rows = array(p.get("events"), path + ".events");
            for (int i = 0; i < rows.size(); i++) {
                String ep = path + ".events[" + i + "]";
                Map<String, Object> e = object(rows.get(i), ep);
                String type = string(e, ep, "type");
                if (type == null) {
                    throw new InvalidEvidenceException(ep + ".type", "is required (e.g. \"account.invalid\")");
                }
                Object flag = e.get("reauthentication_flag");
                events.add(new AccountEvent(type, time(firstPresent(e, "timestamp", "date", "time"), ep, ".timestamp"),
                        id, string(p, path, "email"), provider, text(e.get("error")),
                        text(e.get("message")), string(e, ep, "id"),
                        flag == null ? null : bool(flag, ep + ".reauthentication_flag"), null));
            }
            events.sort(Comparator.comparing(AccountEvent::timestamp, NULLS_FIRST));
        }
        Instant linkedAt = time(p.get("linked_at"), path, ".linked_at");
        if (linkedAt == null) {
            linkedAt = time(p.get("created_at"), path, ".created_at");
        }
        return new Peer(id, firstString(p, path, "email", "email_address"), provider, family,
                Providers.effectiveAuth(family, explicitAuth), firstString(p, path, "sync_state", "grant_status", "state"),
                linkedAt, events);
    }

    // --- typed access --------------------------------------------------------------------------

    static boolean concerns(String recordId, String recordEmail, String accountId, String accountEmail) {
        if (recordId != null) {
            return recordId.equalsIgnoreCase(accountId);
        }
        if (recordEmail != null) {
            return accountEmail != null && recordEmail.trim().equalsIgnoreCase(accountEmail.trim());
        }
        return true; // a notification inside the account's own bundle that names nobody is about it
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String path) throws InvalidEvidenceException {
        if (v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw new InvalidEvidenceException(path, "must be a JSON object, got " + Json.typeName(v));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(Object v, String path) throws InvalidEvidenceException {
        if (v instanceof List) {
            return (List<Object>) v;
        }
        throw new InvalidEvidenceException(path, "must be a JSON array, got " + Json.typeName(v));
    }

    private static Object firstPresent(Map<String, Object> m, String... keys) {
        for (String k : keys) {
            Object v = m.get(k);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String firstString(Map<String, Object> m, String path, String... keys) throws InvalidEvidenceException {
        for (String k : keys) {
            String v = string(m, path, k);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** A string field; numbers are accepted (ids are sometimes numeric), objects and arrays are not. */
    private static String string(Map<String, Object> m, String path, String key) throws InvalidEvidenceException {
        Object v = m.get(key);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        throw new InvalidEvidenceException(path + "." + key, "must be a string, got " + Json.typeName(v));
    }

    /** Free text (log messages): an object or array is kept as its JSON text, e.g. a token-endpoint body. */
    private static String text(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        return Json.write(v);
    }

    private static Integer integer(Object v, String path) throws InvalidEvidenceException {
        if (v == null) {
            return null;
        }
        if (v instanceof Number) {
            Number n = (Number) v;
            if (n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new InvalidEvidenceException(path, "must be a whole number, got " + v);
            }
            return n.intValue();
        }
        if (v instanceof String) {
            try {
                return Integer.valueOf(((String) v).trim());
            } catch (NumberFormatException e) {
                throw new InvalidEvidenceException(path, "must be a whole number, got \"" + v + "\"");
            }
        }
        throw new InvalidEvidenceException(path, "must be a whole number, got " + Json.typeName(v));
    }

    private static Boolean bool(Object v, String path) throws InvalidEvidenceException {
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v instanceof String && ("true".equalsIgnoreCase((String) v) || "false".equalsIgnoreCase((String) v))) {
            return Boolean.valueOf((String) v);
        }
        throw new InvalidEvidenceException(path, "must be true or false, got " + Json.typeName(v));
    }

    /**
     * {@link #time(Object, String)} with the path of the field as {@code parent + field}, built only for
     * an error message: a bundle has a hundred or more timestamps, nearly all in the common shape.
     */
    private static Instant time(Object v, String parent, String field) throws InvalidEvidenceException {
        if (v instanceof String) {
            Instant common = IsoInstants.parseCommon(((String) v).trim());
            if (common != null) {
                return common;
            }
        }
        return v == null ? null : time(v, parent + field);
    }

    /**
     * ISO-8601 (with offset or Z; without one it is UTC; a bare date is midnight UTC) or epoch
     * seconds (number or numeric string). Values above 10^11 are epoch milliseconds: no sync
     * platform has evidence from the year 5138.
     */
    static Instant time(Object v, String path) throws InvalidEvidenceException {
        if (v == null) {
            return null;
        }
        if (v instanceof Number) {
            return epoch(((Number) v).doubleValue(), path);
        }
        if (!(v instanceof String)) {
            throw new InvalidEvidenceException(path, "must be an ISO-8601 time or epoch seconds, got " + Json.typeName(v));
        }
        String s = ((String) v).trim();
        if (s.isEmpty()) {
            return null;
        }
        char c0 = s.charAt(0);
        if ((c0 >= '0' && c0 <= '9') && s.indexOf('-') < 0 && s.indexOf(':') < 0) {
            try {
                return epoch(Double.parseDouble(s), path);
            } catch (NumberFormatException e) {
                throw bad(path, s);
            }
        }
        Instant common = IsoInstants.parseCommon(s);
        if (common != null) {
            return common;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the other ISO-8601 forms below
        }
        try {
            return OffsetDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException ignored) {
            // no offset
        }
        try {
            return LocalDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // a bare date?
        }
        try {
            return LocalDate.parse(s, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw bad(path, s);
        }
    }

    private static Instant epoch(double value, String path) throws InvalidEvidenceException {
        if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
            throw new InvalidEvidenceException(path, "is not a valid epoch time: " + value);
        }
        if (value >= 1e11) {
            return Instant.ofEpochMilli((long) value);
        }
        long seconds = (long) value;
        return Instant.ofEpochSecond(seconds, (long) ((value - seconds) * 1e9));
    }

    private static InvalidEvidenceException bad(String path, String s) {
        return new InvalidEvidenceException(path, "is not an ISO-8601 time or epoch seconds: \"" + s + "\"");
    }
}
