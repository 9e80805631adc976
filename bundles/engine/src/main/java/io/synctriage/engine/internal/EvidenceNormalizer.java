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
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.ApiCall;
import io.synctriage.model.AuthType;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceReader;
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
 *
 * <p>It is the engine's {@link EvidenceReader} (the store's sources read single records through it), and the
 * one the other bundles' tests use: no copy of it in each.
 */
public final class EvidenceNormalizer implements EvidenceReader {

    private static final Comparator<Instant> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());
    private static final Comparator<AccountEvent> EVENTS_BY_TIME = Comparator.comparing(AccountEvent::timestamp, NULLS_FIRST);
    private static final Comparator<LogLine> LINES_BY_TIME = Comparator.comparing(LogLine::timestamp, NULLS_FIRST);
    private static final Comparator<ApiCall> CALLS_BY_TIME = Comparator.comparing(ApiCall::timestamp, NULLS_FIRST);

    /*
     * The keys a value may come under, in order of preference. Constants rather than varargs: the
     * helpers run for every record of a bundle, and a fresh array per call was a visible allocation.
     */
    private static final String[] ID_KEYS = {"id", "grant_id", "account_id"};
    private static final String[] EMAIL_KEYS = {"email", "email_address"};
    private static final String[] STATE_KEYS = {"sync_state", "grant_status", "state"};
    private static final String[] RECORD_ACCOUNT_KEYS = {"account_id", "grant_id"};
    private static final String[] LINE_TIME_KEYS = {"timestamp", "time", "date"};
    private static final String[] DELTA_TIME_KEYS = {"date", "timestamp", "time"};
    private static final String[] MESSAGE_KEYS = {"message", "msg", "text", "error_description"};
    private static final String[] PATH_KEYS = {"path", "url", "endpoint"};
    private static final String[] GRANT_UPDATE_KEYS = {"updated_at", "grant_updated_at"};
    private static final String[] GRANT_ID_KEYS = {"grant_id", "id"};
    private static final String[] V3_ERROR_KEYS = {"error", "error_code"};
    private static final String[] V3_MESSAGE_KEYS = {"message", "error_description"};
    private static final String[] DELTA_ACCOUNT_KEYS = {"account_id", "id", "namespace_id"};
    private static final String[] EMAIL_KEY = {"email"};

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
        Map<String, Object> acc = object(rawAccount, Path.ACCOUNT);
        supplied.add(EvidenceSource.ACCOUNT);
        Account given = account(acc, Path.ACCOUNT);
        String id = given.id();

        List<AccountEvent> allEvents = new ArrayList<>();
        if (bundle.get("webhooks") != null) {
            supplied.add(EvidenceSource.WEBHOOKS);
            List<Object> hooks = array(bundle.get("webhooks"), Path.WEBHOOKS);
            for (int i = 0; i < hooks.size(); i++) {
                readNotification(hooks.get(i), Path.WEBHOOKS.index(i), allEvents);
            }
        }

        // The account's own notifications; a webhook element about another account is ignored.
        List<AccountEvent> events = new ArrayList<>(allEvents.size());
        for (AccountEvent e : allEvents) {
            if (concerns(e.accountId(), e.email(), id, given.email())) {
                events.add(e);
            }
        }
        sortIfNeeded(events, EVENTS_BY_TIME);
        Account account = AccountEnrichment.enrich(given, Providers.authType(string(acc, Path.ACCOUNT, "authentication_type")), events);
        String provider = account.provider();

        List<ApiCall> apiLog = new ArrayList<>();
        if (bundle.get("api_log") != null) {
            supplied.add(EvidenceSource.API_LOG);
            List<Object> rows = array(bundle.get("api_log"), Path.API_LOG);
            apiLog = new ArrayList<>(rows.size());
            Path row = Path.API_LOG.cursor();
            for (int i = 0; i < rows.size(); i++) {
                apiLog.add(readApiCall(rows.get(i), row.at(i)));
            }
            sortIfNeeded(apiLog, CALLS_BY_TIME);
        }
        List<LogLine> syncLog = readLog(bundle, EvidenceSource.SYNC_LOG, Path.SYNC_LOG, supplied);
        List<LogLine> authLog = readLog(bundle, EvidenceSource.AUTH_LOG, Path.AUTH_LOG, supplied);

        List<Peer> peers = new ArrayList<>();
        if (bundle.get("peers") != null) {
            supplied.add(EvidenceSource.PEERS);
            List<Object> rows = array(bundle.get("peers"), Path.PEERS);
            peers = new ArrayList<>(rows.size());
            Families families = new Families();
            // one of each, refilled for every peer and event: a bundle has dozens of them
            PeerFields peerFields = new PeerFields();
            EventFields eventFields = new EventFields();
            Path row = Path.PEERS.cursor();
            for (int i = 0; i < rows.size(); i++) {
                peers.add(readPeer(rows.get(i), row.at(i), families, peerFields, eventFields));
            }
        }
        if (provider != null) {
            supplied.add(EvidenceSource.PROVIDER);
        }
        Instant now = time(bundle.get("now"), "now");
        if (now == null) {
            now = clock.instant();
        }
        // An immutable set, which Evidence keeps as it is: its Set.copyOf of an EnumSet goes through a HashSet.
        // (Evidence only asks which sources it contains, never their order.)
        return new Evidence(account, events, apiLog, syncLog, authLog, peers, now,
                Set.of(supplied.toArray(new EvidenceSource[0])));
    }

    /** One account object: the v2 management or /account shape, or a v3 grant; {@code id} is required. */
    @Override
    public Account account(Object raw, String path) throws InvalidEvidenceException {
        return account(raw, Path.root(path));
    }

    private Account account(Object raw, Path path) throws InvalidEvidenceException {
        Map<String, Object> acc = object(raw, path);
        String id = firstString(acc, path, ID_KEYS);
        if (id == null || id.isBlank()) {
            throw new InvalidEvidenceException(path + ".id", "is required and must be a non-empty string");
        }
        String grantStatus = string(acc, path, "grant_status");
        String provider = string(acc, path, "provider");
        AuthType explicitAuth = Providers.authType(string(acc, path, "authentication_type"));
        ProviderFamily family = Providers.family(provider, explicitAuth);
        boolean v3 = grantStatus != null || acc.containsKey("grant_id") || acc.containsKey("grant_status");
        return new Account(id, firstString(acc, path, EMAIL_KEYS), provider, family,
                Providers.effectiveAuth(family, explicitAuth), firstString(acc, path, STATE_KEYS),
                string(acc, path, "billing_state"), time(acc.get("linked_at"), path, ".linked_at"),
                time(acc.get("created_at"), path, ".created_at"), time(acc.get("last_activity_at"), path, ".last_activity_at"),
                integer(acc.get("inbox_count"), path, ".inbox_count"), v3 ? 3 : 2);
    }

    // --- notifications -------------------------------------------------------------------------

    private void readNotification(Object raw, Path path, List<AccountEvent> out) throws InvalidEvidenceException {
        Map<String, Object> n = object(raw, path);
        if (n.containsKey("deltas")) { // a whole v2 delivery
            Path deltasPath = path.field("deltas");
            List<Object> deltas = array(n.get("deltas"), deltasPath);
            for (int i = 0; i < deltas.size(); i++) {
                readNotification(deltas.get(i), deltasPath.index(i), out);
            }
            return;
        }
        String type = string(n, path, "type");
        if (type == null) {
            throw new InvalidEvidenceException(path + ".type", "is required (e.g. \"account.invalid\", \"grant.expired\")");
        }
        if (n.get("data") instanceof Map || n.containsKey("specversion")) { // v3 CloudEvents-style notification
            Path dataPath = path.field("data");
            Path objPath = dataPath.field("object");
            Map<String, Object> data = n.get("data") == null ? Map.of() : object(n.get("data"), dataPath);
            Map<String, Object> obj = data.get("object") == null ? Map.of() : object(data.get("object"), objPath);
            Instant time = time(n.get("time"), path, ".time");
            if (time == null) {
                time = time(firstPresent(obj, GRANT_UPDATE_KEYS), objPath, ".updated_at");
            }
            String grantId = firstString(obj, objPath, GRANT_ID_KEYS);
            Object flag = obj.get("reauthentication_flag");
            Boolean reauth = flag == null ? null : bool(flag, objPath, ".reauthentication_flag");
            String error = firstString(obj, objPath, V3_ERROR_KEYS);
            String code = obj.get("code") == null ? null : String.valueOf(obj.get("code"));
            if (error == null && code != null && !KNOWN_V3_CODES.contains(code)) {
                error = code; // an unexpected notification code is evidence: keep it as the error
            }
            out.add(new AccountEvent(type, time, grantId, string(obj, objPath, "email"), string(obj, objPath, "provider"),
                    error, firstString(obj, objPath, V3_MESSAGE_KEYS), string(n, path, "id"), reauth,
                    time(obj.get("grant_updated_at"), objPath, ".grant_updated_at")));
            return;
        }
        // v2 delta, or a plain event {type, timestamp, account_id?, email?, error?, message?}
        Path odPath = path.field("object_data");
        Map<String, Object> od = n.get("object_data") == null ? Map.of() : object(n.get("object_data"), odPath);
        Instant time = time(firstPresent(n, DELTA_TIME_KEYS), path, ".date");
        String accountId = firstString(od, odPath, DELTA_ACCOUNT_KEYS);
        if (accountId == null) {
            accountId = firstString(n, path, RECORD_ACCOUNT_KEYS);
        }
        out.add(new AccountEvent(type, time, accountId, firstString(n, path, EMAIL_KEY), string(n, path, "provider"),
                string(n, path, "error"), string(n, path, "message"), string(n, path, "id"), null, null));
    }

    // --- logs ----------------------------------------------------------------------------------

    @Override
    public ApiCall apiCall(Object raw, String path) throws InvalidEvidenceException {
        return readApiCall(raw, Path.root(path));
    }

    private ApiCall readApiCall(Object raw, Path path) throws InvalidEvidenceException {
        Map<String, Object> r = object(raw, path);
        Object body = r.get("body");
        Map<String, Object> bodyMap = Map.of();
        String bodyText = null;
        if (body instanceof Map) {
            bodyMap = object(body, path.field("body"));
        } else if (body instanceof String) {
            bodyText = (String) body;
        } else if (body != null) {
            bodyText = Json.write(body);
        }
        String method = string(r, path, "method");
        Object response = r.get("response");
        return new ApiCall(time(firstPresent(r, LINE_TIME_KEYS), path, ".timestamp"),
                method == null ? null : method.trim().toUpperCase(Locale.ROOT),
                firstString(r, path, PATH_KEYS), integer(r.get("status"), path, ".status"),
                firstString(r, path, RECORD_ACCOUNT_KEYS), string(r, path, "email"), bodyMap, bodyText,
                response == null ? null : text(response));
    }

    private List<LogLine> readLog(Map<String, ?> bundle, EvidenceSource source, Path logPath, Set<EvidenceSource> supplied)
            throws InvalidEvidenceException {
        Object raw = bundle.get(source.key());
        if (raw == null) {
            return List.of();
        }
        supplied.add(source);
        List<Object> rows = array(raw, logPath);
        List<LogLine> out = new ArrayList<>(rows.size());
        Path cursor = logPath.cursor();
        for (int i = 0; i < rows.size(); i++) {
            out.add(logLine(source, rows.get(i), cursor.at(i)));
        }
        sortIfNeeded(out, LINES_BY_TIME);
        return out;
    }

    /** One sync-log or auth-log record: an object, or a bare string. */
    @Override
    public LogLine logLine(EvidenceSource source, Object row, String path) throws InvalidEvidenceException {
        return logLine(source, row, Path.root(path));
    }

    private LogLine logLine(EvidenceSource source, Object row, Path path) throws InvalidEvidenceException {
        if (row instanceof String) { // a bare log line
            return new LogLine(source, null, null, null, (String) row, null, null);
        }
        Map<String, Object> r = object(row, path);
        if (!(r instanceof HashMap)) {
            return new LogLine(source, time(firstPresent(r, LINE_TIME_KEYS), path, ".timestamp"),
                    string(r, path, "level"), text(r.get("error")),
                    text(firstPresent(r, MESSAGE_KEYS)),
                    firstString(r, path, RECORD_ACCOUNT_KEYS), string(r, path, "email"));
        }
        // The same reading from one pass over the record's few entries instead of a look-up per key
        // the record might have (most are absent): a bundle has a log line per sync. A HashMap's get
        // finds exactly the entry whose key equals, as the switch does.
        Object timestamp = null;
        Object time = null;
        Object date = null;
        Object level = null;
        Object error = null;
        Object message = null;
        Object msg = null;
        Object text = null;
        Object errorDescription = null;
        Object accountId = null;
        Object grantId = null;
        Object email = null;
        for (Map.Entry<String, Object> e : r.entrySet()) {
            String key = e.getKey();
            if (key == null) {
                continue;
            }
            switch (key) {
                case "timestamp" -> timestamp = e.getValue();
                case "time" -> time = e.getValue();
                case "date" -> date = e.getValue();
                case "level" -> level = e.getValue();
                case "error" -> error = e.getValue();
                case "message" -> message = e.getValue();
                case "msg" -> msg = e.getValue();
                case "text" -> text = e.getValue();
                case "error_description" -> errorDescription = e.getValue();
                case "account_id" -> accountId = e.getValue();
                case "grant_id" -> grantId = e.getValue();
                case "email" -> email = e.getValue();
                default -> {
                    // not read
                }
            }
        }
        return new LogLine(source, time(first(timestamp, time, date), path, ".timestamp"),
                stringValue(level, path, "level"), text(error),
                text(first(first(message, msg), first(text, errorDescription))),
                firstString(accountId, "account_id", grantId, "grant_id", path), stringValue(email, path, "email"));
    }

    /** One webhook element (v2 delivery, v2 delta or v3 notification): the account events it carries. */
    @Override
    public List<AccountEvent> notifications(Object raw, String path) throws InvalidEvidenceException {
        List<AccountEvent> out = new ArrayList<>();
        readNotification(raw, Path.root(path), out);
        return out;
    }

    private Peer readPeer(Object raw, Path path, Families families, PeerFields f, EventFields e)
            throws InvalidEvidenceException {
        Map<String, Object> p = object(raw, path);
        f.read(p);
        String id = firstString(path, f.id, "id", f.grantId, "grant_id", f.accountId, "account_id");
        if (id == null || id.isBlank()) {
            id = path.toString(); // an anonymous peer still counts for its domain
        }
        String provider = stringValue(f.provider, path, "provider");
        AuthType explicitAuth = Providers.authType(stringValue(f.authenticationType, path, "authentication_type"));
        ProviderFamily family = families.of(provider, explicitAuth);
        List<AccountEvent> events = List.of();
        // A peer's linked_at is most often the time of one of its events (its account.connected), and is
        // then not read twice: time() depends on the value alone, so the first event given the same value
        // has the time linked_at reads as.
        Object rawLinkedAt = f.linkedAt;
        Instant linkedAt = null;
        Object rawEvents = f.events;
        if (rawEvents != null) {
            Path eventsPath = path.field("events");
            List<Object> rows = array(rawEvents, eventsPath);
            Path cursor = eventsPath.cursor();
            AccountEvent[] read = new AccountEvent[rows.size()];
            // The peer's email, read where the first event reads it (so a wrong one fails at the same
            // point as before) and then reused: it is the same field for every event.
            String email = null;
            for (int i = 0; i < rows.size(); i++) {
                Path ep = cursor.at(i);
                e.read(object(rows.get(i), ep));
                String type = stringValue(e.type, ep, "type");
                if (type == null) {
                    throw new InvalidEvidenceException(ep + ".type", "is required (e.g. \"account.invalid\")");
                }
                Object rawTime = first(e.timestamp, e.date, e.time);
                Instant at = time(rawTime, ep, ".timestamp");
                if (linkedAt == null && rawLinkedAt != null && rawLinkedAt.equals(rawTime)) {
                    linkedAt = at;
                }
                if (i == 0) {
                    email = stringValue(f.email, path, "email");
                }
                String eventId = stringValue(e.id, ep, "id");
                Boolean reauth = e.flag == null ? null : bool(e.flag, ep, ".reauthentication_flag");
                read[i] = new AccountEvent(type, at, id, email, provider, text(e.error), text(e.message), eventId,
                        reauth, null);
            }
            events = inTimeOrder(read);
        }
        if (linkedAt == null) {
            linkedAt = time(rawLinkedAt, path, ".linked_at");
        }
        if (linkedAt == null) {
            linkedAt = time(f.createdAt, path, ".created_at");
        }
        return new Peer(id, firstString(f.email, "email", f.emailAddress, "email_address", path), provider, family,
                Providers.effectiveAuth(family, explicitAuth),
                firstString(path, f.syncState, "sync_state", f.grantStatus, "grant_status", f.state, "state"),
                linkedAt, events);
    }

    /**
     * The fields of a peer's event that {@link #readPeer} reads, in one pass over its entries (see logLine).
     * Refilled for each event (every field, so nothing of the last one remains).
     */
    private static final class EventFields {
        Object type;
        Object flag;
        Object timestamp;
        Object date;
        Object time;
        Object error;
        Object message;
        Object id;

        void read(Map<String, Object> e) {
            if (!(e instanceof HashMap)) {
                type = e.get("type");
                flag = e.get("reauthentication_flag");
                timestamp = e.get("timestamp");
                date = e.get("date");
                time = e.get("time");
                error = e.get("error");
                message = e.get("message");
                id = e.get("id");
                return;
            }
            type = null;
            flag = null;
            timestamp = null;
            date = null;
            time = null;
            error = null;
            message = null;
            id = null;
            for (Map.Entry<String, Object> entry : e.entrySet()) {
                String key = entry.getKey();
                if (key == null) {
                    continue;
                }
                switch (key) {
                    case "type" -> type = entry.getValue();
                    case "reauthentication_flag" -> flag = entry.getValue();
                    case "timestamp" -> timestamp = entry.getValue();
                    case "date" -> date = entry.getValue();
                    case "time" -> time = entry.getValue();
                    case "error" -> error = entry.getValue();
                    case "message" -> message = entry.getValue();
                    case "id" -> id = entry.getValue();
                    default -> {
                        // not read
                    }
                }
            }
        }
    }

    /**
     * The fields of a peer that {@link #readPeer} reads, in one pass over its entries (see logLine).
     * Refilled for each peer (every field, so nothing of the last one remains).
     */
    private static final class PeerFields {
        Object id;
        Object grantId;
        Object accountId;
        Object provider;
        Object authenticationType;
        Object events;
        Object email;
        Object emailAddress;
        Object linkedAt;
        Object createdAt;
        Object syncState;
        Object grantStatus;
        Object state;

        void read(Map<String, Object> p) {
            if (!(p instanceof HashMap)) {
                id = p.get("id");
                grantId = p.get("grant_id");
                accountId = p.get("account_id");
                provider = p.get("provider");
                authenticationType = p.get("authentication_type");
                events = p.get("events");
                email = p.get("email");
                emailAddress = p.get("email_address");
                linkedAt = p.get("linked_at");
                createdAt = p.get("created_at");
                syncState = p.get("sync_state");
                grantStatus = p.get("grant_status");
                state = p.get("state");
                return;
            }
            id = null;
            grantId = null;
            accountId = null;
            provider = null;
            authenticationType = null;
            events = null;
            email = null;
            emailAddress = null;
            linkedAt = null;
            createdAt = null;
            syncState = null;
            grantStatus = null;
            state = null;
            for (Map.Entry<String, Object> e : p.entrySet()) {
                String key = e.getKey();
                if (key == null) {
                    continue;
                }
                switch (key) {
                    case "id" -> id = e.getValue();
                    case "grant_id" -> grantId = e.getValue();
                    case "account_id" -> accountId = e.getValue();
                    case "provider" -> provider = e.getValue();
                    case "authentication_type" -> authenticationType = e.getValue();
                    case "events" -> events = e.getValue();
                    case "email" -> email = e.getValue();
                    case "email_address" -> emailAddress = e.getValue();
                    case "linked_at" -> linkedAt = e.getValue();
                    case "created_at" -> createdAt = e.getValue();
                    case "sync_state" -> syncState = e.getValue();
                    case "grant_status" -> grantStatus = e.getValue();
                    case "state" -> state = e.getValue();
                    default -> {
                        // not read
                    }
                }
            }
        }
    }

    /**
     * The family of each peer's provider spelling, remembered for the next peer: peers of a bundle
     * nearly all share the account's provider, and the spelling table lower-cases every look-up.
     * One per bundle; not shared between threads.
     */
    private static final class Families {
        private String provider;
        private AuthType auth;
        private ProviderFamily family;

        ProviderFamily of(String provider, AuthType explicitAuth) {
            if (provider == null || !provider.equals(this.provider) || explicitAuth != auth) {
                this.family = Providers.family(provider, explicitAuth);
                this.provider = provider;
                this.auth = explicitAuth;
            }
            return family;
        }
    }

    /**
     * A peer's events in time order, as {@link #sortIfNeeded} orders them, in an immutable list: Peer keeps
     * such a list as it is instead of copying it (a bundle has dozens of peers with a few events each).
     */
    private static List<AccountEvent> inTimeOrder(AccountEvent[] events) {
        for (int i = 1; i < events.length; i++) {
            if (EVENTS_BY_TIME.compare(events[i - 1], events[i]) > 0) {
                Arrays.sort(events, EVENTS_BY_TIME); // stable, as List.sort
                break;
            }
        }
        return List.of(events);
    }

    /**
     * Sorts stably by the comparator, unless the records are already in order (logs and events nearly
     * always are): the same result, without the sort's copy for the usual case.
     */
    private static <T> void sortIfNeeded(List<T> records, Comparator<? super T> order) {
        for (int i = 1; i < records.size(); i++) {
            if (order.compare(records.get(i - 1), records.get(i)) > 0) {
                records.sort(order);
                return;
            }
        }
    }

    /**
     * Where a value sits in the bundle ({@code peers[3].events[1]}), spelled out only when an error names
     * it or an anonymous peer is named after it: a bundle has hundreds of values, and building every path
     * string up front was a visible share of normalising one.
     */
    private static final class Path {
        static final Path ACCOUNT = root("account");
        static final Path WEBHOOKS = root("webhooks");
        static final Path API_LOG = root("api_log");
        static final Path SYNC_LOG = root(EvidenceSource.SYNC_LOG.key());
        static final Path AUTH_LOG = root(EvidenceSource.AUTH_LOG.key());
        static final Path PEERS = root("peers");

        private final Path parent;
        /** The field name, or null for an array index. */
        private final String field;
        /** The array index; set again and again on a {@link #cursor}. */
        private int index;

        private Path(Path parent, String field, int index) {
            this.parent = parent;
            this.field = field;
            this.index = index;
        }

        /** A path given whole (by a caller of the public readers, or a top-level key). */
        static Path root(String path) {
            return new Path(null, path, -1);
        }

        Path field(String name) {
            return new Path(this, name, -1);
        }

        Path index(int i) {
            return new Path(this, null, i);
        }

        /**
         * One element path for all the elements of an array, moved with {@link #at}: an array of log
         * lines needs no path object per line. Safe because a path is spelled out at once, when it names
         * an error or an anonymous peer, never kept.
         */
        Path cursor() {
            return new Path(this, null, 0);
        }

        Path at(int i) {
            index = i;
            return this;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            spell(sb);
            return sb.toString();
        }

        private void spell(StringBuilder sb) {
            if (parent == null) {
                sb.append(field);
                return;
            }
            parent.spell(sb);
            if (field != null) {
                sb.append('.').append(field);
            } else {
                sb.append('[').append(index).append(']');
            }
        }
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
    private static Map<String, Object> object(Object v, Path path) throws InvalidEvidenceException {
        if (v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw new InvalidEvidenceException(path.toString(), "must be a JSON object, got " + Json.typeName(v));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(Object v, Path path) throws InvalidEvidenceException {
        if (v instanceof List) {
            return (List<Object>) v;
        }
        throw new InvalidEvidenceException(path.toString(), "must be a JSON array, got " + Json.typeName(v));
    }

    private static Object firstPresent(Map<String, Object> m, String[] keys) {
        for (String k : keys) {
            Object v = m.get(k);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String firstString(Map<String, Object> m, Path path, String[] keys) throws InvalidEvidenceException {
        for (String k : keys) {
            String v = string(m, path, k);
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return null;
    }

    /** A string field; numbers are accepted (ids are sometimes numeric), objects and arrays are not. */
    private static String string(Map<String, Object> m, Path path, String key) throws InvalidEvidenceException {
        return stringValue(m.get(key), path, key);
    }

    /** {@link #firstString} over two values already read: the first that is a non-empty string. */
    private static String firstString(Object a, String keyA, Object b, String keyB, Path path)
            throws InvalidEvidenceException {
        String v = stringValue(a, path, keyA);
        if (v != null && !v.isEmpty()) {
            return v;
        }
        v = stringValue(b, path, keyB);
        return v != null && !v.isEmpty() ? v : null;
    }

    /** {@link #firstString} over three values already read. */
    private static String firstString(Path path, Object a, String keyA, Object b, String keyB, Object c, String keyC)
            throws InvalidEvidenceException {
        String v = firstString(a, keyA, b, keyB, path);
        if (v != null) {
            return v;
        }
        v = stringValue(c, path, keyC);
        return v != null && !v.isEmpty() ? v : null;
    }

    /** The first of the values that is not null (JSON null and absent are alike). */
    private static Object first(Object a, Object b) {
        return a != null ? a : b;
    }

    private static Object first(Object a, Object b, Object c) {
        return a != null ? a : b != null ? b : c;
    }

    /** The value of field {@code key} as a string (see {@link #string}). */
    private static String stringValue(Object v, Path path, String key) throws InvalidEvidenceException {
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

    /** A whole number at {@code parent + field} (the path spelled out only for an error). */
    private static Integer integer(Object v, Path parent, String field) throws InvalidEvidenceException {
        if (v == null) {
            return null;
        }
        if (v instanceof Integer) {
            return (Integer) v; // the usual JSON number (a status code): whole, nothing to check
        }
        if (v instanceof Number) {
            Number n = (Number) v;
            if (n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new InvalidEvidenceException(parent + field, "must be a whole number, got " + v);
            }
            return n.intValue();
        }
        if (v instanceof String) {
            try {
                return Integer.valueOf(((String) v).trim());
            } catch (NumberFormatException e) {
                throw new InvalidEvidenceException(parent + field, "must be a whole number, got \"" + v + "\"");
            }
        }
        throw new InvalidEvidenceException(parent + field, "must be a whole number, got " + Json.typeName(v));
    }

    /** true or false at {@code parent + field} (the path spelled out only for an error). */
    private static Boolean bool(Object v, Path parent, String field) throws InvalidEvidenceException {
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v instanceof String && ("true".equalsIgnoreCase((String) v) || "false".equalsIgnoreCase((String) v))) {
            return Boolean.valueOf((String) v);
        }
        throw new InvalidEvidenceException(parent + field, "must be true or false, got " + Json.typeName(v));
    }

    /**
     * {@link #time(Object, String)} with the path of the field as {@code parent + field}, built only for
     * an error message (or a rare shape): a bundle has a hundred or more timestamps, nearly all in the
     * common shape or epoch seconds.
     */
    private static Instant time(Object v, Path parent, String field) throws InvalidEvidenceException {
        if (v instanceof String) {
            // the common shape has no surrounding whitespace, so it needs no trim() first
            Instant common = IsoInstants.parseCommon((String) v);
            if (common == null) {
                common = IsoInstants.parseCommon(((String) v).trim());
            }
            if (common != null) {
                return common;
            }
        } else if (v instanceof Number) {
            // epoch seconds (v2 deltas carry them): valid ones need no path either
            double value = ((Number) v).doubleValue();
            if (isEpoch(value)) {
                return epochInstant(value);
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
        if (!isEpoch(value)) {
            throw new InvalidEvidenceException(path, "is not a valid epoch time: " + value);
        }
        return epochInstant(value);
    }

    private static boolean isEpoch(double value) {
        return !(Double.isNaN(value) || Double.isInfinite(value) || value < 0);
    }

    private static Instant epochInstant(double value) {
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
