package io.synctriage.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * Retention: deletes what is older than a cutoff, in chunks of {@link #CHUNK} rows, each chunk its own
 * short transaction, so that purging millions of rows neither holds locks against the writer for long
 * nor builds one huge transaction (undo log on H2, WAL on PostgreSQL).
 */
final class Purger {

    static final int CHUNK = 10_000;

    private static final String[] BY_TIME = {
            "DELETE FROM notifications WHERE seq IN (SELECT seq FROM notifications WHERE ordered_at < ? LIMIT " + CHUNK + ")",
            "DELETE FROM api_calls WHERE seq IN (SELECT seq FROM api_calls WHERE ordered_at < ? LIMIT " + CHUNK + ")",
            "DELETE FROM log_lines WHERE seq IN (SELECT seq FROM log_lines WHERE ordered_at < ? LIMIT " + CHUNK + ")",
            "DELETE FROM account_history WHERE seq IN (SELECT seq FROM account_history WHERE changed_at < ? LIMIT " + CHUNK + ")",
    };
    /**
     * An account goes when its snapshot is older than the cutoff and no record newer than the cutoff still
     * names it (those keep it: a diagnosis of them needs the account). Its history rows are already gone:
     * they are older than its last update, hence older than the cutoff.
     */
    private static final String STALE_ACCOUNTS = "SELECT a.id FROM accounts a WHERE a.updated_at < ?"
            + " AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.account_id = a.id)"
            + " AND NOT EXISTS (SELECT 1 FROM api_calls c WHERE c.account_id = a.id)"
            + " AND NOT EXISTS (SELECT 1 FROM log_lines l WHERE l.account_id = a.id) LIMIT " + CHUNK;

    private Purger() {
    }

    /** Incidents per purge transaction: each takes its member and domain rows with it. */
    static final int INCIDENT_CHUNK = 500;

    /** Deletes every record and incident older than {@code cutoff}; returns the number of rows deleted. */
    static long purge(DataSource dataSource, Instant cutoff) throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (String sql : BY_TIME) {
                total += repeat(c, sql, cutoff);
            }
            total += repeat(c, "DELETE FROM accounts WHERE id IN (" + STALE_ACCOUNTS + ")", cutoff);
            total += purgeIncidents(c, cutoff);
        }
        return total;
    }

    /**
     * Incidents whose last failure is older than the cutoff, with their member and domain rows, a chunk
     * per transaction: an incident is never left without its members (nor members without an incident).
     * The incident-number high-water mark stays, so a new incident never takes a purged one's id.
     */
    private static long purgeIncidents(Connection c, Instant cutoff) throws SQLException {
        long total = 0;
        while (true) {
            c.setAutoCommit(false);
            try {
                // Locked until commit: a save of the same incident by the fleet tracker (which would make it
                // recent again) waits for this transaction, or has committed and the incident is not selected.
                List<String> ids = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM incidents WHERE last_at < ? ORDER BY id"
                        + " LIMIT " + INCIDENT_CHUNK + " FOR UPDATE")) {
                    Sql.setInstant(ps, 1, cutoff);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
                if (ids.isEmpty()) {
                    c.commit();
                    return total;
                }
                String in = " IN (" + Sql.placeholders(ids.size()) + ")";
                for (String table : new String[] {"incident_members", "incident_domains", "incidents"}) {
                    String column = table.equals("incidents") ? "id" : "incident_id";
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + in)) {
                        for (int i = 0; i < ids.size(); i++) {
                            ps.setString(i + 1, ids.get(i));
                        }
                        total += ps.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static long repeat(Connection c, String sql, Instant cutoff) throws SQLException {
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            while (true) {
                Sql.setInstant(ps, 1, cutoff);
                int n = ps.executeUpdate();
                total += n;
                if (n == 0) {
                    return total;
                }
            }
        }
    }
}
