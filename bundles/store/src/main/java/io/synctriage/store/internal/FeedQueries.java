package io.synctriage.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.synctriage.model.AuthType;
import io.synctriage.model.ErrorLine;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.StateChange;

/**
 * The evidence feed ({@link io.synctriage.model.EvidenceFeed}): the state history and the logged errors
 * as position-ordered streams. Positions are the tables' own {@code seq} identity columns.
 *
 * <p><b>Why {@code seq} order is commit order</b> (read from {@link GroupCommitWriter} and
 * {@link JdbcEvidenceStore}): every write of {@code account_history} and {@code log_lines} goes through
 * {@link BatchWriter}, called only from the single thread of the store's {@link GroupCommitWriter}, one
 * transaction at a time (a failed group is retried caller by caller on that same thread, after the
 * rollback). So a transaction takes its identity values and commits before the next one takes any:
 * every row a reader can see has a lower {@code seq} than any row still uncommitted, and a consumer that
 * saves the last position it handled never misses a row. Rolled-back transactions only leave gaps.
 * A configuration change replaces the store only after the old writer has drained (its close waits for
 * the thread; only a commit still hanging after the 30 s grace could overlap the new writer's first one).
 * This holds for one store (one node). Several nodes writing one PostgreSQL each have their own writer
 * thread; their transactions interleave, and a consumer could pass over a lower {@code seq} that another
 * node commits late — a fleet tracker on such a setup must run on one node that takes all writes.
 */
final class FeedQueries {

    /** A feed page is at most this many rows, whatever the caller asks. */
    static final int MAX_LIMIT = 10_000;

    /**
     * The account's latest change to one recovery state (# = running or valid) at or before this change and
     * stored before it: one range of account_history_recovery (account_id, state, changed_at). One subquery
     * per state, not "state IN (…)": H2 2.x cannot seek an IN list followed by a range, and would read
     * every history entry of the account instead.
     */
    private static final String RECOVERED = "(SELECT MAX(r.changed_at) FROM account_history r WHERE r.account_id ="
            + " h.account_id AND r.state = '#' AND r.changed_at <= h.changed_at AND r.seq < h.seq)";

    /**
     * One page of state changes with what the account row says, the cause's notification (joined on
     * account, type and time: BatchWriter writes a notification's {@code ordered_at} and its history row's
     * {@code changed_at} from the same value) and the account's latest earlier recovery ({@link #RECOVERED}).
     * The page itself is taken first (derived table), so a notification stored twice under two delivery
     * keys cannot shorten it.
     */
    private static final String STATE_CHANGES = "SELECT h.seq, h.account_id, h.state, h.previous_state, h.trigger_type, "
            + "h.changed_at, a.email, a.provider, a.family, a.auth_type, a.linked_at, a.last_activity_at, "
            + RECOVERED.replace("#", "running") + " AS running_at, " + RECOVERED.replace("#", "valid") + " AS valid_at, "
            + "n.error, n.message "
            + "FROM (SELECT seq, account_id, state, previous_state, trigger_type, changed_at FROM account_history"
            + " WHERE seq > ? ORDER BY seq LIMIT ?) h "
            + "LEFT JOIN accounts a ON a.id = h.account_id "
            + "LEFT JOIN notifications n ON n.account_id = h.account_id AND n.ordered_at = h.changed_at"
            + " AND n.type = h.trigger_type "
            + "ORDER BY h.seq, n.seq";

    /**
     * Log lines that say something went wrong: an error field, any auth-log line with a text, or a
     * sync-log line of an error or warning level with a message. A scan of the primary key from the
     * position on: the consumer polls, so what lies after its position is the recent tail.
     */
    private static final String ERROR_LINES = "SELECT seq, account_id, email, ordered_at, error, message FROM log_lines"
            + " WHERE seq > ? AND (error IS NOT NULL OR (message IS NOT NULL AND (source = 'auth_log'"
            + " OR level IN ('error', 'fatal', 'critical', 'warn', 'warning'))))"
            + " ORDER BY seq LIMIT ?";

    private FeedQueries() {
    }

    static List<StateChange> stateChangesAfter(Connection c, long seq, int limit) throws SQLException {
        int max = clamp(limit);
        List<StateChange> out = new ArrayList<>(Math.min(max, 1024));
        try (PreparedStatement ps = c.prepareStatement(STATE_CHANGES)) {
            ps.setLong(1, Math.max(0, seq));
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long s = rs.getLong("seq");
                    String error = rs.getString("error");
                    String message = rs.getString("message");
                    if (!out.isEmpty() && out.get(out.size() - 1).seq() == s) {
                        // one more notification of the same account, type and time: keep the first that says why
                        StateChange prev = out.get(out.size() - 1);
                        if (prev.error() == null && prev.message() == null && (error != null || message != null)) {
                            out.set(out.size() - 1, new StateChange(s, prev.accountId(), prev.email(), prev.provider(),
                                    prev.family(), prev.authType(), prev.state(), prev.previousState(), prev.trigger(),
                                    prev.at(), prev.reauthAt(),
                                    prev.lastActivityAt(), error, message));
                        }
                        continue;
                    }
                    Instant at = Sql.getInstant(rs, "changed_at");
                    Instant linkedAt = Sql.getInstant(rs, "linked_at");
                    // Not the notification's grant_updated_at: that is the grant's last token refresh, not a
                    // re-authentication (decision-tree.md counts re-auth events and linked_at only), and a
                    // failure an hour after a refresh is no session policy.
                    Instant reauthAt = latest(Sql.getInstant(rs, "running_at"), Sql.getInstant(rs, "valid_at"));
                    if (linkedAt != null && !linkedAt.isAfter(at)) {
                        reauthAt = latest(reauthAt, linkedAt);
                    }
                    String auth = rs.getString("auth_type");
                    out.add(new StateChange(s, rs.getString("account_id"), rs.getString("email"),
                            rs.getString("provider"), ProviderFamily.fromId(rs.getString("family")),
                            auth == null ? null : AuthType.valueOf(auth), rs.getString("state"),
                            rs.getString("previous_state"), rs.getString("trigger_type"), at, reauthAt,
                            Sql.getInstant(rs, "last_activity_at"), error, message));
                }
            }
        }
        return out;
    }

    static List<ErrorLine> errorLinesAfter(Connection c, long seq, int limit) throws SQLException {
        int max = clamp(limit);
        List<ErrorLine> out = new ArrayList<>(Math.min(max, 1024));
        try (PreparedStatement ps = c.prepareStatement(ERROR_LINES)) {
            ps.setLong(1, Math.max(0, seq));
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ErrorLine(rs.getLong("seq"), rs.getString("account_id"), rs.getString("email"),
                            Sql.getInstant(rs, "ordered_at"), rs.getString("error"), rs.getString("message")));
                }
            }
        }
        return out;
    }

    /**
     * The position just before the first state change (in feed order) that happened at or after
     * {@code at}: its {@code seq} - 1, so a replay from there sees every change at or after {@code at},
     * also one that arrived late (a lower {@code changed_at} than rows stored before it does not hide
     * them, as "the highest seq before {@code at}" would). With no change at or after {@code at}, the end
     * of the feed: nothing to replay. A range of {@code account_history_changed}.
     */
    static long stateChangePositionBefore(Connection c, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(seq) FROM account_history WHERE changed_at >= ?")) {
            Sql.setInstant(ps, 1, at);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long first = rs.getLong(1);
                    if (!rs.wasNull()) {
                        return first - 1;
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM account_history");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static int clamp(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return Math.min(limit, MAX_LIMIT);
    }
}
