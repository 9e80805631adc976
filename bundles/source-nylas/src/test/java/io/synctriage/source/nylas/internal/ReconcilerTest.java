package io.synctriage.source.nylas.internal;

import static io.synctriage.source.nylas.internal.Configs.config;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.synctriage.engine.internal.EvidenceNormalizer;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;
import io.synctriage.source.nylas.internal.FakeNylas.Request;
import io.synctriage.source.nylas.internal.FakeNylas.Response;

public class ReconcilerTest {

    private static final Instant T1 = Instant.parse("2026-05-12T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-05-12T10:05:00Z");
    private static final Instant T3 = Instant.parse("2026-05-12T10:10:00Z");

    private FakeNylas nylas;
    private final FakeStore store = new FakeStore();
    private final EvidenceNormalizer reader = new EvidenceNormalizer(Clock.systemUTC());

    @Before
    public void start() throws Exception {
        nylas = new FakeNylas();
    }

    @After
    public void stop() {
        nylas.close();
    }

    private PollerSettings v2(int pageSize) {
        return PollerSettings.of(config("enabled", true, "api.version", 2, "base.url", nylas.baseUrl(),
                "client.id", "client-7", "client.secret", "s3cret-v2", "page.size", pageSize));
    }

    private PollerSettings v3(int pageSize) {
        return PollerSettings.of(config("enabled", true, "api.version", 3, "base.url", nylas.baseUrl() + "/",
                "api.key", "nyk_v3_key", "page.size", pageSize));
    }

    private PollOutcome poll(PollerSettings s, Instant at) throws InterruptedException {
        assertTrue(s.problems().toString(), s.valid());
        Clock clock = Clock.fixed(at, ZoneOffset.UTC);
        NylasApi api = new NylasApi(s, NylasApi.newHttpClient(s), new ObjectMapper(), clock);
        return new Reconciler(s, api, reader, store, clock).poll();
    }

    private static List<Map<String, Object>> v2Fleet(int n) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(FakeNylas.v2Account("acc" + i, "user" + i + "@example.org", "gmail", "running"));
        }
        return list;
    }

    @Test
    public void v2PagesThroughEveryAccountWithTheClientSecretAsBasicUser() throws Exception {
        nylas.accounts = v2Fleet(250);

        PollOutcome o = poll(v2(100), T1);

        assertNull(o.error(), o.error());
        assertEquals(250, o.accountsSeen());
        assertEquals(250, o.snapshotsStored());
        assertEquals(0, o.changesRecorded()); // first sight: no earlier state to have changed from
        assertEquals(4, o.pages()); // 100 + 100 + 50, then the empty page that ends the list
        List<Request> reqs = nylas.requests();
        assertEquals(4, reqs.size());
        String basic = "Basic " + Base64.getEncoder().encodeToString("s3cret-v2:".getBytes(StandardCharsets.UTF_8));
        // the offset advances by what each page held: 0, 100, 200, then 250 (empty)
        List<String> offsets = List.of("0", "100", "200", "250");
        for (int i = 0; i < reqs.size(); i++) {
            Request r = reqs.get(i);
            assertEquals("GET", r.method());
            assertEquals("/a/client-7/accounts", r.path());
            assertEquals(offsets.get(i), r.query().get("offset"));
            assertEquals("100", r.query().get("limit"));
            assertEquals(basic, r.authorization());
        }
        assertEquals(250, store.accounts.size());
        // normalised by the engine's reader: v2 management shape
        assertEquals("user3@example.org", store.accounts.get("acc3").email());
        assertEquals("running", store.accounts.get("acc3").state());
        assertEquals(2, store.accounts.get("acc3").apiVersion());
        assertTrue(store.notifications.isEmpty());
    }

    @Test
    public void v3FollowsNextCursorWithTheApiKeyAsBearer() throws Exception {
        List<Map<String, Object>> grants = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            grants.add(FakeNylas.grant("grant-" + i, "g" + i + "@example.com", "google", "valid"));
        }
        nylas.accounts = grants;

        PollOutcome o = poll(v3(2), T1);

        assertNull(o.error(), o.error());
        assertEquals(5, o.accountsSeen());
        assertEquals(3, o.pages());
        List<Request> reqs = nylas.requests();
        assertEquals(3, reqs.size());
        assertNull(reqs.get(0).query().get("page_token"));
        assertEquals("cursor-2", reqs.get(1).query().get("page_token"));
        assertEquals("cursor-4", reqs.get(2).query().get("page_token"));
        for (Request r : reqs) {
            assertEquals("/v3/grants", r.path());
            assertEquals("2", r.query().get("limit"));
            assertEquals("Bearer nyk_v3_key", r.authorization());
        }
        assertEquals(3, store.accounts.get("grant-4").apiVersion());
        assertEquals("valid", store.accounts.get("grant-4").state());
        assertEquals(Instant.ofEpochSecond(1767225600), store.accounts.get("grant-4").createdAt());
    }

    @Test
    public void aMissedStateChangeIsRecordedOnceWithThePollTime() throws Exception {
        nylas.accounts = v2Fleet(3);
        poll(v2(100), T1);
        int snapshotsAfterFirst = store.snapshots.size();

        List<Map<String, Object>> changed = v2Fleet(3);
        changed.get(1).put("sync_state", "invalid-credentials"); // the management list's spelling
        nylas.accounts = changed;
        PollOutcome second = poll(v2(100), T2);

        assertNull(second.error());
        assertEquals(1, second.changesRecorded());
        assertEquals(1, second.snapshotsStored()); // only the changed account
        assertEquals(1, store.notifications.size());
        EvidenceRecord.Notification n = store.notifications.get(0);
        AccountEvent e = n.event();
        assertEquals("account.invalid", e.type());
        assertEquals("acc1", e.accountId());
        assertEquals("user1@example.org", e.email());
        assertEquals(T2, e.timestamp());
        assertTrue(e.isFailure());
        assertEquals("poll:acc1:invalid-credentials:" + T2.getEpochSecond(), n.deliveryKey());
        assertEquals("invalid-credentials", store.accounts.get("acc1").state());

        int storeCalls = store.storeCalls;
        PollOutcome third = poll(v2(100), T3); // unchanged data
        assertNull(third.error());
        assertEquals(0, third.changesRecorded());
        assertEquals(0, third.snapshotsStored());
        assertEquals(1, store.notifications.size());
        assertEquals(snapshotsAfterFirst + 1, store.snapshots.size());
        assertEquals("nothing to store, no store call", storeCalls, store.storeCalls);
    }

    @Test
    public void aStateTheWebhookAlreadyDeliveredIsNoChange() throws Exception {
        nylas.accounts = v2Fleet(2);
        poll(v2(100), T1);
        // the webhook's account.invalid set the state to "invalid"; the list spells it invalid-credentials
        store.put(FakeStore.withState(store.accounts.get("acc0"), "invalid"));
        List<Map<String, Object>> now = v2Fleet(2);
        now.get(0).put("sync_state", "invalid-credentials");
        nylas.accounts = now;

        PollOutcome o = poll(v2(100), T2);

        assertEquals(0, o.changesRecorded());
        assertTrue(store.notifications.isEmpty());
    }

    @Test
    public void aRecoveredAccountIsRecordedAsRunningAndAStoppedOneAsStopped() throws Exception {
        List<Map<String, Object>> before = v2Fleet(2);
        before.get(0).put("sync_state", "invalid");
        nylas.accounts = before;
        poll(v2(100), T1);
        List<Map<String, Object>> after = v2Fleet(2);
        after.get(1).put("sync_state", "stopped");
        nylas.accounts = after;

        PollOutcome o = poll(v2(100), T2);

        assertEquals(2, o.changesRecorded());
        assertEquals(List.of("account.running", "account.stopped"),
                store.notifications.stream().map(n -> n.event().type()).sorted().toList());
    }

    @Test
    public void anExpiredGrantIsRecordedAsGrantExpired() throws Exception {
        nylas.accounts = List.of(FakeNylas.grant("g-1", "a@example.com", "microsoft", "valid"));
        poll(v3(50), T1);
        nylas.accounts = List.of(FakeNylas.grant("g-1", "a@example.com", "microsoft", "invalid"));

        PollOutcome o = poll(v3(50), T2);

        assertEquals(1, o.changesRecorded());
        AccountEvent e = store.notifications.get(0).event();
        assertEquals("grant.expired", e.type());
        assertEquals("microsoft", e.provider());
        assertEquals(T2, e.timestamp());
        assertEquals("poll:g-1:invalid:" + T2.getEpochSecond(), store.notifications.get(0).deliveryKey());

        // re-authenticated: valid again
        nylas.accounts = List.of(FakeNylas.grant("g-1", "a@example.com", "microsoft", "valid"));
        assertEquals(1, poll(v3(50), T3).changesRecorded());
        assertEquals("grant.updated", store.notifications.get(1).event().type());
        assertTrue(store.notifications.get(1).event().isReauthentication());
    }

    @Test
    public void aStateWithoutATriggerIsStoredAsASnapshotOnly() throws Exception {
        nylas.accounts = v2Fleet(1);
        poll(v2(10), T1);
        List<Map<String, Object>> partial = v2Fleet(1);
        partial.get(0).put("sync_state", "partial");
        nylas.accounts = partial;

        PollOutcome o = poll(v2(10), T2);

        assertEquals(0, o.changesRecorded());
        assertEquals(1, o.snapshotsStored());
        assertEquals("partial", store.accounts.get("acc0").state());
    }

    @Test
    public void unauthorizedNamesTheKeyToFixAndStoresNothing() throws Exception {
        nylas.accounts = v2Fleet(3);
        nylas.script(Response.json(401, "{\"message\":\"Unauthorized\",\"type\":\"api_error\"}"));

        PollOutcome o = poll(v2(100), T1);

        assertEquals(NylasApiException.Kind.AUTH, o.errorKind());
        assertTrue(o.error(), o.error().contains("HTTP 401"));
        assertTrue(o.error(), o.error().contains("client.secret"));
        assertTrue(o.error(), o.error().contains("Unauthorized"));
        assertFalse("never the secret", o.error().contains("s3cret-v2"));
        assertFalse(o.transientFailure());
        assertEquals(0, store.storeCalls);

        nylas.script(Response.json(403, ""));
        PollOutcome v3 = poll(v3(100), T2);
        assertTrue(v3.error(), v3.error().contains("api.key"));
        assertFalse(v3.error().contains("nyk_v3_key"));
    }

    @Test
    public void aServerErrorEndsThePollWithItsRetryAfterAndTheNextPollSucceeds() throws Exception {
        nylas.accounts = v2Fleet(150);
        // the first page is served, the second fails: what was stored stays
        nylas.responder = null;
        PollerSettings s = v2(100);
        nylas.script(Response.json(200, FakeNylas.JSON.writeValueAsString(v2Fleet(100))),
                new Response(503, "{\"message\":\"upstream\"}", Map.of("Retry-After", "120")));

        PollOutcome failed = poll(s, T1);

        assertEquals(NylasApiException.Kind.UNAVAILABLE, failed.errorKind());
        assertTrue(failed.transientFailure());
        assertEquals(Duration.ofSeconds(120), failed.retryAfter());
        assertEquals(100, failed.snapshotsStored());
        assertFalse(failed.complete());

        PollOutcome ok = poll(s, T2);
        assertTrue(ok.error(), ok.complete());
        assertEquals(150, ok.accountsSeen());
        assertEquals(50, ok.snapshotsStored()); // the first 100 are unchanged
        assertEquals(150, store.accounts.size());
    }

    @Test
    public void tooManyRequestsIsTransient() throws Exception {
        nylas.script(new Response(429, "", Map.of("Retry-After", "Tue, 12 May 2026 10:01:30 GMT")));
        PollOutcome o = poll(v3(10), T1);
        assertEquals(NylasApiException.Kind.UNAVAILABLE, o.errorKind());
        assertEquals(Duration.ofSeconds(90), o.retryAfter());
    }

    @Test
    public void malformedJsonEndsThePollWithoutStoring() throws Exception {
        nylas.script(Response.json(200, "[{\"id\": \"a\", "));
        PollOutcome o = poll(v2(10), T1);
        assertEquals(NylasApiException.Kind.MALFORMED, o.errorKind());
        assertTrue(o.error(), o.error().contains("not JSON"));

        nylas.script(Response.json(200, "{\"accounts\": []}"));
        PollOutcome notAList = poll(v2(10), T1);
        assertTrue(notAList.error(), notAList.error().contains("expected a JSON array"));

        nylas.script(Response.json(200, "{\"request_id\":\"r\",\"next_cursor\":null}"));
        PollOutcome noData = poll(v3(10), T1);
        assertEquals(NylasApiException.Kind.MALFORMED, noData.errorKind());
        assertTrue(noData.error(), noData.error().contains("\"data\""));
        assertEquals(0, store.storeCalls);
    }

    @Test
    public void anUnreadableAccountIsSkippedAndTheRestStored() throws Exception {
        List<Map<String, Object>> list = v2Fleet(3);
        list.get(1).remove("id");
        list.get(1).remove("account_id");
        nylas.accounts = list;

        PollOutcome o = poll(v2(10), T1);

        assertTrue(o.error(), o.complete());
        assertEquals(1, o.rejected());
        assertEquals(2, o.snapshotsStored());
    }

    @Test
    public void aRecordTheStoreRefusesDoesNotBlockTheOthers() throws Exception {
        List<Map<String, Object>> list = v2Fleet(3);
        list.get(2).put("id", "x".repeat(300));
        nylas.accounts = list;

        PollOutcome o = poll(v2(10), T1);

        assertEquals(1, o.rejected());
        assertEquals(2, o.snapshotsStored());
        assertEquals(2, store.accounts.size());
    }

    @Test
    public void aCursorLoopStopsPaging() throws Exception {
        nylas.responder = req -> Response.json(200, "{\"request_id\":\"r\",\"data\":[{\"id\":\"g-"
                + req.query().getOrDefault("page_token", "first") + "\",\"grant_status\":\"valid\","
                + "\"provider\":\"google\",\"email\":\"x@example.com\"}],\"next_cursor\":\"same\"}");

        PollOutcome o = poll(v3(1), T1);

        assertTrue(o.error(), o.error().contains("cursor loop"));
        assertEquals(2, o.pages()); // first page, then the page of "same" which names "same" again
        assertEquals(2, nylas.requests().size());
        assertEquals(2, o.accountsSeen()); // both pages were stored before the loop was seen
    }

    @Test
    public void aServerIgnoringTheOffsetStopsPaging() throws Exception {
        String page = FakeNylas.JSON.writeValueAsString(v2Fleet(2));
        nylas.responder = req -> Response.json(200, page);

        PollOutcome o = poll(v2(2), T1);

        assertTrue(o.error(), o.error().contains("repeats accounts"));
        assertEquals(2, o.pages());
        assertEquals(2, o.accountsSeen());
    }

    @Test
    public void pagingIsBoundedByMaxPages() throws Exception {
        nylas.accounts = v2Fleet(50);
        PollerSettings s = PollerSettings.of(config("enabled", true, "base.url", nylas.baseUrl(),
                "client.id", "c", "client.secret", "s", "page.size", 5, "max.pages", 3));

        PollOutcome o = poll(s, T1);

        assertTrue(o.error(), o.error().contains("max.pages = 3"));
        assertEquals(3, nylas.requests().size());
        assertEquals(15, o.snapshotsStored());
    }

    @Test
    public void aStoreFailureEndsThePollAndTheNextOneRecovers() throws Exception {
        nylas.accounts = v2Fleet(5);
        store.failure = new EvidenceStore.StoreException("connection lost", new java.sql.SQLException("boom"));

        PollOutcome o = poll(v2(10), T1);

        assertTrue(o.error(), o.error().contains("evidence store failed"));
        assertNull(o.errorKind());

        store.failure = null;
        PollOutcome next = poll(v2(10), T2);
        assertTrue(next.complete());
        assertEquals(5, next.snapshotsStored());
    }

    @Test
    public void aRefusedConnectionIsAnIoFailure() throws Exception {
        String base = nylas.baseUrl();
        nylas.close();
        PollerSettings s = PollerSettings.of(config("enabled", true, "base.url", base,
                "client.id", "c", "client.secret", "s"));
        PollOutcome o = poll(s, T1);
        assertEquals(NylasApiException.Kind.IO, o.errorKind());
        assertTrue(o.transientFailure());
        nylas = new FakeNylas(); // for @After
    }

    @Test
    public void aNotFoundPointsAtTheClientIdAndBaseUrl() throws Exception {
        PollerSettings s = PollerSettings.of(config("enabled", true, "base.url", nylas.baseUrl() + "/wrong",
                "client.id", "c", "client.secret", "s"));
        PollOutcome o = poll(s, T1);
        assertEquals(NylasApiException.Kind.STATUS, o.errorKind());
        assertTrue(o.error(), o.error().contains("HTTP 404") && o.error().contains("client.id"));
    }

    @Test
    public void retryAfterReadsSecondsAndDatesWithinBounds() {
        Instant now = Instant.parse("2026-05-12T10:00:00Z");
        assertEquals(Duration.ofSeconds(30), NylasApi.retryAfter("30", now));
        assertEquals(Duration.ofSeconds(60), NylasApi.retryAfter("Tue, 12 May 2026 10:01:00 GMT", now));
        assertEquals(Duration.ZERO, NylasApi.retryAfter("Tue, 12 May 2026 09:00:00 GMT", now));
        assertEquals(NylasApi.MAX_RETRY_AFTER, NylasApi.retryAfter("999999", now));
        assertNull(NylasApi.retryAfter("soon", now));
        assertNull(NylasApi.retryAfter(null, now));
    }

    @Test
    public void settingsNameTheKeysToFixAndNeverShowSecrets() {
        PollerSettings none = PollerSettings.of(config("enabled", true));
        assertEquals(2, none.problems().size());
        assertTrue(none.problems().toString(), none.problems().get(0).contains("client.id"));
        assertTrue(none.problems().get(1).contains("client.secret"));
        assertEquals("https://api.nylas.com", none.baseUrl().toString());

        PollerSettings v3 = PollerSettings.of(config("enabled", true, "api.version", 3));
        assertEquals("https://api.us.nylas.com", v3.baseUrl().toString());
        assertTrue(v3.problems().toString(), v3.problems().get(0).contains("api.key"));

        PollerSettings bad = PollerSettings.of(config("api.version", 4, "base.url", "ftp://x", "interval.seconds", 1L,
                "page.size", 0, "client.id", "c", "client.secret", "s"));
        String all = bad.problems().toString();
        assertTrue(all, all.contains("api.version") && all.contains("base.url") && all.contains("interval.seconds")
                && all.contains("page.size"));

        PollerSettings ok = PollerSettings.of(config("client.id", "c", "client.secret", "topsecret",
                "api.key", "alsosecret"));
        assertTrue(ok.valid());
        assertFalse(ok.toString().contains("topsecret"));
        assertFalse(ok.toString().contains("alsosecret"));
        assertNotNull(ok.describe());
        assertFalse(ok.describe().contains("topsecret"));
    }
}
