package io.synctriage.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** JDBC binding helpers shared by the write and read paths (one mapping of Java types to columns). */
final class Sql {

    private Sql() {
    }

    /**
     * Instants go in as UTC {@link OffsetDateTime}: the one java.time type that both H2 2.x and pgjdbc 42
     * map to TIMESTAMP WITH TIME ZONE without consulting the JVM's default zone.
     */
    static void setInstant(PreparedStatement ps, int i, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, OffsetDateTime.ofInstant(value, ZoneOffset.UTC));
        }
    }

    static Instant getInstant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static void setString(PreparedStatement ps, int i, String value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, value);
        }
    }

    static void setInteger(PreparedStatement ps, int i, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, value);
        }
    }

    static void setBoolean(PreparedStatement ps, int i, Boolean value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.BOOLEAN);
        } else {
            ps.setBoolean(i, value);
        }
    }

    static Integer getInteger(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static Boolean getBoolean(ResultSet rs, String column) throws SQLException {
        boolean v = rs.getBoolean(column);
        return rs.wasNull() ? null : v;
    }

    /** "?, ?, ?" for an IN list of n parameters. */
    static String placeholders(int n) {
        StringBuilder sb = new StringBuilder(n * 3);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.toString();
    }

    /**
     * Whether retrying the whole transaction may succeed: a unique violation from a concurrent writer on
     * another node (23505), a serialization failure (40001) or a deadlock (40P01, PostgreSQL), a lock
     * timeout (HYT00, H2).
     */
    static boolean isTransient(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.equals("23505") || state.startsWith("40") || state.equals("HYT00"))) {
                return true;
            }
            if (x.getNextException() == x) {
                break;
            }
        }
        return false;
    }
}
