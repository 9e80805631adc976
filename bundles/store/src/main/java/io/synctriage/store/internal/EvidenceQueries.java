package io.synctriage.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.synctriage.model.AccountEvent;
import io.synctriage.model.AccountQuery;
import io.synctriage.model.ApiCall;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.LogLine;
import io.synctriage.model.Peer;
import io.synctriage.model.StoredAccount;
import io.synctriage.model.spi.PatternKind;

/**
 * The read side: accounts, listings and the evidence of one account. Every lookup is an index range
 * (by id, email, domain, family or time, see V1__evidence_store.sql); "by id or by email" is two indexed
 * queries merged here rather than one OR that H2 would answer with a scan.
 */
final class EvidenceQueries {

    private static final int IN_CHUNK = 500;
    /** A peer's failure without error/message takes the nearest auth-log line of that peer within this. */
    private static final Duration AUTH_LINE_NEAR = Duration.ofMinutes(10);
    /**
     * A diagnosis reads at most this many of the account's incidents, the latest: the engine answers S2/S3
     * from the latest that fits, and a flapping account must not make its evidence unbounded.
     */
    static final int MAX_INCIDENTS = 20;
    /** Members of one incident read as peers at most: the nearest in time to the account's failure. */
    static final int MAX_INCIDENT_PEERS = 50;
    private static final String FAILURE_TYPES;

    static {
        StringBuilder sb = new StringBuilder();
        for (String t : new java.util.TreeSet<>(AccountEvent.FAILURE_TYPES)) {
            sb.append(sb.length() == 0 ? "" : ", ").append('\'').append(t).append('\'');
        }
        FAILURE_TYPES = sb.toString();
    }

    private final StoreSettings settings;

    EvidenceQueries(StoreSettings settings) {
        this.settings = settings;
    }

    // ------------------------------------------------------------------------------------------- accounts

    Optional<AccountRow> find(Connection c, String idOrEmail) throws SQLException {
        if (Records.blank(idOrEmail)) {
            return Optional.empty();
        }
        String key = idOrEmail.trim();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + AccountRow.COLUMNS + " FROM accounts WHERE id = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(AccountRow.read(rs));
                }
            }
        }
        if (key.indexOf('@') < 0) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + AccountRow.COLUMNS
                + " FROM accounts WHERE email = ? ORDER BY updated_at DESC, id DESC LIMIT 1")) {
            ps.setString(1, Records.lower(key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(AccountRow.read(rs)) : Optional.empty();
            }
        }
    }

    List<StoredAccount> list(Connection c, AccountQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + AccountRow.COLUMNS + " FROM accounts WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (!Records.blank(q.state())) {
            sql.append(" AND state = ?");
            args.add(Records.lower(q.state()));
        }
        if (!Records.blank(q.domain())) {
            sql.append(" AND domain = ?");
            args.add(Records.lower(q.domain()));
        }
        if (!Records.blank(q.provider())) {
            // the provider as stored (eas, office365) or a family id (microsoft)
            sql.append(" AND (provider = ? OR family = ?)");
            args.add(Records.lower(q.provider()));
            args.add(Records.lower(q.provider()));
        }
        sql.append(" ORDER BY updated_at DESC, id ASC LIMIT ? OFFSET ?");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (String a : args) {
                ps.setString(i++, a);
            }
            ps.setInt(i++, q.limit());
            ps.setInt(i, q.offset());
            List<StoredAccount> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(AccountRow.read(rs).toStored());
                }
            }
            return out;
        }
    }

    // ------------------------------------------------------------------------------------------- evidence

    Optional<Evidence> evidence(Connection c, String idOrEmail, Instant now) throws SQLException {
        Optional<AccountRow> found = find(c, idOrEmail);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AccountRow account = found.get();
        int max = settings.evidenceMaxRows();

        List<AccountEvent> events = new ArrayList<>();
        for (Row<AccountEvent> r : ownRows(c, "notifications", null, account, max, EvidenceQueries::event)) {
            events.add(r.value());
        }
        List<ApiCall> calls = new ArrayList<>();
        for (Row<ApiCall> r : ownRows(c, "api_calls", null, account, max, EvidenceQueries::apiCall)) {
            calls.add(r.value());
        }
        List<LogLine> syncLog = new ArrayList<>();
        for (Row<LogLine> r : ownRows(c, "log_lines", EvidenceSource.SYNC_LOG, account, max, EvidenceQueries::logLine)) {
            syncLog.add(r.value());
        }
        List<LogLine> authLog = new ArrayList<>();
        for (Row<LogLine> r : ownRows(c, "log_lines", EvidenceSource.AUTH_LOG, account, max, EvidenceQueries::logLine)) {
            authLog.add(r.value());
        }

        Instant latestFailure = null;
        for (AccountEvent e : events) {
            if (e.isFailure() && e.timestamp() != null && (latestFailure == null || e.timestamp().isAfter(latestFailure))) {
                latestFailure = e.timestamp();
            }
        }
        List<Incident> incidents = IncidentQueries.ofAccount(c, account.id, MAX_INCIDENTS);
        List<Peer> peers = peers(c, account, latestFailure, now, incidents);

        Set<EvidenceSource> supplied = EnumSet.of(EvidenceSource.ACCOUNT);
        if (!events.isEmpty()) {
            supplied.add(EvidenceSource.WEBHOOKS);
        }
        if (!calls.isEmpty()) {
            supplied.add(EvidenceSource.API_LOG);
        }
        if (!syncLog.isEmpty()) {
            supplied.add(EvidenceSource.SYNC_LOG);
        }
        if (!authLog.isEmpty()) {
            supplied.add(EvidenceSource.AUTH_LOG);
        }
        // The store speaks for the fleet once it holds other accounts at all: "none of them is of this
        // domain / failed" is then a real answer. A store that only knows this one account knows nothing
        // about its peers, and says so (peers missing).
        if (!peers.isEmpty() || hasOtherAccounts(c, account.id)) {
            supplied.add(EvidenceSource.PEERS);
        }
        if (account.provider != null) {
            supplied.add(EvidenceSource.PROVIDER);
        }
        return Optional.of(new Evidence(account.toAccount(), events, calls, syncLog, authLog, peers, now, supplied,
                incidents));
    }

    private interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private record Row<T>(long seq, Instant orderedAt, T value) {
    }

    /**
     * The account's rows of one table: those naming its id, plus those naming only its email (no id), the
     * latest {@code max}, oldest first.
     */
    private <T> List<Row<T>> ownRows(Connection c, String table, EvidenceSource source, AccountRow account, int max,
                                     Mapper<T> mapper) throws SQLException {
        String sourceFilter = source == null ? "" : " AND source = '" + source.key() + "'";
        List<Row<T>> rows = new ArrayList<>(query(c, "SELECT * FROM " + table + " WHERE account_id = ?" + sourceFilter
                + " ORDER BY ordered_at DESC, seq DESC LIMIT " + max, List.of(account.id), mapper));
        if (account.email != null) {
            rows.addAll(query(c, "SELECT * FROM " + table + " WHERE email = ? AND account_id IS NULL" + sourceFilter
                    + " ORDER BY ordered_at DESC, seq DESC LIMIT " + max, List.of(account.email), mapper));
        }
        rows.sort(Comparator.comparing((Row<T> r) -> r.orderedAt()).thenComparingLong(Row::seq));
        return rows.size() <= max ? rows : new ArrayList<>(rows.subList(rows.size() - max, rows.size()));
    }

    private static <T> List<Row<T>> query(Connection c, String sql, List<String> args, Mapper<T> mapper)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            List<Row<T>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Row<>(rs.getLong("seq"), Sql.getInstant(rs, "ordered_at"), mapper.map(rs)));
                }
            }
            return out;
        }
    }

    private boolean hasOtherAccounts(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM accounts WHERE id <> ? LIMIT 1")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- peers

    /** A time range of notifications (and, widened by {@link #AUTH_LINE_NEAR}, auth-log lines) to read for peers. */
    private record Window(Instant from, Instant to) {
    }

    /** Peers whose account rows are read, and no events. */
    private static final Window ROWS_ONLY = new Window(Instant.EPOCH, Instant.EPOCH);

    /**
     * Peers, at most {@code peer.limit}: accounts with the same email (successors, duplicate
     * authorisations), then the accounts of the same (non-consumer) domain that failed in the look-back
     * window, then the accounts of the same provider family that failed within the provider window of the
     * account's latest failure, then the other members of the account's incidents (not of a flapping one:
     * its only member is the account), then the rest of the domain (its rows only). Each with its notifications in the
     * window [anchor - look-back, anchor + after], where the anchor is the account's latest failure (or
     * now); an incident member found only through its incident with its notifications in [incident's
     * first failure - look-back, its last failure + after], so that the failures that made the incident
     * are there for the engine to cite.
     */
    private List<Peer> peers(Connection c, AccountRow account, Instant latestFailure, Instant now,
                             List<Incident> incidents) throws SQLException {
        int limit = settings.peerLimit();
        if (limit == 0) {
            return List.of();
        }
        Instant anchor = latestFailure != null ? latestFailure : now;
        Instant from = anchor.minus(settings.peerLookback());
        Instant to = anchor.plus(settings.peerAfter());
        Set<String> ids = new LinkedHashSet<>();

        if (account.email != null) {
            addIds(c, ids, limit, "SELECT id FROM accounts WHERE email = ? AND id <> ? ORDER BY updated_at DESC LIMIT ?",
                    account.email, account.id, null, null);
        }
        boolean domainPeers = account.domain != null && !settings.isConsumerDomain(account.domain);
        if (domainPeers) {
            // one range of notifications_domain per failure type: the domain's failures of the window only
            addIds(c, ids, limit, "SELECT DISTINCT account_id FROM notifications WHERE domain = ? AND account_id <> ?"
                            + " AND type IN (" + FAILURE_TYPES + ") AND ordered_at >= ? AND ordered_at <= ? LIMIT ?",
                    account.domain, account.id, from, to);
        }
        Instant wideFrom = anchor.minus(settings.providerWindow());
        Instant wideTo = anchor.plus(settings.providerWindow());
        if (latestFailure != null && account.family != null) {
            // Driven by the notifications of the window (notifications_time), each checked against its account's
            // family by primary key. As a join, H2 drives it from accounts_family instead: every account of the
            // family (half the fleet is Microsoft) for each diagnosis.
            addIds(c, ids, limit, "SELECT DISTINCT n.account_id FROM notifications n WHERE EXISTS (SELECT 1 FROM accounts a"
                            + " WHERE a.id = n.account_id AND a.family = ?) AND n.account_id <> ? AND n.type IN ("
                            + FAILURE_TYPES + ") AND n.ordered_at >= ? AND n.ordered_at <= ? LIMIT ?",
                    account.family.id(), account.id, wideFrom, wideTo);
        }
        Window window = new Window(from.isBefore(wideFrom) ? from : wideFrom, to.isAfter(wideTo) ? to : wideTo);
        Map<String, Window> incidentWindows = incidentMembers(account, incidents, ids, limit, anchor);
        int beforeRest = ids.size();
        if (domainPeers) {
            addIds(c, ids, limit, "SELECT id FROM accounts WHERE domain = ? AND id <> ? ORDER BY updated_at DESC LIMIT ?",
                    account.domain, account.id, null, null);
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        // The rest of the domain did not fail in the window (the failing ones were taken first): the engine
        // counts them, but none of their events can join a pattern, and a large domain has hundreds. Their rows
        // only (measured on PostgreSQL, 100,000 accounts: reading their notifications was most of a diagnosis).
        Map<Window, List<String>> byWindow = new LinkedHashMap<>();
        int n = 0;
        for (String id : ids) {
            Window w = n++ >= beforeRest ? ROWS_ONLY : incidentWindows.getOrDefault(id, window);
            byWindow.computeIfAbsent(w, k -> new ArrayList<>()).add(id);
        }

        Map<String, AccountRow> rows = new HashMap<>();
        Map<String, List<AccountEvent>> events = new HashMap<>();
        Map<String, List<LogLine>> authLines = new HashMap<>();
        for (Map.Entry<Window, List<String>> group : byWindow.entrySet()) {
            readPeers(c, group.getValue(), group.getKey(), rows, events, authLines);
        }
        List<Peer> peers = new ArrayList<>(rows.size());
        for (String id : ids) {
            AccountRow r = rows.get(id);
            if (r != null) {
                peers.add(r.toPeer(withAuthErrors(events.getOrDefault(id, List.of()), authLines.getOrDefault(id, List.of()))));
            }
        }
        return peers;
    }

    /**
     * Adds the members of the account's incidents (latest incident first, flapping ones skipped) that are
     * not peers yet, at most {@link #MAX_INCIDENT_PEERS} of each incident — those that failed nearest to the
     * anchor — and {@code limit} in all; returns the notification window of each one added.
     *
     * <p>Why a cap: a provider-wide or schedule incident of a large fleet has hundreds of members over months
     * (measured: Testing mode, 150 members over 90 days), and reading all their notifications and auth logs for
     * every member's diagnosis was most of its time. The engine takes the incident's pattern, members and period
     * from the incident itself; the peers only need to show the failures around this one.
     */
    private Map<String, Window> incidentMembers(AccountRow account, List<Incident> incidents, Set<String> ids,
                                                int limit, Instant anchor) {
        Map<String, Window> added = new HashMap<>();
        for (Incident incident : incidents) {
            if (incident.kind() == PatternKind.FLAPPING) {
                continue;
            }
            Window w = new Window(incident.firstAt().minus(settings.peerLookback()),
                    incident.lastAt().plus(settings.peerAfter()));
            List<IncidentMember> members = new ArrayList<>(incident.accounts());
            members.sort(Comparator.comparingLong(m -> m.failedAt() == null ? Long.MAX_VALUE
                    : Math.abs(Duration.between(anchor, m.failedAt()).getSeconds())));
            int taken = 0;
            for (IncidentMember m : members) {
                if (ids.size() >= limit) {
                    return added;
                }
                if (taken >= MAX_INCIDENT_PEERS) {
                    break;
                }
                String id = m.accountId().trim();
                if (!id.equalsIgnoreCase(account.id) && ids.add(id)) {
                    added.put(id, w);
                    taken++;
                }
            }
        }
        return added;
    }

    /**
     * The account rows, notifications in the window and — for the peers with a failure that does not say why —
     * the auth-log lines around it. Most peers (the rest of a large domain) did not fail in the window: reading
     * their auth logs too cost most of a diagnosis at scale (measured on PostgreSQL, 100,000 accounts: ~130 ms of
     * a 200 ms diagnosis for 500 peers) and changed nothing.
     */
    private static void readPeers(Connection c, List<String> ids, Window window, Map<String, AccountRow> rows,
                                  Map<String, List<AccountEvent>> events, Map<String, List<LogLine>> authLines)
            throws SQLException {
        for (int start = 0; start < ids.size(); start += IN_CHUNK) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + IN_CHUNK));
            String in = Sql.placeholders(chunk.size());
            try (PreparedStatement ps = c.prepareStatement("SELECT " + AccountRow.COLUMNS + " FROM accounts WHERE id IN (" + in + ")")) {
                bind(ps, chunk);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AccountRow r = AccountRow.read(rs);
                        rows.put(r.id, r);
                    }
                }
            }
            // Joined from the accounts (an IN list on their primary key), each then one range of its own
            // (account_id, ordered_at) index entries. "account_id IN (…) AND ordered_at BETWEEN …" on the table
            // itself makes H2 2.x give up the IN list and scan the whole index (measured: 1M entries read for 37
            // peers, seconds per diagnosis).
            if (window == ROWS_ONLY) {
                continue;
            }
            Set<String> unexplained = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT n.* FROM accounts a JOIN notifications n"
                    + " ON n.account_id = a.id AND n.ordered_at >= ? AND n.ordered_at <= ? WHERE a.id IN (" + in
                    + ") ORDER BY n.ordered_at, n.seq")) {
                Sql.setInstant(ps, 1, window.from());
                Sql.setInstant(ps, 2, window.to());
                bind(ps, chunk, 3);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AccountEvent e = event(rs);
                        events.computeIfAbsent(e.accountId(), k -> new ArrayList<>()).add(e);
                        if (needsAuthLine(e)) {
                            unexplained.add(e.accountId());
                        }
                    }
                }
            }
            List<String> needLines = new ArrayList<>(unexplained);
            if (needLines.isEmpty()) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT l.* FROM accounts a JOIN log_lines l"
                    + " ON l.account_id = a.id AND l.source = 'auth_log' AND l.ordered_at >= ? AND l.ordered_at <= ?"
                    + " WHERE a.id IN (" + Sql.placeholders(needLines.size()) + ") ORDER BY l.ordered_at, l.seq")) {
                Sql.setInstant(ps, 1, window.from().minus(AUTH_LINE_NEAR));
                Sql.setInstant(ps, 2, window.to().plus(AUTH_LINE_NEAR));
                bind(ps, needLines, 3);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LogLine l = logLine(rs);
                        if (l.timestamp() != null) {
                            authLines.computeIfAbsent(l.accountId(), k -> new ArrayList<>()).add(l);
                        }
                    }
                }
            }
        }
    }

    /** A failure that says nothing about why: {@link #withAuthErrors} looks for its auth-log line. */
    private static boolean needsAuthLine(AccountEvent e) {
        return e.isFailure() && e.timestamp() != null && Records.blank(e.error()) && Records.blank(e.message());
    }

    /**
     * A peer's failure notification rarely says why (v2 deltas carry no error); what that peer's failure
     * logged is its auth-log line at that moment. The nearest line within {@link #AUTH_LINE_NEAR} fills in
     * a failure's missing error and message.
     */
    private static List<AccountEvent> withAuthErrors(List<AccountEvent> events, Collection<LogLine> lines) {
        if (lines.isEmpty()) {
            return events;
        }
        List<AccountEvent> out = new ArrayList<>(events.size());
        for (AccountEvent e : events) {
            if (needsAuthLine(e)) {
                LogLine best = null;
                long bestGap = Long.MAX_VALUE;
                for (LogLine l : lines) {
                    long gap = Math.abs(Duration.between(e.timestamp(), l.timestamp()).toMillis());
                    if (gap <= AUTH_LINE_NEAR.toMillis() && gap < bestGap) {
                        best = l;
                        bestGap = gap;
                    }
                }
                if (best != null) {
                    e = new AccountEvent(e.type(), e.timestamp(), e.accountId(), e.email(), e.provider(), best.error(),
                            best.message(), e.notificationId(), e.reauthentication(), e.grantUpdatedAt());
                }
            }
            out.add(e);
        }
        return out;
    }

    private static void addIds(Connection c, Set<String> ids, int limit, String sql, String a, String b, Instant from,
                               Instant to) throws SQLException {
        int room = limit - ids.size();
        if (room <= 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, a);
            ps.setString(i++, b);
            if (from != null) {
                Sql.setInstant(ps, i++, from);
                Sql.setInstant(ps, i++, to);
            }
            // ask for as many as could be new: some may already be in the set
            ps.setInt(i, room + ids.size());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && ids.size() < limit) {
                    ids.add(rs.getString(1));
                }
            }
        }
    }

    private static int bind(PreparedStatement ps, List<String> values) throws SQLException {
        return bind(ps, values, 1);
    }

    /** Binds the values from parameter {@code first} on; returns the next parameter index. */
    private static int bind(PreparedStatement ps, List<String> values, int first) throws SQLException {
        int i = first;
        for (String v : values) {
            ps.setString(i++, v);
        }
        return i;
    }

    // -------------------------------------------------------------------------------------------- mappers

    private static AccountEvent event(ResultSet rs) throws SQLException {
        return new AccountEvent(rs.getString("type"), Sql.getInstant(rs, "occurred_at"), rs.getString("account_id"),
                rs.getString("email"), rs.getString("provider"), rs.getString("error"), rs.getString("message"),
                rs.getString("notification_id"), Sql.getBoolean(rs, "reauthentication"),
                Sql.getInstant(rs, "grant_updated_at"));
    }

    private static ApiCall apiCall(ResultSet rs) throws SQLException {
        return new ApiCall(Sql.getInstant(rs, "occurred_at"), rs.getString("method"), rs.getString("path"),
                Sql.getInteger(rs, "status"), rs.getString("account_id"), rs.getString("email"),
                Json.read(rs.getString("body_json")), rs.getString("body_text"), rs.getString("response_text"));
    }

    private static LogLine logLine(ResultSet rs) throws SQLException {
        EvidenceSource source = "auth_log".equals(rs.getString("source")) ? EvidenceSource.AUTH_LOG : EvidenceSource.SYNC_LOG;
        return new LogLine(source, Sql.getInstant(rs, "occurred_at"), rs.getString("level"), rs.getString("error"),
                rs.getString("message"), rs.getString("account_id"), rs.getString("email"));
    }
}
