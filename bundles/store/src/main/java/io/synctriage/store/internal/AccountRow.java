package io.synctriage.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

import io.synctriage.model.Account;
import io.synctriage.model.AuthType;
import io.synctriage.model.Peer;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.StoredAccount;

import java.util.List;
import io.synctriage.model.AccountEvent;

/** One row of {@code accounts}, mutable while a write transaction merges records into it. */
final class AccountRow {

    static final String COLUMNS = "id, email, domain, provider, family, auth_type, state, state_at, billing_state, "
            + "linked_at, created_at, last_activity_at, inbox_count, api_version, snapshot_at, first_seen_at, updated_at";
    static final String INSERT = "INSERT INTO accounts (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE = "UPDATE accounts SET email = ?, domain = ?, provider = ?, family = ?, auth_type = ?, "
            + "state = ?, state_at = ?, billing_state = ?, linked_at = ?, created_at = ?, last_activity_at = ?, "
            + "inbox_count = ?, api_version = ?, snapshot_at = ?, first_seen_at = ?, updated_at = ? WHERE id = ?";

    final String id;
    String email;
    String domain;
    String provider;
    ProviderFamily family;
    AuthType authType;
    String state;
    Instant stateAt;
    String billingState;
    Instant linkedAt;
    Instant createdAt;
    Instant lastActivityAt;
    Integer inboxCount;
    int apiVersion;
    Instant snapshotAt;
    Instant firstSeenAt;
    Instant updatedAt;

    /** Not in the table yet (INSERT), changed by this transaction (UPDATE). */
    boolean isNew;
    boolean dirty;
    /** The domain as read from the table (null for a new row): when it changes, the notifications follow. */
    String storedDomain;

    AccountRow(String id) {
        this.id = id;
    }

    static AccountRow read(ResultSet rs) throws SQLException {
        AccountRow r = new AccountRow(rs.getString("id"));
        r.email = rs.getString("email");
        r.domain = rs.getString("domain");
        r.storedDomain = r.domain;
        r.provider = rs.getString("provider");
        r.family = ProviderFamily.fromId(rs.getString("family"));
        String auth = rs.getString("auth_type");
        r.authType = auth == null ? null : AuthType.valueOf(auth);
        r.state = rs.getString("state");
        r.stateAt = Sql.getInstant(rs, "state_at");
        r.billingState = rs.getString("billing_state");
        r.linkedAt = Sql.getInstant(rs, "linked_at");
        r.createdAt = Sql.getInstant(rs, "created_at");
        r.lastActivityAt = Sql.getInstant(rs, "last_activity_at");
        r.inboxCount = Sql.getInteger(rs, "inbox_count");
        r.apiVersion = rs.getInt("api_version");
        r.snapshotAt = Sql.getInstant(rs, "snapshot_at");
        r.firstSeenAt = Sql.getInstant(rs, "first_seen_at");
        r.updatedAt = Sql.getInstant(rs, "updated_at");
        return r;
    }

    /** Binds the INSERT parameters. */
    void bindInsert(PreparedStatement ps) throws SQLException {
        ps.setString(1, id);
        bindValues(ps, 2);
    }

    /** Binds the UPDATE parameters (values, then the id). */
    void bindUpdate(PreparedStatement ps) throws SQLException {
        int next = bindValues(ps, 1);
        ps.setString(next, id);
    }

    private int bindValues(PreparedStatement ps, int i) throws SQLException {
        Sql.setString(ps, i++, email);
        Sql.setString(ps, i++, domain);
        Sql.setString(ps, i++, provider);
        Sql.setString(ps, i++, family == null ? null : family.id());
        Sql.setString(ps, i++, authType == null ? null : authType.name());
        Sql.setString(ps, i++, state);
        Sql.setInstant(ps, i++, stateAt);
        Sql.setString(ps, i++, billingState);
        Sql.setInstant(ps, i++, linkedAt);
        Sql.setInstant(ps, i++, createdAt);
        Sql.setInstant(ps, i++, lastActivityAt);
        Sql.setInteger(ps, i++, inboxCount);
        ps.setInt(i++, apiVersion);
        Sql.setInstant(ps, i++, snapshotAt);
        Sql.setInstant(ps, i++, firstSeenAt);
        Sql.setInstant(ps, i++, updatedAt);
        return i;
    }

    /** Sets the email (lower-cased) and the domain derived from it. */
    void email(String value) {
        String e = Records.lower(value);
        this.email = e;
        int at = e == null ? -1 : e.lastIndexOf('@');
        this.domain = at < 0 || at == e.length() - 1 ? null : e.substring(at + 1);
    }

    /** Sets the provider (lower-cased) and, when it names one, the family. */
    void provider(String value, ProviderFamily givenFamily) {
        this.provider = Records.lower(value);
        // The same spelling table as the engine (office365, gmail, ews, yahoo… → family) for accounts first seen
        // through a notification, which carries only the provider attribute.
        ProviderFamily f = givenFamily != null ? givenFamily : ProviderFamily.ofProvider(provider, authType);
        if (f != null) {
            this.family = f;
            if (authType == null) {
                authType = f.defaultAuth();
            }
        }
    }

    Account toAccount() {
        return new Account(id, email, provider, family, authType, state, billingState, linkedAt, createdAt,
                lastActivityAt, inboxCount, apiVersion);
    }

    StoredAccount toStored() {
        return new StoredAccount(toAccount(), updatedAt);
    }

    Peer toPeer(List<AccountEvent> events) {
        return new Peer(id, email, provider, family, authType, state, linkedAt, events);
    }

    @Override
    public String toString() {
        return "account " + id + (email == null ? "" : " <" + email.toLowerCase(Locale.ROOT) + ">");
    }
}
