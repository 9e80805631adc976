package io.synctriage.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.PatternKind;

/**
 * One incident as rows of {@code incidents}, {@code incident_members} and {@code incident_domains}
 * (V3__fleet_incidents.sql), and back. Validation lives here too: a bad incident is the fleet tracker's
 * mistake ({@link IllegalArgumentException}), not a database failure.
 */
final class IncidentRows {

    static final String COLUMNS = "id, number, kind, cause, domain, family, provider, status, period_seconds, "
            + "tolerance_seconds, first_at, last_at, closed_at, reopen_count, summary, details_json, updated_at";
    /** The same columns, qualified by the alias {@code i} (for joins). */
    static final String I_COLUMNS = "i." + COLUMNS.replace(", ", ", i.");
    static final String INSERT = "INSERT INTO incidents (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final Pattern ID = Pattern.compile("inc-(\\d{1,18})");
    private static final int MAX_ID = 64;

    private IncidentRows() {
    }

    /** The number of an id {@code inc-000042}. */
    static long number(String id) {
        Matcher m = ID.matcher(id == null ? "" : id);
        if (!m.matches()) {
            throw new IllegalArgumentException("incident id '" + id + "' is not inc-<number>");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Checks what the columns need.
     *
     * @throws IllegalArgumentException naming the incident and the field
     */
    static void validate(Incident i) {
        if (i == null) {
            throw new IllegalArgumentException("incident is null");
        }
        number(i.id());
        String where = "incident " + i.id() + ": ";
        require(i.kind() != null, where + "kind is required");
        require(i.cause() != null, where + "cause is required");
        require(i.status() != null, where + "status is required");
        require(i.firstAt() != null && i.lastAt() != null, where + "first_at and last_at are required");
        require(i.domain() == null || i.domain().length() <= Records.MAX_ID, where + "domain longer than 255 characters");
        require(i.provider() == null || i.provider().length() <= Records.MAX_SHORT,
                where + "provider longer than 64 characters");
        for (String d : i.domains()) {
            require(!Records.blank(d) && d.length() <= Records.MAX_ID, where + "domains must be non-blank, at most 255 characters");
        }
        for (IncidentMember m : i.accounts()) {
            require(m != null && !Records.blank(m.accountId()) && m.accountId().trim().length() <= Records.MAX_ID,
                    where + "every member needs an account id of at most 255 characters");
        }
    }

    /** Binds {@link #INSERT}; instants are cut to the microseconds both databases keep. */
    static void bindInsert(PreparedStatement ps, Incident i) throws SQLException {
        int k = 1;
        ps.setString(k++, i.id());
        ps.setLong(k++, number(i.id()));
        ps.setString(k++, i.kind().name());
        ps.setString(k++, i.cause().name());
        Sql.setString(ps, k++, Records.lower(i.domain()));
        Sql.setString(ps, k++, i.family() == null ? null : i.family().id());
        Sql.setString(ps, k++, Records.lower(i.provider()));
        ps.setString(k++, i.status().name());
        setLong(ps, k++, i.periodSeconds());
        setLong(ps, k++, i.toleranceSeconds());
        Sql.setInstant(ps, k++, micros(i.firstAt()));
        Sql.setInstant(ps, k++, micros(i.lastAt()));
        Sql.setInstant(ps, k++, micros(i.closedAt()));
        ps.setInt(k++, i.reopenCount());
        Sql.setString(ps, k++, i.summary());
        ps.setString(k++, IncidentJson.write(details(i)));
        Sql.setInstant(ps, k, micros(i.updatedAt()));
    }

    /** The member rows: account ids lower-cased, each once. */
    static Set<String> memberKeys(Incident i) {
        Set<String> keys = new LinkedHashSet<>();
        for (IncidentMember m : i.accounts()) {
            keys.add(m.accountId().trim().toLowerCase(Locale.ROOT));
        }
        return keys;
    }

    /** The domain rows: every domain of the members, lower-cased, each once. */
    static Set<String> domainKeys(Incident i) {
        Set<String> keys = new LinkedHashSet<>();
        for (String d : i.domains()) {
            keys.add(d.trim().toLowerCase(Locale.ROOT));
        }
        return keys;
    }

    private static IncidentJson.Details details(Incident i) {
        List<IncidentMember> members = new ArrayList<>(i.accounts().size());
        for (IncidentMember m : i.accounts()) {
            members.add(new IncidentMember(m.accountId(), m.email(), m.provider(), micros(m.failedAt()),
                    micros(m.lastFailedAt()), m.failures(), m.signature(), m.intervalSeconds()));
        }
        List<String> domains = new ArrayList<>(domainKeys(i));
        List<EvidenceItem> evidence = new ArrayList<>(i.evidence().size());
        for (EvidenceItem e : i.evidence()) {
            evidence.add(new EvidenceItem(e.source(), micros(e.timestamp()), e.text()));
        }
        return new IncidentJson.Details(members, i.signatures(), domains, evidence);
    }

    /**
     * Reads the incident of the current row.
     *
     * @throws SQLException when the row is damaged (its JSON or an enum name unreadable): a listing that
     *                      silently dropped members would let the tracker save the loss back
     */
    static Incident read(ResultSet rs) throws SQLException {
        String id = rs.getString("id");
        IncidentJson.Details d;
        try {
            d = IncidentJson.read(rs.getString("details_json"));
            return new Incident(id, PatternKind.valueOf(rs.getString("kind")), Cause.valueOf(rs.getString("cause")),
                    rs.getString("domain"), d.domains(), ProviderFamily.fromId(rs.getString("family")),
                    rs.getString("provider"), IncidentStatus.valueOf(rs.getString("status")),
                    getLong(rs, "period_seconds"), getLong(rs, "tolerance_seconds"), Sql.getInstant(rs, "first_at"),
                    Sql.getInstant(rs, "last_at"), Sql.getInstant(rs, "closed_at"), rs.getInt("reopen_count"),
                    d.members(), d.signatures(), rs.getString("summary"), d.evidence(), Sql.getInstant(rs, "updated_at"));
        } catch (IllegalArgumentException e) {
            throw new SQLException("incident " + id + " is damaged: " + e.getMessage(), e);
        }
    }

    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    private static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, value);
        }
    }

    private static Long getLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
