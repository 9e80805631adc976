package io.synctriage.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.ApiCall;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceRecord.AccountSnapshot;
import io.synctriage.model.EvidenceRecord.ApiLogEntry;
import io.synctriage.model.EvidenceRecord.LogEntry;
import io.synctriage.model.EvidenceRecord.Notification;
import io.synctriage.model.LogLine;
import io.synctriage.model.StoreResult;

/**
 * Writes the records of one or more callers in the caller's open transaction (the caller commits). One
 * round trip per table: the accounts the records name are read (and locked) with one SELECT … FOR UPDATE,
 * merged in memory, then every table is written with one JDBC batch.
 *
 * <p>Order inside the transaction: snapshots and the implied creation of unknown accounts first, then the
 * notifications (INSERT … WHERE NOT EXISTS: a delivery key already stored, or seen earlier in the same
 * batch, inserts nothing and counts as a duplicate), then the state changes of the notifications that were
 * really inserted (a redelivery must not append to the history twice), in event-time order.
 */
final class BatchWriter {

    private static final int IN_CHUNK = 500;

    private static final String INSERT_NOTIFICATION = "INSERT INTO notifications (delivery_key, type, occurred_at, "
            + "ordered_at, account_id, email, provider, error, message, notification_id, reauthentication, "
            + "grant_updated_at, received_at, domain) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
            + "WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE delivery_key = ?)";
    private static final String INSERT_HISTORY = "INSERT INTO account_history (account_id, state, previous_state, "
            + "changed_at, source, trigger_type, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_API_CALL = "INSERT INTO api_calls (occurred_at, ordered_at, method, path, "
            + "status, account_id, email, body_json, body_text, response_text, received_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_LOG_LINE = "INSERT INTO log_lines (source, occurred_at, ordered_at, level, "
            + "error, message, account_id, email, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final Dialect dialect;

    BatchWriter(Dialect dialect) {
        this.dialect = dialect;
    }

    private record History(String accountId, String state, String previous, Instant changedAt, String source,
                           String trigger) {
    }

    private record PendingNotification(int request, int order, AccountEvent event, String key) {
    }

    /** Writes every request's records; returns one result per request, in order. Does not commit. */
    List<StoreResult> write(Connection c, List<List<EvidenceRecord>> requests, Instant now) throws SQLException {
        int n = requests.size();
        int[] stored = new int[n];
        int[] duplicates = new int[n];

        Map<String, AccountRow> accounts = lockAccounts(c, requests);
        List<History> history = new ArrayList<>();
        List<PendingNotification> notifications = new ArrayList<>();
        List<ApiCall> calls = new ArrayList<>();
        List<LogLine> lines = new ArrayList<>();

        for (int r = 0; r < n; r++) {
            for (EvidenceRecord rec : requests.get(r)) {
                // (Java 17: no pattern matching for switch yet; the record hierarchy is sealed)
                if (rec instanceof AccountSnapshot s) {
                    applySnapshot(accounts, s.account(), now, history);
                    stored[r]++;
                } else if (rec instanceof Notification no) {
                    AccountEvent e = no.event();
                    known(accounts, e.accountId(), e.email(), e.provider(), StateTransitions.apiVersionOf(e), now);
                    notifications.add(new PendingNotification(r, notifications.size(), e, Records.deliveryKey(no)));
                } else if (rec instanceof ApiLogEntry a) {
                    known(accounts, a.call().accountId(), a.call().email(), null, 2, now);
                    calls.add(a.call());
                    stored[r]++;
                } else if (rec instanceof LogEntry l) {
                    known(accounts, l.line().accountId(), l.line().email(), null, 2, now);
                    lines.add(l.line());
                    stored[r]++;
                }
            }
        }

        boolean[] isNew = insertNotifications(c, notifications, accounts, now);
        List<PendingNotification> inserted = new ArrayList<>();
        for (PendingNotification p : notifications) {
            if (isNew[p.order()]) {
                stored[p.request()]++;
                inserted.add(p);
                if (!Records.blank(p.event().accountId())) {
                    touch(accounts.get(p.event().accountId().trim()), now);
                }
            } else {
                duplicates[p.request()]++;
            }
        }
        // State changes in event-time order, so that a batch holding "invalid" then "running" ends running.
        List<PendingNotification> byTime = new ArrayList<>(inserted);
        byTime.sort(Comparator.comparing((PendingNotification p) -> p.event().timestamp(),
                Comparator.nullsLast(Comparator.naturalOrder())).thenComparingInt(PendingNotification::order));
        for (PendingNotification p : byTime) {
            applyTransition(accounts, p.event(), now, history);
        }

        writeAccounts(c, accounts);
        insertHistory(c, history, now);
        insertApiCalls(c, calls, now);
        insertLogLines(c, lines, now);

        List<StoreResult> results = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            results.add(new StoreResult(stored[r], duplicates[r]));
        }
        return results;
    }

    /**
     * Reads the accounts named by id and locks them until commit: on a PostgreSQL shared by several nodes
     * another node's transaction waits instead of overwriting this merge (ids sorted, so two nodes lock in
     * the same order). A concurrent first insert of the same new account is a unique violation, retried.
     */
    private static Map<String, AccountRow> lockAccounts(Connection c, List<List<EvidenceRecord>> requests)
            throws SQLException {
        TreeSet<String> ids = new TreeSet<>();
        for (List<EvidenceRecord> records : requests) {
            for (EvidenceRecord r : records) {
                String id = Records.accountId(r);
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        Map<String, AccountRow> rows = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT " + AccountRow.COLUMNS
                    + " FROM accounts WHERE id IN (" + Sql.placeholders(chunk.size()) + ") ORDER BY id FOR UPDATE")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AccountRow row = AccountRow.read(rs);
                        rows.put(row.id, row);
                    }
                }
            }
        }
        return rows;
    }

    /** The row of the account a record names by id, created from what the record says if unknown. */
    private static java.util.Optional<AccountRow> known(Map<String, AccountRow> accounts, String rawId, String email,
                                                       String provider, int apiVersion, Instant now) {
        if (Records.blank(rawId)) {
            return java.util.Optional.empty();
        }
        String id = rawId.trim();
        AccountRow row = accounts.get(id);
        if (row == null) {
            row = new AccountRow(id);
            row.isNew = true;
            row.dirty = true;
            row.apiVersion = apiVersion;
            row.firstSeenAt = now;
            row.updatedAt = now;
            accounts.put(id, row);
        }
        // Fill what the account does not know yet; a snapshot's values are never overwritten by a log record.
        if (row.email == null && !Records.blank(email)) {
            row.email(email);
            row.dirty = true;
        }
        if (row.provider == null && !Records.blank(provider)) {
            row.provider(provider, null);
            row.dirty = true;
        }
        return java.util.Optional.of(row);
    }

    private static void touch(AccountRow row, Instant now) {
        row.updatedAt = now;
        row.dirty = true;
    }

    /** Merges a snapshot: given values replace stored ones, absent (null) values keep what is stored. */
    private static void applySnapshot(Map<String, AccountRow> accounts, Account a, Instant now, List<History> history) {
        AccountRow row = known(accounts, a.id(), null, null, a.apiVersion(), now).orElseThrow();
        if (!Records.blank(a.email())) {
            row.email(a.email());
        }
        if (!Records.blank(a.provider()) || a.family() != null) {
            row.provider(Records.blank(a.provider()) ? row.provider : a.provider(), a.family());
        }
        if (a.authType() != null) {
            row.authType = a.authType();
        }
        if (!Records.blank(a.billingState())) {
            row.billingState = Records.lower(a.billingState());
        }
        row.linkedAt = a.linkedAt() != null ? a.linkedAt() : row.linkedAt;
        row.createdAt = a.createdAt() != null ? a.createdAt() : row.createdAt;
        row.lastActivityAt = a.lastActivityAt() != null ? a.lastActivityAt() : row.lastActivityAt;
        row.inboxCount = a.inboxCount() != null ? a.inboxCount() : row.inboxCount;
        if (a.apiVersion() == 2 || a.apiVersion() == 3) {
            row.apiVersion = a.apiVersion();
        }
        String state = Records.lower(a.state());
        if (state != null && !state.equals(row.state)) {
            history.add(new History(row.id, state, row.state, now, "snapshot", null));
            row.state = state;
            row.stateAt = now;
        }
        row.snapshotAt = now;
        row.updatedAt = now;
        row.dirty = true;
    }

    /**
     * A stored notification that says what the state became appends to the history; it becomes the current
     * state unless the state already changed later (a late, older notification must not roll a newer state back).
     */
    private static void applyTransition(Map<String, AccountRow> accounts, AccountEvent e, Instant now,
                                        List<History> history) {
        String next = StateTransitions.stateAfter(e);
        if (next == null || Records.blank(e.accountId())) {
            return;
        }
        AccountRow row = accounts.get(e.accountId().trim());
        Instant at = e.timestamp() != null ? e.timestamp() : now;
        boolean current = row.stateAt == null || !at.isBefore(row.stateAt);
        // the type as the notification row stores it (trimmed): the evidence feed joins the two on it
        history.add(new History(row.id, next, current ? row.state : null, at, "notification", e.type().trim()));
        if (current) {
            row.state = next;
            row.stateAt = at;
            row.dirty = true;
        }
    }

    /** Inserts the notifications whose key is not stored yet; element k says whether pending[k] was inserted. */
    private boolean[] insertNotifications(Connection c, List<PendingNotification> pending,
                                         Map<String, AccountRow> accounts, Instant now) throws SQLException {
        boolean[] inserted = new boolean[pending.size()];
        if (pending.isEmpty()) {
            return inserted;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_NOTIFICATION + dialect.insertIgnoreSuffix())) {
            for (PendingNotification p : pending) {
                AccountEvent e = p.event();
                int i = 1;
                ps.setString(i++, p.key());
                ps.setString(i++, e.type().trim());
                Sql.setInstant(ps, i++, e.timestamp());
                Sql.setInstant(ps, i++, e.timestamp() != null ? e.timestamp() : now);
                Sql.setString(ps, i++, Records.blank(e.accountId()) ? null : e.accountId().trim());
                Sql.setString(ps, i++, Records.lower(e.email()));
                Sql.setString(ps, i++, Records.lower(e.provider()));
                Sql.setString(ps, i++, Records.text(e.error()));
                Sql.setString(ps, i++, Records.text(e.message()));
                Sql.setString(ps, i++, e.notificationId());
                Sql.setBoolean(ps, i++, e.reauthentication());
                Sql.setInstant(ps, i++, e.grantUpdatedAt());
                Sql.setInstant(ps, i++, now);
                AccountRow account = Records.blank(e.accountId()) ? null : accounts.get(e.accountId().trim());
                Sql.setString(ps, i++, account == null ? null : account.domain);
                ps.setString(i, p.key());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int k = 0; k < counts.length; k++) {
                // SUCCESS_NO_INFO (-2) is not returned by H2 or pgjdbc for this statement; were a driver to, the
                // row counts as stored (the unique key still guarantees it is stored once).
                inserted[k] = counts[k] > 0 || counts[k] == Statement.SUCCESS_NO_INFO;
            }
            return inserted;
        }
    }

    private static void writeAccounts(Connection c, Map<String, AccountRow> accounts) throws SQLException {
        List<AccountRow> inserts = new ArrayList<>();
        List<AccountRow> updates = new ArrayList<>();
        for (AccountRow row : accounts.values()) {
            if (row.isNew) {
                inserts.add(row);
            } else if (row.dirty) {
                updates.add(row);
            }
        }
        // Sorted by id: the same lock order on every node.
        inserts.sort(Comparator.comparing(r -> r.id));
        updates.sort(Comparator.comparing(r -> r.id));
        if (!inserts.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(AccountRow.INSERT)) {
                for (AccountRow row : inserts) {
                    row.bindInsert(ps);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(AccountRow.UPDATE)) {
                for (AccountRow row : updates) {
                    row.bindUpdate(ps);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        // An account whose domain became known (a v3 grant's email arriving after its notifications) or changed:
        // its notifications are its domain's failures now (V4__notification_domain.sql).
        List<AccountRow> moved = new ArrayList<>();
        for (AccountRow row : updates) {
            if (!Objects.equals(row.domain, row.storedDomain)) {
                moved.add(row);
            }
        }
        if (!moved.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE notifications SET domain = ? WHERE account_id = ?")) {
                for (AccountRow row : moved) {
                    Sql.setString(ps, 1, row.domain);
                    ps.setString(2, row.id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        for (AccountRow row : accounts.values()) {
            row.isNew = false;
            row.dirty = false;
            row.storedDomain = row.domain;
        }
    }

    private static void insertHistory(Connection c, List<History> history, Instant now) throws SQLException {
        if (history.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_HISTORY)) {
            for (History h : history) {
                ps.setString(1, h.accountId());
                Sql.setString(ps, 2, h.state());
                Sql.setString(ps, 3, h.previous());
                Sql.setInstant(ps, 4, h.changedAt());
                ps.setString(5, h.source());
                Sql.setString(ps, 6, h.trigger());
                Sql.setInstant(ps, 7, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertApiCalls(Connection c, List<ApiCall> calls, Instant now) throws SQLException {
        if (calls.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_API_CALL)) {
            for (ApiCall a : calls) {
                int i = 1;
                Sql.setInstant(ps, i++, a.timestamp());
                Sql.setInstant(ps, i++, a.timestamp() != null ? a.timestamp() : now);
                Sql.setString(ps, i++, a.method() == null ? null : a.method().trim().toUpperCase(java.util.Locale.ROOT));
                Sql.setString(ps, i++, Records.text(a.path()));
                Sql.setInteger(ps, i++, a.status());
                Sql.setString(ps, i++, Records.blank(a.accountId()) ? null : a.accountId().trim());
                Sql.setString(ps, i++, Records.lower(a.email()));
                Sql.setString(ps, i++, Records.text(Json.write(a.body())));
                Sql.setString(ps, i++, Records.text(a.bodyText()));
                Sql.setString(ps, i++, Records.text(a.response()));
                Sql.setInstant(ps, i, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertLogLines(Connection c, List<LogLine> lines, Instant now) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_LOG_LINE)) {
            for (LogLine l : lines) {
                int i = 1;
                ps.setString(i++, l.source().key());
                Sql.setInstant(ps, i++, l.timestamp());
                Sql.setInstant(ps, i++, l.timestamp() != null ? l.timestamp() : now);
                Sql.setString(ps, i++, Records.lower(l.level()));
                Sql.setString(ps, i++, Records.text(l.error()));
                Sql.setString(ps, i++, Records.text(l.message()));
                Sql.setString(ps, i++, Records.blank(l.accountId()) ? null : l.accountId().trim());
                Sql.setString(ps, i++, Records.lower(l.email()));
                Sql.setInstant(ps, i, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
