package io.synctriage.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.synctriage.model.Incident;

/**
 * Saves changed incidents and the fleet tracker's cursors in the caller's open transaction (the caller
 * commits). "Replace" is delete-then-insert of the incident's row, member rows and domain rows: one
 * statement shape for H2 and PostgreSQL (no MERGE dialects), and the member set of a saved incident is
 * exactly the one given, whatever it was before.
 *
 * <p>Not through the {@link GroupCommitWriter}: only the fleet tracker's one thread saves, a save is one
 * transaction of its own, and its callers must not wait behind (or be refused by) the webhook queue.
 */
final class IncidentWriter {

    /** The name of the incident-number high-water mark in {@code fleet_counters}. */
    static final String NUMBER_COUNTER = "incident_number";

    private static final int IN_CHUNK = 500;

    private IncidentWriter() {
    }

    /** Validates everything first, so a bad incident or cursor writes nothing. */
    static void validate(List<Incident> changed, Map<String, Long> cursors) {
        if (changed == null || cursors == null) {
            throw new IllegalArgumentException("incidents and cursors must not be null (pass empty ones)");
        }
        for (Incident i : changed) {
            IncidentRows.validate(i);
        }
        for (Map.Entry<String, Long> e : cursors.entrySet()) {
            if (Records.blank(e.getKey()) || e.getKey().length() > 128) {
                throw new IllegalArgumentException("a cursor name must be non-blank and at most 128 characters: '"
                        + e.getKey() + "'");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("cursor " + e.getKey() + " has no position");
            }
        }
    }

    static void save(Connection c, List<Incident> changed, Map<String, Long> cursors) throws SQLException {
        // The last version of an id wins; ids sorted, so two writers (several nodes) lock in the same order.
        Map<String, Incident> byId = new TreeMap<>();
        for (Incident i : changed) {
            byId.put(i.id(), i);
        }
        List<String> ids = new ArrayList<>(byId.keySet());
        for (String table : new String[] {"incident_members", "incident_domains"}) {
            deleteIn(c, "DELETE FROM " + table + " WHERE incident_id IN ", ids);
        }
        deleteIn(c, "DELETE FROM incidents WHERE id IN ", ids);
        long highest = 0;
        if (!byId.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(IncidentRows.INSERT)) {
                for (Incident i : byId.values()) {
                    IncidentRows.bindInsert(ps, i);
                    ps.addBatch();
                    highest = Math.max(highest, IncidentRows.number(i.id()));
                }
                ps.executeBatch();
            }
            try (PreparedStatement members = c.prepareStatement(
                    "INSERT INTO incident_members (incident_id, account_id) VALUES (?, ?)");
                 PreparedStatement domains = c.prepareStatement(
                         "INSERT INTO incident_domains (incident_id, domain) VALUES (?, ?)")) {
                for (Incident i : byId.values()) {
                    for (String account : IncidentRows.memberKeys(i)) {
                        members.setString(1, i.id());
                        members.setString(2, account);
                        members.addBatch();
                    }
                    for (String domain : IncidentRows.domainKeys(i)) {
                        domains.setString(1, i.id());
                        domains.setString(2, domain);
                        domains.addBatch();
                    }
                }
                members.executeBatch();
                domains.executeBatch();
            }
            raiseCounter(c, NUMBER_COUNTER, highest);
        }
        Map<String, Long> sortedCursors = new TreeMap<>(cursors);
        if (!sortedCursors.isEmpty()) {
            deleteIn(c, "DELETE FROM fleet_cursors WHERE name IN ", new ArrayList<>(sortedCursors.keySet()));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_cursors (name, position) VALUES (?, ?)")) {
                for (Map.Entry<String, Long> e : sortedCursors.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setLong(2, e.getValue());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /** The saved cursors. */
    static Map<String, Long> cursors(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, position FROM fleet_cursors ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** The highest number of an incident saved so far, deleted ones included. */
    static long lastNumber(Connection c) throws SQLException {
        long counter = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT counter FROM fleet_counters WHERE name = ?")) {
            ps.setString(1, NUMBER_COUNTER);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    counter = rs.getLong(1);
                }
            }
        }
        // the incidents themselves too, should the counter row ever be missing (a hand-restored table)
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(number) FROM incidents");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Math.max(counter, rs.getLong(1)) : counter;
        }
    }

    private static void raiseCounter(Connection c, String name, long value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE fleet_counters SET counter = ? WHERE name = ? AND counter < ?")) {
            ps.setLong(1, value);
            ps.setString(2, name);
            ps.setLong(3, value);
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO fleet_counters (name, counter) SELECT ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM fleet_counters WHERE name = ?)")) {
            ps.setString(1, name);
            ps.setLong(2, value);
            ps.setString(3, name);
            ps.executeUpdate();
        }
    }

    private static void deleteIn(Connection c, String sqlPrefix, List<String> keys) throws SQLException {
        for (int from = 0; from < keys.size(); from += IN_CHUNK) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + IN_CHUNK));
            try (PreparedStatement ps = c.prepareStatement(sqlPrefix + "(" + Sql.placeholders(chunk.size()) + ")")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                ps.executeUpdate();
            }
        }
    }
}
