package io.synctriage.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

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

    /** Deletes every record older than {@code cutoff}; returns the number of rows deleted. */
    static long purge(DataSource dataSource, Instant cutoff) throws SQLException {
        long total = 0;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (String sql : BY_TIME) {
                total += repeat(c, sql, cutoff);
            }
            total += repeat(c, "DELETE FROM accounts WHERE id IN (" + STALE_ACCOUNTS + ")", cutoff);
        }
        return total;
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
