package io.synctriage.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.synctriage.model.Incident;
import io.synctriage.model.IncidentPage;
import io.synctriage.model.IncidentQuery;
import io.synctriage.model.IncidentStatus;

/**
 * The read side of the fleet incidents. Every read is one indexed query that returns whole incidents
 * (the JSON column comes with the row, parsed here); nothing rescans the evidence.
 */
final class IncidentQueries {

    /** Latest {@code last_at} first; the id breaks ties, so the order (and a cursor) is total. */
    static final Comparator<Incident> LATEST_FIRST = Comparator.comparing(Incident::lastAt)
            .thenComparing(Incident::id).reversed();

    private IncidentQueries() {
    }

    /**
     * One page: the filters, then keyset pagination after the cursor. Reads {@code limit + 1} rows to
     * know whether a next page exists without a COUNT.
     *
     * @throws IllegalArgumentException for a malformed cursor
     */
    static IncidentPage page(Connection c, IncidentQuery q) throws SQLException {
        IncidentCursor after = q.cursor() == null || q.cursor().isBlank() ? null : IncidentCursor.decode(q.cursor());
        StringBuilder sql = new StringBuilder("SELECT " + IncidentRows.COLUMNS + " FROM incidents i WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.since() != null) {
            sql.append(" AND i.last_at >= ?");
            args.add(q.since());
        }
        if (!Records.blank(q.domain())) {
            // the incident's own domain, or one of its members' (a provider-wide incident has no domain of its own)
            sql.append(" AND (i.domain = ? OR EXISTS (SELECT 1 FROM incident_domains d WHERE d.incident_id = i.id"
                    + " AND d.domain = ?))");
            args.add(Records.lower(q.domain()));
            args.add(Records.lower(q.domain()));
        }
        if (!Records.blank(q.provider())) {
            // the provider as stored (office365) or a family id (microsoft); the family column holds ids
            sql.append(" AND (i.provider = ? OR i.family = ?)");
            args.add(Records.lower(q.provider()));
            args.add(Records.lower(q.provider()));
        }
        if (q.cause() != null) {
            sql.append(" AND i.cause = ?");
            args.add(q.cause().name());
        }
        if (q.status() != null) {
            sql.append(" AND i.status = ?");
            args.add(q.status().name());
        }
        if (after != null) {
            // (last_at, id) < (cursor) in DESC order; the first conjunct alone is an index range
            sql.append(" AND i.last_at <= ? AND (i.last_at < ? OR i.id < ?)");
            args.add(after.lastAt());
            args.add(after.lastAt());
            args.add(after.id());
        }
        sql.append(" ORDER BY i.last_at DESC, i.id DESC LIMIT ?");
        args.add(q.limit() + 1);
        List<Incident> rows = list(c, sql.toString(), args);
        if (rows.size() <= q.limit()) {
            return new IncidentPage(rows, null);
        }
        List<Incident> page = rows.subList(0, q.limit());
        Incident last = page.get(page.size() - 1);
        return new IncidentPage(page, new IncidentCursor(last.lastAt(), last.id()).encode());
    }

    static Optional<Incident> byId(Connection c, String id) throws SQLException {
        if (Records.blank(id)) {
            return Optional.empty();
        }
        List<Incident> rows = list(c, "SELECT " + IncidentRows.COLUMNS + " FROM incidents WHERE id = ?",
                List.of(id.trim()));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The incidents the account is a member of (id compared ignoring case), latest first, at most {@code limit}. */
    static List<Incident> ofAccount(Connection c, String accountId, int limit) throws SQLException {
        if (Records.blank(accountId)) {
            return List.of();
        }
        return list(c, "SELECT " + IncidentRows.I_COLUMNS + " FROM incident_members m JOIN incidents i"
                        + " ON i.id = m.incident_id WHERE m.account_id = ? ORDER BY i.last_at DESC, i.id DESC LIMIT ?",
                List.of(accountId.trim().toLowerCase(Locale.ROOT), limit));
    }

    /**
     * The open incidents and those whose {@code last_at} is at or after {@code since}, latest first: two
     * index ranges merged here (an OR of two columns would be a scan on H2).
     */
    static List<Incident> active(Connection c, Instant since) throws SQLException {
        Map<String, Incident> byId = new LinkedHashMap<>();
        for (Incident i : list(c, "SELECT " + IncidentRows.COLUMNS + " FROM incidents WHERE status = ?",
                List.of(IncidentStatus.OPEN.name()))) {
            byId.put(i.id(), i);
        }
        if (since != null) {
            for (Incident i : list(c, "SELECT " + IncidentRows.COLUMNS + " FROM incidents WHERE last_at >= ?",
                    List.of(since))) {
                byId.putIfAbsent(i.id(), i);
            }
        }
        List<Incident> out = new ArrayList<>(byId.values());
        out.sort(LATEST_FIRST);
        return out;
    }

    private static List<Incident> list(Connection c, String sql, List<?> args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object a : args) {
                if (a instanceof Instant t) {
                    Sql.setInstant(ps, i++, t);
                } else if (a instanceof Integer n) {
                    ps.setInt(i++, n);
                } else {
                    ps.setString(i++, (String) a);
                }
            }
            List<Incident> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(IncidentRows.read(rs));
                }
            }
            return out;
        }
    }
}
