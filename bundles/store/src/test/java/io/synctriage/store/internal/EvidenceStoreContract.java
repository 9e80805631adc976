package io.synctriage.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.AccountQuery;
import io.synctriage.model.ApiCall;
import io.synctriage.model.AuthType;
import io.synctriage.model.Cause;
import io.synctriage.model.ErrorLine;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceRecord.AccountSnapshot;
import io.synctriage.model.EvidenceRecord.ApiLogEntry;
import io.synctriage.model.EvidenceRecord.LogEntry;
import io.synctriage.model.EvidenceRecord.Notification;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.EvidenceStore.StoreException;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.IncidentPage;
import io.synctriage.model.IncidentQuery;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.LogLine;
import io.synctriage.model.Peer;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.StateChange;
import io.synctriage.model.StoreResult;
import io.synctriage.model.StoredAccount;
import io.synctriage.model.spi.PatternKind;

/**
 * The store's behaviour, run unchanged against H2 ({@link H2EvidenceStoreTest}) and PostgreSQL
 * ({@link PostgresEvidenceStoreTest}): the same SQL must give the same answers on both.
 */
public abstract class EvidenceStoreContract {

    static final Instant T0 = Instant.parse("2026-05-12T10:00:00Z");

    /** A clock the tests move by hand. */
    static final class TestClock extends Clock {
        volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    protected abstract TestDatabase newDatabase();

    TestDatabase db;
    TestClock clock;
    JdbcEvidenceStore store;

    @Before
    public void open() {
        db = newDatabase();
        clock = new TestClock(T0);
        store = new JdbcEvidenceStore(db.dataSource(), StoreSettings.defaults(), clock, false);
    }

    @After
    public void closeStore() {
        if (store != null) {
            store.close();
        }
        if (db != null) {
            db.close();
        }
    }

    // ------------------------------------------------------------------------------------------ builders

    static Account account(String id, String email, String provider, ProviderFamily family, String state) {
        return new Account(id, email, provider, family, family == null ? null : family.defaultAuth(), state, "paid",
                T0.minus(Duration.ofDays(10)), null, null, null, 2);
    }

    static EvidenceRecord snapshot(String id, String email, String provider, ProviderFamily family, String state) {
        return new AccountSnapshot(account(id, email, provider, family, state));
    }

    static AccountEvent event(String type, Instant at, String id, String email) {
        return new AccountEvent(type, at, id, email, null, null, null, null, null, null);
    }

    static EvidenceRecord webhook(String type, Instant at, String id) {
        return new Notification(event(type, at, id, null), id + "|" + type + "|" + at.getEpochSecond());
    }

    static EvidenceRecord apiCall(Instant at, String method, String path, String id, String email, Map<String, Object> body) {
        return new ApiLogEntry(new ApiCall(at, method, path, 200, id, email, body, null));
    }

    static EvidenceRecord log(EvidenceSource source, Instant at, String error, String message, String id, String email) {
        return new LogEntry(new LogLine(source, at, "error", error, message, id, email));
    }

    long count(String table) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<String> history(String id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT previous_state, state, source FROM account_history WHERE account_id = '"
                     + id + "' ORDER BY changed_at, seq")) {
            while (rs.next()) {
                out.add(rs.getString(1) + ">" + rs.getString(2) + " (" + rs.getString(3) + ")");
            }
        }
        return out;
    }

    // -------------------------------------------------------------------------------------------- schema

    @Test
    public void accountsFirstSeenThroughANotificationGetTheirProviderFamily() {
        store.store(List.of(
                new Notification(new AccountEvent("grant.expired", T0, "g-ms", "a@contoso.com", "office365", null, null,
                        "n1", null, null), "v3:n1"),
                new Notification(new AccountEvent("account.invalid", T0, "v2-yahoo", null, "Yahoo", null, null, null,
                        null, null), "v2:v2-yahoo:account.invalid:" + T0.getEpochSecond())));
        assertEquals(ProviderFamily.MICROSOFT, store.account("g-ms").orElseThrow().account().family());
        assertEquals(ProviderFamily.IMAP, store.account("v2-yahoo").orElseThrow().account().family());
    }

    @Test
    public void apiCallResponsesAreKept() {
        store.store(List.of(snapshot("r1", "ops@zeeland-bikes.nl", "office365", ProviderFamily.MICROSOFT, "stopped"),
                new ApiLogEntry(new ApiCall(T0, "GET", "/messages", 404, "r1", null, Map.of(), null,
                        "{\"message\":\"MailboxNotEnabledForRESTAPI\"}"))));
        Evidence ev = store.evidence("r1", T0.plusSeconds(60)).orElseThrow();
        assertEquals("{\"message\":\"MailboxNotEnabledForRESTAPI\"}", ev.apiLog().get(0).response());
        assertEquals(Integer.valueOf(404), ev.apiLog().get(0).status());
    }

    @Test
    public void migratesAnEmptyDatabaseOnceAndReopensWithoutMigrating() throws Exception {
        for (String table : List.of("accounts", "account_history", "notifications", "api_calls", "log_lines")) {
            assertEquals(table + " starts empty", 0, count(table));
        }
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL ORDER BY \"installed_rank\"")) {
            List<String> applied = new ArrayList<>();
            while (rs.next()) {
                applied.add(rs.getString(1) + ":" + rs.getBoolean(2));
            }
            assertTrue("V1 applied: " + applied, applied.contains("1:true"));
        }
        store.store(List.of(snapshot("a1", "x@contoso.com", "office365", ProviderFamily.MICROSOFT, "running")));
        store.close();
        // a second start on the same database applies nothing and keeps the data
        store = new JdbcEvidenceStore(db.dataSource(), StoreSettings.defaults(), clock, false);
        assertTrue(store.account("a1").isPresent());
        try (Connection c = db.dataSource().getConnection()) {
            assertEquals(0, Migrations.migrate(db.dataSource(), Dialect.of(c)).migrationsExecuted);
        }
    }

    @Test
    public void theIdentitySequencesCacheAsManyValuesAsTheDatabaseAllows() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            Dialect dialect = Dialect.of(c);
            String sql = dialect == Dialect.H2
                    ? "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA"
                            + " AND TABLE_NAME = UPPER(?) AND COLUMN_NAME = 'SEQ'"
                    : "SELECT seqcache FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence(?, 'seq')::regclass";
            for (String table : List.of("account_history", "notifications", "api_calls", "log_lines")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(table, rs.next());
                        assertEquals(table, dialect.identityCache(), rs.getLong(1));
                    }
                }
            }
        }
        // H2 caches (every refill of the cache is a disk commit); PostgreSQL must not (a cache per session
        // would hand out positions out of commit order)
        assertEquals(1, Dialect.POSTGRESQL.identityCache());
        assertTrue(Dialect.H2.identityCache() >= 1000);
    }

    // ------------------------------------------------------------------------------------------ accounts

    @Test
    public void aSnapshotCreatesTheAccountFindableByIdAndByEmailIgnoringCase() throws Exception {
        StoreResult r = store.store(List.of(snapshot("acc-1", "Sam.Keller@Northgate-Freight.com", "Office365",
                ProviderFamily.MICROSOFT, "running")));
        assertEquals(new StoreResult(1, 0), r);

        StoredAccount byId = store.account("acc-1").orElseThrow();
        assertEquals("sam.keller@northgate-freight.com", byId.account().email());
        assertEquals("office365", byId.account().provider());
        assertEquals(ProviderFamily.MICROSOFT, byId.account().family());
        assertEquals(AuthType.OAUTH, byId.account().authType());
        assertEquals("running", byId.account().state());
        assertEquals("paid", byId.account().billingState());
        assertEquals(T0, byId.updatedAt());
        assertEquals("northgate-freight.com", byId.account().domain());

        assertEquals("acc-1", store.account("SAM.KELLER@northgate-freight.com").orElseThrow().account().id());
        assertTrue(store.account("nobody@northgate-freight.com").isEmpty());
        assertTrue(store.account("acc-2").isEmpty());
        assertTrue(store.account("  ").isEmpty());
        assertEquals(List.of("null>running (snapshot)"), history("acc-1"));
    }

    @Test
    public void byEmailTheLatestUpdatedAccountWins() {
        store.store(List.of(snapshot("old", "kim@contoso.com", "gmail", ProviderFamily.GOOGLE, "invalid")));
        clock.now = T0.plusSeconds(60);
        store.store(List.of(snapshot("new", "Kim@Contoso.com", "gmail", ProviderFamily.GOOGLE, "running")));
        assertEquals("new", store.account("kim@contoso.com").orElseThrow().account().id());
        clock.now = T0.plusSeconds(120);
        store.store(List.of(webhook("account.invalid", T0.plusSeconds(110), "old")));
        assertEquals("old", store.account("kim@contoso.com").orElseThrow().account().id());
    }

    @Test
    public void aLaterSnapshotMergesIntoTheStoredOneAndRecordsTheStateChange() throws Exception {
        store.store(List.of(snapshot("a", "a@contoso.com", "office365", ProviderFamily.MICROSOFT, "running")));
        clock.now = T0.plusSeconds(30);
        Account partial = new Account("a", null, null, null, null, "Stopped", null, null, null, null, 7, 2);
        store.store(List.of(new AccountSnapshot(partial)));
        Account a = store.account("a").orElseThrow().account();
        assertEquals("stopped", a.state());
        assertEquals("a@contoso.com", a.email()); // kept: the partial snapshot did not say
        assertEquals("office365", a.provider());
        assertEquals("paid", a.billingState());
        assertEquals(Integer.valueOf(7), a.inboxCount());
        assertEquals(List.of("null>running (snapshot)", "running>stopped (snapshot)"), history("a"));
        // the same state again is no change
        store.store(List.of(new AccountSnapshot(partial)));
        assertEquals(2, history("a").size());
    }

    // ------------------------------------------------------------------------------------- notifications

    @Test
    public void aFailureNotificationChangesTheStateAppendsHistoryAndMovesUpdatedAt() throws Exception {
        store.store(List.of(snapshot("a", "a@contoso.com", "office365", ProviderFamily.MICROSOFT, "running")));
        clock.now = T0.plusSeconds(600);
        StoreResult r = store.store(List.of(webhook("account.invalid", T0.plusSeconds(590), "a")));
        assertEquals(new StoreResult(1, 0), r);
        StoredAccount s = store.account("a").orElseThrow();
        assertEquals("invalid", s.account().state());
        assertEquals(T0.plusSeconds(600), s.updatedAt());
        assertEquals(List.of("null>running (snapshot)", "running>invalid (notification)"), history("a"));

        clock.now = T0.plusSeconds(900);
        store.store(List.of(webhook("account.running", T0.plusSeconds(890), "a")));
        assertEquals("running", store.account("a").orElseThrow().account().state());
    }

    @Test
    public void grantNotificationsMapToGrantStatus() {
        AccountEvent expired = new AccountEvent("grant.expired", T0, "g1", "lee@fabrikam.com", "microsoft", null, null,
                "n-1", null, null);
        store.store(List.of(new Notification(expired, "n-1")));
        Account a = store.account("g1").orElseThrow().account();
        assertEquals("invalid", a.state());
        assertEquals(3, a.apiVersion());
        assertEquals("microsoft", a.provider());
        assertEquals(ProviderFamily.MICROSOFT, a.family());
        assertEquals("lee@fabrikam.com", a.email());

        AccountEvent notReauth = new AccountEvent("grant.updated", T0.plusSeconds(10), "g1", null, null, null, null,
                "n-2", false, null);
        store.store(List.of(new Notification(notReauth, "n-2")));
        assertEquals("invalid", store.account("g1").orElseThrow().account().state());
        AccountEvent reauth = new AccountEvent("grant.updated", T0.plusSeconds(20), "g1", null, null, null, null,
                "n-3", true, T0.plusSeconds(20));
        store.store(List.of(new Notification(reauth, "n-3")));
        assertEquals("valid", store.account("g1").orElseThrow().account().state());
    }

    @Test
    public void aLateOlderNotificationGoesToHistoryWithoutRollingTheStateBack() throws Exception {
        store.store(List.of(webhook("account.running", T0.plusSeconds(100), "a")));
        store.store(List.of(webhook("account.invalid", T0.plusSeconds(50), "a")));
        assertEquals("running", store.account("a").orElseThrow().account().state());
        assertEquals(List.of("null>invalid (notification)", "null>running (notification)"), history("a"));
    }

    @Test
    public void notificationsOfOneBatchApplyInEventTimeOrder() {
        StoreResult r = store.store(List.of(
                webhook("account.running", T0.plusSeconds(100), "a"),
                webhook("account.stopped", T0.plusSeconds(50), "a")));
        assertEquals(new StoreResult(2, 0), r);
        assertEquals("running", store.account("a").orElseThrow().account().state());
    }

    @Test
    public void theSameDeliveryIsStoredOnceAndCountedAsDuplicate() throws Exception {
        EvidenceRecord hook = webhook("account.invalid", T0, "a");
        assertEquals(new StoreResult(1, 0), store.store(List.of(hook)));
        assertEquals(new StoreResult(0, 1), store.store(List.of(hook)));
        assertEquals(new StoreResult(1, 1), store.store(List.of(hook, webhook("account.running", T0.plusSeconds(5), "a"))));
        // twice within one call
        EvidenceRecord other = webhook("account.stopped", T0.plusSeconds(9), "b");
        assertEquals(new StoreResult(1, 1), store.store(List.of(other, other)));
        assertEquals(3, count("notifications"));
        // the redelivery appended nothing to the history
        assertEquals(2, history("a").size());
    }

    @Test
    public void concurrentRedeliveriesAreStoredOnce() throws Exception {
        int threads = 8;
        int keys = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<int[]>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    int stored = 0;
                    int dups = 0;
                    for (int k = 0; k < keys; k++) {
                        StoreResult r = store.store(List.of(webhook("account.invalid", T0.plusSeconds(k), "acct-" + (k % 5))));
                        stored += r.stored();
                        dups += r.duplicates();
                    }
                    return new int[] {stored, dups};
                }));
            }
            int stored = 0;
            int dups = 0;
            for (Future<int[]> f : futures) {
                int[] r = f.get();
                stored += r[0];
                dups += r[1];
            }
            assertEquals(keys, stored);
            assertEquals(keys * (threads - 1), dups);
            assertEquals(keys, count("notifications"));
            assertEquals(keys, count("account_history"));
            assertEquals(5, count("accounts"));
        } finally {
            pool.shutdownNow();
        }
    }

    // -------------------------------------------------------------------------------- records and errors

    @Test
    public void logRecordsCreateUnknownAccountsButEmailOnlyRecordsDoNot() throws Exception {
        StoreResult r = store.store(List.of(
                log(EvidenceSource.SYNC_LOG, T0, null, "IMAP login failed", "imap-1", "Pat@Example.org"),
                log(EvidenceSource.AUTH_LOG, T0, "invalid_grant", "expired", null, "someone@example.org"),
                apiCall(T0, "get", "/threads", "api-1", null, null),
                apiCall(T0, "GET", "/a/client/accounts", null, null, null)));
        assertEquals(new StoreResult(4, 0), r);
        Account a = store.account("imap-1").orElseThrow().account();
        assertEquals("pat@example.org", a.email());
        assertNull(a.state());
        assertTrue(store.account("api-1").isPresent());
        assertTrue(store.account("someone@example.org").isEmpty());
        assertEquals(2, count("accounts"));
        assertEquals(2, count("log_lines"));
        assertEquals(2, count("api_calls"));
    }

    @Test
    public void aRecordNamingNeitherAccountNorEmailFailsTheWholeCall() throws Exception {
        List<EvidenceRecord> records = List.of(
                snapshot("a", "a@contoso.com", "office365", ProviderFamily.MICROSOFT, "running"),
                log(EvidenceSource.SYNC_LOG, T0, null, "who?", null, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.store(records));
        assertTrue(e.getMessage(), e.getMessage().contains("record 1"));
        assertEquals(0, count("accounts"));
        assertThrows(IllegalArgumentException.class,
                () -> store.store(List.of(new Notification(event("account.invalid", T0, " ", null), "k"))));
        assertThrows(IllegalArgumentException.class,
                () -> store.store(List.of(snapshot("x".repeat(300), null, null, null, null))));
        assertEquals(new StoreResult(0, 0), store.store(List.of()));
    }

    // ------------------------------------------------------------------------------------------ evidence

    @Test
    public void evidenceHasTheAccountsOwnRecordsAndOnlySuppliesWhatItHas() {
        String id = "acc-1";
        String email = "sam@northgate-freight.com";
        store.store(List.of(snapshot(id, email, "office365", ProviderFamily.MICROSOFT, "running")));
        Evidence bare = store.evidence(id, T0.plusSeconds(3600)).orElseThrow();
        assertEquals(Set.of(EvidenceSource.ACCOUNT, EvidenceSource.PROVIDER), bare.supplied());
        assertTrue(bare.apiLog().isEmpty());

        store.store(List.of(
                webhook("account.invalid", T0.plusSeconds(300), id),
                apiCall(T0.plusSeconds(100), "POST", "/a/c/accounts/" + id + "/revoke-all", id, null,
                        Map.of("keep_access_token", "tok")),
                apiCall(T0.plusSeconds(50), "DELETE", "/grants", null, "SAM@northgate-freight.com", null),
                apiCall(T0.plusSeconds(60), "GET", "/threads", "someone-else", email, null),
                apiCall(T0.plusSeconds(70), "GET", "/threads", "someone-else", null, null),
                log(EvidenceSource.AUTH_LOG, T0.plusSeconds(290), "invalid_grant", "AADSTS50173", id, null),
                log(EvidenceSource.SYNC_LOG, T0.plusSeconds(280), null, "token refresh failed", null, email)));
        Evidence ev = store.evidence(id, T0.plusSeconds(3600)).orElseThrow();
        assertEquals(id, ev.account().id());
        assertEquals("invalid", ev.account().state());
        assertEquals(T0.plusSeconds(3600), ev.now());
        assertEquals(List.of("account.invalid"), ev.events().stream().map(AccountEvent::type).toList());
        // by id, plus the email-only call; never another account's calls, even with the same email
        assertEquals(List.of("DELETE /grants", "POST /a/c/accounts/acc-1/revoke-all"),
                ev.apiLog().stream().map(c -> c.method() + " " + c.path()).toList());
        assertEquals("tok", ev.apiLog().get(1).body().get("keep_access_token"));
        assertEquals(1, ev.authLog().size());
        assertEquals("invalid_grant", ev.authLog().get(0).error());
        assertEquals(1, ev.syncLog().size());
        assertEquals(EvidenceSource.SYNC_LOG, ev.syncLog().get(0).source());
        assertTrue(ev.supplied().containsAll(Set.of(EvidenceSource.ACCOUNT, EvidenceSource.WEBHOOKS,
                EvidenceSource.API_LOG, EvidenceSource.SYNC_LOG, EvidenceSource.AUTH_LOG, EvidenceSource.PROVIDER)));
        // "someone-else" exists now (created from its calls): the store speaks for the fleet
        assertTrue(ev.supplied().contains(EvidenceSource.PEERS));
        assertTrue(store.evidence("unknown", T0).isEmpty());
    }

    @Test
    public void peersAreTheDomainsFailuresInTheWindowTheProvidersFailuresAroundTheFailureAndSuccessors() {
        Instant failure = T0.plus(Duration.ofDays(40));
        String id = "diag";
        store.store(List.of(
                snapshot(id, "sam@northgate-freight.com", "office365", ProviderFamily.MICROSOFT, "running"),
                // same domain: one failed 5 min before, one 20 days before, one 40 days before (outside), one quiet
                snapshot("d-near", "olu@northgate-freight.com", "office365", ProviderFamily.MICROSOFT, "invalid"),
                snapshot("d-20d", "ana@northgate-freight.com", "office365", ProviderFamily.MICROSOFT, "invalid"),
                snapshot("d-old", "old@northgate-freight.com", "office365", ProviderFamily.MICROSOFT, "invalid"),
                snapshot("d-quiet", "quiet@northgate-freight.com", "office365", ProviderFamily.MICROSOFT, "running"),
                // same family, other domains: one within ±30 min, one 2 h later (outside); other family within the window
                snapshot("p-near", "lee@fabrikam.com", "office365", ProviderFamily.MICROSOFT, "invalid"),
                snapshot("p-far", "kai@tailspin.com", "office365", ProviderFamily.MICROSOFT, "invalid"),
                snapshot("g-near", "joe@wingtip.com", "gmail", ProviderFamily.GOOGLE, "invalid"),
                // a successor: same email, another id
                snapshot("succ", "SAM@northgate-freight.com", "office365", ProviderFamily.MICROSOFT, "running"),
                // consumer domain, same family, far away in time
                snapshot("c-1", "someone@outlook.com", "outlook", ProviderFamily.MICROSOFT, "invalid")));
        store.store(List.of(
                webhook("account.invalid", failure, id),
                webhook("account.invalid", failure.minus(Duration.ofMinutes(5)), "d-near"),
                webhook("account.invalid", failure.minus(Duration.ofDays(20)), "d-20d"),
                webhook("account.running", failure.minus(Duration.ofDays(21)), "d-20d"),
                webhook("account.invalid", failure.minus(Duration.ofDays(40)), "d-old"),
                webhook("account.invalid", failure.plus(Duration.ofMinutes(20)), "p-near"),
                webhook("account.invalid", failure.plus(Duration.ofHours(2)), "p-far"),
                webhook("account.invalid", failure.plus(Duration.ofMinutes(1)), "g-near"),
                webhook("account.invalid", failure.minus(Duration.ofDays(3)), "c-1"),
                log(EvidenceSource.AUTH_LOG, failure.minus(Duration.ofMinutes(4)), "invalid_grant",
                        "AADSTS50173: grant revoked", "d-near", null)));

        Evidence ev = store.evidence(id, failure.plus(Duration.ofHours(3))).orElseThrow();
        Map<String, Peer> peers = ev.peers().stream().collect(Collectors.toMap(Peer::id, p -> p));
        assertEquals(Set.of("succ", "d-near", "d-20d", "p-near", "d-old", "d-quiet"), peers.keySet());
        // successors first, then the domain's failures
        assertEquals("succ", ev.peers().get(0).id());
        assertEquals(List.of("account.invalid"), types(peers.get("d-near")));
        // the failure carries what that peer's auth log said at that moment
        assertEquals("invalid_grant", peers.get("d-near").events().get(0).error());
        assertEquals("AADSTS50173: grant revoked", peers.get("d-near").events().get(0).message());
        assertEquals(List.of("account.running", "account.invalid"), types(peers.get("d-20d")));
        // outside the 30-day window: the account is a peer (same domain) but brings no events
        assertEquals(List.of(), types(peers.get("d-old")));
        // the rest of the domain (no failure in the window) is counted, with its state, and no events are read
        assertEquals("running", peers.get("d-quiet").state());
        assertEquals(List.of(), types(peers.get("d-quiet")));
        assertEquals(List.of("account.invalid"), types(peers.get("p-near")));
        assertEquals(ProviderFamily.MICROSOFT, peers.get("p-near").family());
        assertEquals("invalid", peers.get("p-near").state());
        assertTrue(ev.supplied().contains(EvidenceSource.PEERS));
    }

    @Test
    public void aFailureStoredBeforeItsAccountsEmailWasKnownCountsForTheDomainOnceItIs() {
        Instant failure = T0.plus(Duration.ofDays(2));
        // a grant's expiry with only its id: nothing says its domain yet (a day earlier: no provider-wide peer)
        store.store(List.of(webhook("grant.expired", failure.minus(Duration.ofDays(1)), "g-early")));
        store.store(List.of(snapshot("me", "ann@lakeside-dental.com", "microsoft", ProviderFamily.MICROSOFT, "running"),
                webhook("grant.expired", failure, "me")));
        assertEquals(Set.of(), peerIds(store.evidence("me", failure.plusSeconds(60)).orElseThrow()));

        // the grant list names its email later: its earlier failure is one of the domain's now
        store.store(List.of(snapshot("g-early", "bob@lakeside-dental.com", "microsoft", ProviderFamily.MICROSOFT, "invalid")));
        Evidence ev = store.evidence("me", failure.plusSeconds(60)).orElseThrow();
        assertEquals(Set.of("g-early"), peerIds(ev));
        assertEquals(List.of("grant.expired"), types(ev.peers().get(0)));

        // and when its email moves to another domain, the failure moves with it
        store.store(List.of(snapshot("g-early", "bob@elsewhere-dental.com", "microsoft", ProviderFamily.MICROSOFT, "invalid")));
        assertEquals(Set.of(), peerIds(store.evidence("me", failure.plusSeconds(60)).orElseThrow()));
    }

    private static Set<String> peerIds(Evidence ev) {
        return ev.peers().stream().map(Peer::id).collect(Collectors.toSet());
    }

    @Test
    public void consumerDomainsGiveNoDomainPeersAndThePeerCountIsBounded() {
        List<EvidenceRecord> records = new ArrayList<>();
        records.add(snapshot("me", "me@gmail.com", "gmail", ProviderFamily.GOOGLE, "invalid"));
        records.add(webhook("account.invalid", T0, "me"));
        for (int i = 0; i < 30; i++) {
            records.add(snapshot("g" + i, "user" + i + "@gmail.com", "gmail", ProviderFamily.GOOGLE, "invalid"));
            records.add(webhook("account.invalid", T0.plusSeconds(i), "g" + i));
        }
        store.store(records);
        // the same family failed within the window: provider peers, bounded by peer.limit
        store.close();
        StoreSettings d = StoreSettings.defaults();
        store = new JdbcEvidenceStore(db.dataSource(), new StoreSettings(d.retention(), d.purgeInterval(), 10,
                d.peerLookback(), d.peerAfter(), d.providerWindow(), d.consumerDomains(), d.evidenceMaxRows(),
                d.batchMaxRecords(), d.queueMaxRequests(), d.commitTimeout()), clock, false);
        Evidence ev = store.evidence("me", T0.plusSeconds(60)).orElseThrow();
        assertEquals(10, ev.peers().size());

        // no failure of the account: no provider peers, and gmail.com is never a domain
        store.store(List.of(snapshot("calm", "calm@gmail.com", "gmail", ProviderFamily.GOOGLE, "running")));
        Evidence calm = store.evidence("calm", T0.plusSeconds(60)).orElseThrow();
        assertEquals(List.of(), calm.peers());
        assertTrue("other accounts exist: peers are known to be none", calm.supplied().contains(EvidenceSource.PEERS));
    }

    @Test
    public void aStoreKnowingOnlyThisAccountDoesNotClaimPeers() {
        store.store(List.of(snapshot("only", "only@contoso.com", "office365", ProviderFamily.MICROSOFT, "invalid")));
        assertFalse(store.evidence("only", T0).orElseThrow().supplied().contains(EvidenceSource.PEERS));
    }

    private static List<String> types(Peer p) {
        return p.events().stream().map(AccountEvent::type).toList();
    }

    // ------------------------------------------------------------------------------------------- queries

    @Test
    public void accountsAreFilteredIgnoringCaseAndPagedMostRecentFirst() {
        String[][] rows = {
                {"a", "a@contoso.com", "office365", "invalid"},
                {"b", "b@contoso.com", "eas", "invalid"},
                {"c", "c@fabrikam.com", "office365", "running"},
                {"d", "d@contoso.com", "gmail", "invalid"},
        };
        for (int i = 0; i < rows.length; i++) {
            clock.now = T0.plusSeconds(i);
            ProviderFamily f = switch (rows[i][2]) {
                case "office365" -> ProviderFamily.MICROSOFT;
                case "eas" -> ProviderFamily.EAS;
                default -> ProviderFamily.GOOGLE;
            };
            store.store(List.of(snapshot(rows[i][0], rows[i][1], rows[i][2], f, rows[i][3])));
        }
        assertEquals(List.of("d", "c", "b", "a"), ids(new AccountQuery(null, null, null, 100, 0)));
        assertEquals(List.of("d", "b", "a"), ids(new AccountQuery("INVALID", "Contoso.com", null, 100, 0)));
        assertEquals(List.of("c", "a"), ids(new AccountQuery(null, null, "Microsoft", 100, 0)));
        assertEquals(List.of("b"), ids(new AccountQuery(null, null, "eas", 100, 0)));
        assertEquals(List.of("c", "b"), ids(new AccountQuery(null, null, null, 2, 1)));
        assertEquals(List.of(), ids(new AccountQuery("stopped", null, null, 10, 0)));
    }

    private List<String> ids(AccountQuery q) {
        return store.accounts(q).stream().map(s -> s.account().id()).toList();
    }

    // --------------------------------------------------------------------------------------------- purge

    @Test
    public void purgeDeletesWhatIsOlderThanTheCutoffAndAccountsNothingNamesAnyMore() throws Exception {
        Instant old = T0.minus(Duration.ofDays(100));
        clock.now = old;
        store.store(List.of(
                snapshot("gone", "gone@contoso.com", "office365", ProviderFamily.MICROSOFT, "running"),
                snapshot("kept", "kept@contoso.com", "office365", ProviderFamily.MICROSOFT, "running"),
                webhook("account.invalid", old, "gone"),
                apiCall(old, "GET", "/threads", "gone", null, null),
                log(EvidenceSource.SYNC_LOG, old, null, "old line", "kept", null)));
        clock.now = T0;
        store.store(List.of(log(EvidenceSource.AUTH_LOG, T0, "invalid_grant", "new line", "kept", null),
                webhook("account.running", T0, "fresh")));
        long deleted = store.purgeBefore(T0.minus(Duration.ofDays(90)));
        // 1 notification + 1 api call + 1 log line + 3 history rows (2 snapshots, 1 notification) + 1 account
        assertEquals(7, deleted);
        assertTrue(store.account("gone").isEmpty());
        assertTrue("still named by a record inside the retention", store.account("kept").isPresent());
        assertTrue(store.account("fresh").isPresent());
        assertEquals(1, count("notifications"));
        assertEquals(0, count("api_calls"));
        assertEquals(1, count("log_lines"));
        assertEquals(0, store.purgeBefore(T0.minus(Duration.ofDays(90))));
    }

    // -------------------------------------------------------------------------------------- group commit

    @Test
    public void concurrentCallersAreCommittedTogetherEachWithItsOwnCounts() throws Exception {
        int threads = 16;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(() -> {
                    int stored = 0;
                    for (int i = 0; i < perThread; i++) {
                        String id = "acct-" + thread + "-" + (i % 10);
                        StoreResult r = store.store(List.of(webhook(i % 2 == 0 ? "account.invalid" : "account.running",
                                T0.plusSeconds(i), id)));
                        assertEquals(0, r.duplicates());
                        stored += r.stored();
                    }
                    return stored;
                });
            }
            long started = System.nanoTime();
            int stored = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                stored += f.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(threads * perThread, stored);
            assertEquals(threads * perThread, count("notifications"));
            assertEquals(threads * 10, count("accounts"));
            System.out.printf("[%s] %d single-notification store() calls from %d threads in %.2f s: %.0f deliveries/s%n",
                    getClass().getSimpleName(), stored, threads, seconds, stored / seconds);
        } finally {
            pool.shutdownNow();
        }
    }

    // ----------------------------------------------------------------------------------- fleet incidents

    static IncidentMember member(String id, String domain, Instant failedAt) {
        return new IncidentMember(id, id + "@" + domain, "office365", failedAt, failedAt, 1, "AADSTS50173", null);
    }

    static Incident incident(int number, PatternKind kind, Cause cause, String domain, List<String> domains,
                             ProviderFamily family, String provider, IncidentStatus status, Instant firstAt,
                             Instant lastAt, List<IncidentMember> members) {
        return new Incident(String.format("inc-%06d", number), kind, cause, domain, domains, family, provider, status,
                null, null, firstAt, lastAt, status == IncidentStatus.CLOSED ? lastAt.plusSeconds(3600) : null, 0,
                members, List.of("AADSTS50173"), members.size() + " accounts failed", List.of(), lastAt);
    }

    /** A same-moment incident of {@code domain} with these members, failing from {@code lastAt} - 5 min. */
    static Incident sameMoment(int number, String domain, Instant lastAt, String... memberIds) {
        List<IncidentMember> members = new ArrayList<>();
        for (String id : memberIds) {
            members.add(member(id, domain, lastAt.minusSeconds(300)));
        }
        return incident(number, PatternKind.SAME_MOMENT, Cause.ADMIN_DISCONNECTED, domain, List.of(domain),
                ProviderFamily.MICROSOFT, "office365", IncidentStatus.OPEN, lastAt.minusSeconds(300), lastAt, members);
    }

    private List<String> incidentIds(IncidentQuery q) {
        return store.incidents(q).incidents().stream().map(Incident::id).toList();
    }

    private static IncidentQuery query(Instant since, String domain, String provider, Cause cause, IncidentStatus status) {
        return new IncidentQuery(since, domain, provider, cause, status, 100, null);
    }

    @Test
    public void anIncidentIsSavedAndReadBackWhole() {
        Instant first = T0.plusNanos(123_456_000); // microseconds survive both databases
        Incident saved = new Incident("inc-000042", PatternKind.RECURRING, Cause.CA_SIGNIN_FREQUENCY, "contoso.com",
                List.of("contoso.com"), ProviderFamily.MICROSOFT, "office365", IncidentStatus.CLOSED, 86_400L, 1_800L,
                first, T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(3)), 2,
                List.of(new IncidentMember("Acc-A", "a@contoso.com", "office365", first, T0.plus(Duration.ofDays(1)), 2,
                                "AADSTS70043", 86_100L),
                        new IncidentMember("acc-b", null, null, T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(2)), 1,
                                null, null)),
                List.of("AADSTS70043", "invalid_grant"), "2 accounts of contoso.com fail 24 h after each sign-in",
                List.of(new EvidenceItem("auth_log", first, "AADSTS70043: sign-in frequency"),
                        new EvidenceItem("peers", null, "acc-b failed")),
                T0.plus(Duration.ofDays(3)));
        store.save(List.of(saved), Map.of());

        assertEquals(saved, store.incident("inc-000042").orElseThrow());
        assertEquals(saved, store.incident(" inc-000042 ").orElseThrow());
        assertTrue(store.incident("inc-000043").isEmpty());
        assertTrue(store.incident(null).isEmpty());
        assertEquals(42, store.lastIncidentNumber());
        // membership ignores the case of the account id
        assertEquals(List.of(saved), store.incidentsOf("acc-a"));
        assertEquals(List.of(saved), store.incidentsOf("ACC-B"));
        assertEquals(List.of(), store.incidentsOf("acc-c"));
    }

    @Test
    public void aSaveReplacesTheIncidentItsMembersAndItsDomains() throws Exception {
        Instant at = T0.plusSeconds(600);
        store.save(List.of(sameMoment(1, "contoso.com", at, "a", "b")), Map.of());
        Incident grown = incident(1, PatternKind.PROVIDER_WIDE, Cause.PROVIDER_OUTAGE, null,
                List.of("fabrikam.com", "tailspin.com"), ProviderFamily.MICROSOFT, "office365", IncidentStatus.OPEN,
                at.minusSeconds(300), at.plusSeconds(60),
                List.of(member("b", "fabrikam.com", at), member("c", "tailspin.com", at.plusSeconds(60))));
        store.save(List.of(grown), Map.of());

        assertEquals(grown, store.incident("inc-000001").orElseThrow());
        assertEquals(List.of(), store.incidentsOf("a"));
        assertEquals(List.of("inc-000001"), store.incidentsOf("c").stream().map(Incident::id).toList());
        assertEquals(List.of(), incidentIds(query(null, "contoso.com", null, null, null)));
        assertEquals(List.of("inc-000001"), incidentIds(query(null, "tailspin.com", null, null, null)));
        assertEquals(1, count("incidents"));
        assertEquals(2, count("incident_members"));
        assertEquals(2, count("incident_domains"));
    }

    @Test
    public void incidentsAreFilteredByEachFilter() {
        Instant t = T0.plus(Duration.ofDays(1));
        Incident domain = sameMoment(1, "contoso.com", t, "a1", "a2");
        Incident wide = incident(2, PatternKind.PROVIDER_WIDE, Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, null,
                List.of("contoso.com", "fabrikam.com", "tailspin.com"), ProviderFamily.GOOGLE, "google",
                IncidentStatus.CLOSED, t.plusSeconds(60), t.plusSeconds(120),
                List.of(member("g1", "contoso.com", t), member("g2", "fabrikam.com", t), member("g3", "tailspin.com", t)));
        Incident old = incident(3, PatternKind.RECURRING, Cause.DOMAIN_SESSION_POLICY, "northwind.com",
                List.of("northwind.com"), ProviderFamily.EAS, "Exchange", IncidentStatus.CLOSED,
                T0.minus(Duration.ofDays(40)), T0.minus(Duration.ofDays(30)), List.of(member("n1", "northwind.com", T0)));
        store.save(List.of(domain, wide, old), Map.of());

        assertEquals(List.of("inc-000002", "inc-000001", "inc-000003"), incidentIds(query(null, null, null, null, null)));
        // since: last_at at or after
        assertEquals(List.of("inc-000002", "inc-000001"), incidentIds(query(t, null, null, null, null)));
        assertEquals(List.of("inc-000002"), incidentIds(query(t.plusSeconds(120), null, null, null, null)));
        // domain: the incident's own, or one of a provider-wide incident's domains; ignoring case
        assertEquals(List.of("inc-000002", "inc-000001"), incidentIds(query(null, "Contoso.COM", null, null, null)));
        assertEquals(List.of("inc-000002"), incidentIds(query(null, "fabrikam.com", null, null, null)));
        assertEquals(List.of("inc-000003"), incidentIds(query(null, "northwind.com", null, null, null)));
        assertEquals(List.of(), incidentIds(query(null, "nowhere.com", null, null, null)));
        // provider: the provider attribute or the family id, ignoring case
        assertEquals(List.of("inc-000001"), incidentIds(query(null, null, "Office365", null, null)));
        assertEquals(List.of("inc-000001"), incidentIds(query(null, null, "MICROSOFT", null, null)));
        assertEquals(List.of("inc-000003"), incidentIds(query(null, null, "exchange", null, null)));
        assertEquals(List.of("inc-000003"), incidentIds(query(null, null, "eas", null, null)));
        assertEquals(List.of("inc-000002"), incidentIds(query(null, null, "google", null, null)));
        // cause and status
        assertEquals(List.of("inc-000003"), incidentIds(query(null, null, null, Cause.DOMAIN_SESSION_POLICY, null)));
        assertEquals(List.of(), incidentIds(query(null, null, null, Cause.PROVIDER_OUTAGE, null)));
        assertEquals(List.of("inc-000001"), incidentIds(query(null, null, null, null, IncidentStatus.OPEN)));
        assertEquals(List.of("inc-000002", "inc-000003"), incidentIds(query(null, null, null, null, IncidentStatus.CLOSED)));
        // all together
        assertEquals(List.of("inc-000002"), incidentIds(query(t, "contoso.com", "google",
                Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, IncidentStatus.CLOSED)));
        assertEquals("exact spelling as stored: lower-cased", "exchange", store.incident("inc-000003").orElseThrow().provider());
    }

    @Test
    public void pagesFollowEachOtherInAStableOrderWithoutRepeatsOrGaps() {
        // 8 incidents, three of them at the same last_at (the id breaks the tie), two 1 µs apart
        Instant t = T0.plusNanos(1_000);
        List<Incident> all = new ArrayList<>();
        Instant[] lastAts = {t, t.plusSeconds(60), t.plusSeconds(60), t.plusSeconds(60), t.plusSeconds(120),
                t.plusSeconds(120).plusNanos(1_000), t.plusSeconds(180), t.plusSeconds(240)};
        for (int i = 0; i < lastAts.length; i++) {
            all.add(sameMoment(i + 1, "d" + (i % 2) + ".example.com", lastAts[i], "m" + i));
        }
        store.save(all, Map.of());
        List<String> expected = all.stream().sorted(IncidentQueries.LATEST_FIRST).map(Incident::id).toList();
        assertEquals(List.of("inc-000008", "inc-000007", "inc-000006", "inc-000005", "inc-000004", "inc-000003",
                "inc-000002", "inc-000001"), expected);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        List<Integer> sizes = new ArrayList<>();
        for (int page = 0; page < 5; page++) {
            IncidentPage p = store.incidents(new IncidentQuery(null, null, null, null, null, 3, cursor));
            sizes.add(p.incidents().size());
            p.incidents().forEach(i -> seen.add(i.id()));
            cursor = p.next();
            if (cursor == null) {
                break;
            }
        }
        assertEquals(List.of(3, 3, 2), sizes);
        assertEquals(expected, seen);

        // a new incident meanwhile (latest of all) does not shift the pages after the first
        IncidentPage first = store.incidents(new IncidentQuery(null, null, null, null, null, 3, null));
        store.save(List.of(sameMoment(9, "d0.example.com", t.plusSeconds(300), "m9")), Map.of());
        IncidentPage second = store.incidents(new IncidentQuery(null, null, null, null, null, 3, first.next()));
        assertEquals(expected.subList(3, 6), second.incidents().stream().map(Incident::id).toList());
        // the cursor works with a filter too
        IncidentPage filtered = store.incidents(new IncidentQuery(null, "d1.example.com", null, null, null, 2, null));
        IncidentPage rest = store.incidents(new IncidentQuery(null, "d1.example.com", null, null, null, 2, filtered.next()));
        assertEquals(List.of("inc-000008", "inc-000006", "inc-000004", "inc-000002"),
                java.util.stream.Stream.concat(filtered.incidents().stream(), rest.incidents().stream())
                        .map(Incident::id).toList());
        assertNull(rest.next());
    }

    @Test
    public void aMalformedCursorIsRefusedWithAClearMessage() {
        store.save(List.of(sameMoment(1, "contoso.com", T0, "a")), Map.of());
        for (String bad : List.of("not a cursor!", "%%%", Base64.getUrlEncoder().encodeToString("no-bar".getBytes()),
                Base64.getUrlEncoder().encodeToString("yesterday|inc-000001".getBytes()),
                Base64.getUrlEncoder().encodeToString("2026-05-12T10:00:00Z|".getBytes()))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> store.incidents(new IncidentQuery(null, null, null, null, null, 10, bad)));
            assertTrue(e.getMessage(), e.getMessage().contains("cursor") && e.getMessage().contains("'next'"));
        }
    }

    @Test
    public void cursorsAreSavedWithTheIncidentsOrNotAtAll() throws Exception {
        assertEquals(Map.of(), store.cursors());
        assertEquals(0, store.lastIncidentNumber());
        store.save(List.of(sameMoment(7, "contoso.com", T0, "a")), Map.of("state", 10L, "errors", 4L));
        assertEquals(Map.of("state", 10L, "errors", 4L), store.cursors());
        store.save(List.of(), Map.of("state", 12L));
        assertEquals(Map.of("state", 12L, "errors", 4L), store.cursors());

        // inc-7 has the number of inc-000007: the database refuses it, and the whole save is rolled back
        Incident fresh = sameMoment(8, "fabrikam.com", T0, "b");
        Incident clash = new Incident("inc-7", PatternKind.SAME_MOMENT, Cause.ADMIN_DISCONNECTED, "x.com", List.of(),
                null, null, IncidentStatus.OPEN, null, null, T0, T0, null, 0, List.of(), List.of(), null, List.of(), T0);
        assertThrows(StoreException.class, () -> store.save(List.of(fresh, clash), Map.of("state", 20L)));
        assertEquals(Map.of("state", 12L, "errors", 4L), store.cursors());
        assertTrue(store.incident("inc-000008").isEmpty());
        assertEquals(7, store.lastIncidentNumber());

        // what the tracker gets wrong is refused before anything is written
        assertThrows(IllegalArgumentException.class, () -> store.save(List.of(new Incident("42", PatternKind.FLAPPING,
                Cause.UNDETERMINED, null, null, null, null, IncidentStatus.OPEN, null, null, T0, T0, null, 0, null, null,
                null, null, T0)), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> store.save(List.of(fresh), Map.of(" ", 1L)));
        assertThrows(IllegalArgumentException.class, () -> store.save(List.of(new Incident("inc-9", PatternKind.FLAPPING,
                null, null, null, null, null, IncidentStatus.OPEN, null, null, T0, T0, null, 0, null, null, null, null,
                T0)), Map.of()));
        assertTrue(store.incident("inc-000008").isEmpty());
    }

    @Test
    public void theWorkingSetIsTheOpenIncidentsAndTheRecentOnes() {
        Incident openOld = sameMoment(1, "a.com", T0.minus(Duration.ofDays(20)), "a");
        Incident closedRecent = incident(2, PatternKind.SAME_MOMENT, Cause.ADMIN_DISCONNECTED, "b.com", List.of("b.com"),
                null, null, IncidentStatus.CLOSED, T0, T0.plusSeconds(10), List.of(member("b", "b.com", T0)));
        Incident closedOld = incident(3, PatternKind.SAME_MOMENT, Cause.ADMIN_DISCONNECTED, "c.com", List.of("c.com"),
                null, null, IncidentStatus.CLOSED, T0.minus(Duration.ofDays(30)), T0.minus(Duration.ofDays(30)),
                List.of(member("c", "c.com", T0)));
        store.save(List.of(openOld, closedRecent, closedOld), Map.of());
        assertEquals(List.of("inc-000002", "inc-000001"),
                store.active(T0.minus(Duration.ofDays(1))).stream().map(Incident::id).toList());
        assertEquals(List.of("inc-000002", "inc-000001", "inc-000003"),
                store.active(T0.minus(Duration.ofDays(60))).stream().map(Incident::id).toList());
    }

    // ---------------------------------------------------------------------------------------------- feed

    static EvidenceRecord failure(String type, Instant at, String id, String error, String message, Instant grantUpdatedAt) {
        return new Notification(new AccountEvent(type, at, id, null, null, error, message, null, null, grantUpdatedAt),
                id + "|" + type + "|" + at.getEpochSecond());
    }

    @Test
    public void stateChangesComeInFeedOrderWithTheAccountTheirErrorAndTheLatestReauthentication() {
        Instant linked = T0.minus(Duration.ofDays(10));
        Account withActivity = new Account("a", "Sam@Contoso.com", "office365", ProviderFamily.MICROSOFT, null, "running",
                "paid", linked, null, T0.minusSeconds(60), null, 2);
        store.store(List.of(new AccountSnapshot(withActivity),
                snapshot("b", "kim@fabrikam.com", "gmail", ProviderFamily.GOOGLE, "invalid")));
        clock.now = T0.plus(Duration.ofHours(1));
        store.store(List.of(failure("account.invalid", T0.plus(Duration.ofHours(1)), "a", "invalid_grant",
                "AADSTS50173: the grant was revoked", null)));
        clock.now = T0.plus(Duration.ofHours(3));
        store.store(List.of(webhook("account.running", T0.plus(Duration.ofHours(2)), "a"),
                webhook("account.stopped", T0.plus(Duration.ofHours(3)), "a")));
        // a v3 grant: its notification's grant_updated_at is the last token refresh, not a re-authentication
        store.store(List.of(failure("grant.expired", T0.plus(Duration.ofHours(3)), "g", null, null,
                T0.minus(Duration.ofDays(7)))));
        // a running change that arrives after an invalid one of an earlier time does not count for it (feed order)
        store.store(List.of(webhook("account.running", T0.minus(Duration.ofHours(5)), "b")));

        List<StateChange> all = store.stateChangesAfter(0, 100);
        assertEquals(List.of("a:running", "b:invalid", "a:invalid", "a:running", "a:stopped", "g:invalid", "b:running"),
                all.stream().map(c -> c.accountId() + ":" + c.state()).toList());
        for (int i = 1; i < all.size(); i++) {
            assertTrue("strictly increasing positions", all.get(i).seq() > all.get(i - 1).seq());
        }
        StateChange snapshotA = all.get(0);
        assertNull(snapshotA.trigger());
        assertEquals("a linked_at at or before the change", linked, snapshotA.reauthAt());
        assertEquals("sam@contoso.com", snapshotA.email());
        assertEquals("office365", snapshotA.provider());
        assertEquals(ProviderFamily.MICROSOFT, snapshotA.family());
        assertEquals(AuthType.OAUTH, snapshotA.authType());
        assertEquals(T0.minusSeconds(60), snapshotA.lastActivityAt());

        StateChange invalidA = all.get(2);
        assertEquals("account.invalid", invalidA.trigger());
        assertEquals("running", invalidA.previousState());
        assertEquals(T0.plus(Duration.ofHours(1)), invalidA.at());
        assertTrue(invalidA.isFailure());
        assertEquals("the earlier change to running (the snapshot, at T0) beats linked_at", T0, invalidA.reauthAt());
        assertEquals("invalid_grant", invalidA.error());
        assertEquals("AADSTS50173: the grant was revoked", invalidA.message());

        StateChange stoppedA = all.get(4);
        assertEquals(T0.plus(Duration.ofHours(2)), stoppedA.reauthAt());
        assertNull("a v2 delta carries no error", stoppedA.error());
        assertNull(stoppedA.message());

        StateChange expired = all.get(5);
        assertEquals("grant.expired", expired.trigger());
        assertNull("grant_updated_at (last refresh) is no re-authentication", expired.reauthAt());
        assertNull(expired.email());

        StateChange invalidB = all.get(1);
        assertEquals(linked, invalidB.reauthAt());

        // paging by position
        assertEquals(all.subList(2, 4), store.stateChangesAfter(all.get(1).seq(), 2));
        assertEquals(List.of(), store.stateChangesAfter(all.get(6).seq(), 10));
        assertThrows(IllegalArgumentException.class, () -> store.stateChangesAfter(0, 0));
    }

    @Test
    public void errorLinesAreTheLogLinesThatSaySomethingWentWrong() {
        store.store(List.of(
                new LogEntry(new LogLine(EvidenceSource.SYNC_LOG, T0, "info", null, "synced 20 messages", "a", null)),
                new LogEntry(new LogLine(EvidenceSource.SYNC_LOG, T0.plusSeconds(1), "ERROR", null, "IMAP [UNAVAILABLE]", "a", null)),
                new LogEntry(new LogLine(EvidenceSource.AUTH_LOG, T0.plusSeconds(2), null, null, "AADSTS70043 sign-in frequency", null, "x@contoso.com")),
                new LogEntry(new LogLine(EvidenceSource.SYNC_LOG, T0.plusSeconds(3), "info", "invalid_grant", null, "b", null)),
                new LogEntry(new LogLine(EvidenceSource.SYNC_LOG, T0.plusSeconds(4), "warning", null, "token refresh slow", "b", null)),
                new LogEntry(new LogLine(EvidenceSource.SYNC_LOG, T0.plusSeconds(5), "warning", null, null, "b", null)),
                new LogEntry(new LogLine(EvidenceSource.SYNC_LOG, T0.plusSeconds(6), "debug", null, "heartbeat", "b", null))));
        List<ErrorLine> lines = store.errorLinesAfter(0, 100);
        assertEquals(List.of("IMAP [UNAVAILABLE]", "AADSTS70043 sign-in frequency", "invalid_grant", "token refresh slow"),
                lines.stream().map(l -> l.error() != null ? l.error() : l.message()).toList());
        assertEquals("x@contoso.com", lines.get(1).email());
        assertNull(lines.get(1).accountId());
        assertEquals(T0.plusSeconds(1), lines.get(0).at());
        assertEquals("a", lines.get(0).accountId());
        assertEquals(lines.subList(1, 3), store.errorLinesAfter(lines.get(0).seq(), 2));
        assertEquals(List.of(), store.errorLinesAfter(lines.get(3).seq(), 100));
    }

    @Test
    public void theReplayPositionIsJustBeforeTheFirstChangeAtOrAfterATime() {
        assertEquals("an empty feed", 0, store.stateChangePositionBefore(T0));
        store.store(List.of(webhook("account.invalid", T0, "a")));
        store.store(List.of(webhook("account.invalid", T0.plus(Duration.ofHours(1)), "b")));
        store.store(List.of(webhook("account.invalid", T0.plus(Duration.ofHours(2)), "c")));
        // arrives late: happened before the others
        store.store(List.of(webhook("account.invalid", T0.minus(Duration.ofHours(1)), "d")));
        List<StateChange> all = store.stateChangesAfter(0, 10);
        assertEquals(List.of("a", "b", "c", "d"), all.stream().map(StateChange::accountId).toList());

        assertEquals("nothing before: replay everything", 0, store.stateChangePositionBefore(T0.minus(Duration.ofDays(1))));
        long p = store.stateChangePositionBefore(T0.plus(Duration.ofHours(1)));
        assertEquals(all.get(0).seq(), p);
        assertEquals(List.of("b", "c", "d"), store.stateChangesAfter(p, 10).stream().map(StateChange::accountId).toList());
        // the late change's low time does not hide b and c
        long q = store.stateChangePositionBefore(T0.minus(Duration.ofMinutes(30)));
        assertEquals(List.of("a", "b", "c", "d"), store.stateChangesAfter(q, 10).stream().map(StateChange::accountId).toList());
        assertEquals("nothing at or after: the end of the feed", all.get(3).seq(),
                store.stateChangePositionBefore(T0.plus(Duration.ofDays(1))));
    }

    // ------------------------------------------------------------------------------- evidence and purge

    @Test
    public void theEvidenceCarriesTheAccountsIncidentsAndTheirMembersAsPeers() {
        Instant failure = T0.plus(Duration.ofDays(5));
        store.store(List.of(
                snapshot("diag", "sam@northgate-freight.com", "office365", ProviderFamily.MICROSOFT, "running"),
                snapshot("near", "olu@northgate-freight.com", "office365", ProviderFamily.MICROSOFT, "running"),
                // a member of a consumer domain, failing 3 h after the account: no peer by domain nor by provider window
                snapshot("far", "someone@outlook.com", "outlook", ProviderFamily.MICROSOFT, "running"),
                // the only other member of a flapping incident: never a peer through it
                snapshot("flap", "flap@wingtip.com", "gmail", ProviderFamily.GOOGLE, "running")));
        store.store(List.of(
                webhook("account.invalid", failure, "diag"),
                webhook("account.invalid", failure.minus(Duration.ofMinutes(5)), "near"),
                webhook("account.invalid", failure.plus(Duration.ofHours(3)), "far"),
                log(EvidenceSource.AUTH_LOG, failure.plus(Duration.ofHours(3)).minusSeconds(30), "invalid_client",
                        "AADSTS7000222", "far", null),
                webhook("account.invalid", failure, "flap")));

        Evidence before = store.evidence("diag", failure.plus(Duration.ofDays(1))).orElseThrow();
        assertEquals(List.of(), before.incidents());
        assertEquals(List.of("near"), before.peers().stream().map(Peer::id).toList());

        Incident wide = incident(1, PatternKind.PROVIDER_WIDE, Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, null,
                List.of("northgate-freight.com", "outlook.com"), ProviderFamily.MICROSOFT, "office365",
                IncidentStatus.OPEN, failure.minus(Duration.ofMinutes(5)), failure.plus(Duration.ofHours(3)),
                List.of(member("near", "northgate-freight.com", failure.minus(Duration.ofMinutes(5))),
                        member("DIAG", "northgate-freight.com", failure),
                        member("far", "outlook.com", failure.plus(Duration.ofHours(3)))));
        Incident flapping = incident(2, PatternKind.FLAPPING, Cause.UNDETERMINED, "northgate-freight.com",
                List.of("northgate-freight.com"), ProviderFamily.MICROSOFT, "office365", IncidentStatus.OPEN,
                failure, failure, List.of(member("diag", "northgate-freight.com", failure), member("flap", "wingtip.com", failure)));
        store.save(List.of(wide, flapping), Map.of());

        Evidence ev = store.evidence("diag", failure.plus(Duration.ofDays(1))).orElseThrow();
        assertEquals(List.of("inc-000001", "inc-000002"), ev.incidents().stream().map(Incident::id).toList());
        Map<String, Peer> peers = new LinkedHashMap<>();
        ev.peers().forEach(p -> peers.put(p.id(), p));
        assertEquals("once each, never the account itself nor a flapping incident's member",
                List.of("near", "far"), new ArrayList<>(peers.keySet()));
        Peer far = peers.get("far");
        assertEquals("outlook", far.provider());
        assertEquals("its failure, which is after the account's own window", List.of("account.invalid"), types(far));
        assertEquals("invalid_client", far.events().get(0).error());
        assertEquals("AADSTS7000222", far.events().get(0).message());
        assertEquals(List.of("account.invalid"), types(peers.get("near")));
        // the member's own evidence names the same incident
        assertEquals(List.of("inc-000001"), store.evidence("far", failure.plus(Duration.ofDays(1))).orElseThrow()
                .incidents().stream().map(Incident::id).toList());
    }

    @Test
    public void aLargeIncidentLendsItsMembersNearestInTimeAsPeersNotAllOfThem() {
        // a schedule incident of 80 Google accounts over 80 hours, one per hour, each on a domain of its own
        Instant first = T0.plus(Duration.ofDays(3));
        List<EvidenceRecord> records = new ArrayList<>();
        List<IncidentMember> members = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            Instant at = first.plus(Duration.ofHours(i));
            records.add(snapshot("tm" + i, "u@tm" + i + ".example", "gmail", ProviderFamily.GOOGLE, "invalid"));
            members.add(member("tm" + i, "tm" + i + ".example", at));
        }
        store.store(records);
        Instant mine = first.plus(Duration.ofHours(40));
        store.store(List.of(webhook("account.invalid", mine, "tm40")));
        store.save(List.of(incident(7, PatternKind.SCHEDULE, Cause.GOOGLE_APP_TESTING_MODE, null, List.of(),
                ProviderFamily.GOOGLE, "gmail", IncidentStatus.OPEN, first, first.plus(Duration.ofHours(79)), members)),
                Map.of());

        Evidence ev = store.evidence("tm40", mine.plus(Duration.ofHours(1))).orElseThrow();
        assertEquals("the whole incident, with all its members", 80, ev.incidents().get(0).accounts().size());
        Set<String> peers = peerIds(ev);
        assertEquals(EvidenceQueries.MAX_INCIDENT_PEERS, peers.size());
        // the 50 members that failed nearest to hour 40: hours 15 .. 65 but itself (ties by the incident's order)
        for (int i = 16; i <= 64; i++) {
            assertEquals("tm" + i, i != 40, peers.contains("tm" + i));
        }
        assertFalse(peers.contains("tm0"));
        assertFalse(peers.contains("tm79"));
    }

    @Test
    public void purgeDeletesIncidentsWhoseLastFailureIsOlderThanTheCutoff() throws Exception {
        Instant cutoff = T0.minus(Duration.ofDays(90));
        Incident old = incident(5, PatternKind.PROVIDER_WIDE, Cause.PROVIDER_OUTAGE, null, List.of("a.com", "b.com"),
                ProviderFamily.GOOGLE, "google", IncidentStatus.CLOSED, cutoff.minus(Duration.ofDays(2)),
                cutoff.minusSeconds(1), List.of(member("a", "a.com", cutoff), member("b", "b.com", cutoff)));
        Incident recent = sameMoment(3, "c.com", cutoff.plusSeconds(1), "c");
        store.save(List.of(old, recent), Map.of("state", 1L));

        // 1 incident + 2 members + 2 domains
        assertEquals(5, store.purgeBefore(cutoff));
        assertTrue(store.incident("inc-000005").isEmpty());
        assertTrue(store.incident("inc-000003").isPresent());
        assertEquals(List.of(), store.incidentsOf("a"));
        assertEquals(1, count("incident_members"));
        assertEquals(1, count("incident_domains"));
        assertEquals(Map.of("state", 1L), store.cursors());
        assertEquals("the number of a purged incident is never given again", 5, store.lastIncidentNumber());
        assertEquals(0, store.purgeBefore(cutoff));
    }
}
