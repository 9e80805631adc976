package io.synctriage.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceRecord.AccountSnapshot;
import io.synctriage.model.EvidenceRecord.ApiLogEntry;
import io.synctriage.model.EvidenceRecord.LogEntry;
import io.synctriage.model.EvidenceRecord.Notification;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.LogLine;
import io.synctriage.model.Peer;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.StoreResult;
import io.synctriage.model.StoredAccount;

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
        assertEquals(0, Migrations.migrate(db.dataSource()).migrationsExecuted);
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
        assertEquals(List.of("account.invalid"), types(peers.get("p-near")));
        assertEquals(ProviderFamily.MICROSOFT, peers.get("p-near").family());
        assertEquals("invalid", peers.get("p-near").state());
        assertTrue(ev.supplied().contains(EvidenceSource.PEERS));
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
}
