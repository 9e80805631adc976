package io.synctriage.itests;

import static io.synctriage.itests.ApiAssertions.assertError;
import static io.synctriage.itests.Nylas.delta;
import static io.synctriage.itests.Nylas.sign;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * Fleet incidents in THE BUILT DISTRIBUTION: account snapshots and their logs are imported, the state
 * changes arrive as signed webhook bursts, and the fleet tracker must find exactly the planted incidents —
 * every detector once, with the right cause, scope and period — and nothing for a domain whose two failures
 * are weeks apart. Then the surfaces: the filters and errors of {@code GET /api/v1/fleet/incidents}, one
 * incident by id, {@code triage:incidents}, and a stored diagnosis that takes its cause from the incident and
 * cites it.
 *
 * <p>One container for the class: the fleet is planted once (the first test to run plants it) and every test
 * reads it. Each pattern lives on its own day and its own domains, so patterns cannot join each other.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FleetIncidentsIT {

    private static final String CLIENT_SECRET = "itest-fleet-client-secret-51ad";
    private static final String INCIDENTS = "/api/v1/fleet/incidents";
    private static final String EVIDENCE = "/api/v1/evidence";
    private static final String NDJSON = "application/x-ndjson";

    /** Days are counted back from here; everything stays inside the default 30-day `since` of the listing. */
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.HOURS);

    /** Planted once per container (the class shares one). */
    private static boolean planted;

    @Inject
    @Filter(timeout = 120_000)
    BootFinished bootFinished;

    @Inject
    @Filter(timeout = 60_000)
    SessionFactory sessionFactory;

    private final Http http = new Http();

    @Configuration
    public Option[] configuration() {
        return options(
                Containers.base(Containers.requiredFile("synctriage.distribution"), "Synctriage",
                        System.getProperty("karaf.version"), Containers.freePort()),
                editConfigurationFilePut("etc/io.synctriage.webhook.cfg", "client.secret", CLIENT_SECRET));
    }

    /** What the planted fleet must yield: "kind|cause|domain-or-family" of each incident. */
    private static final Set<String> EXPECTED = Set.of(
            "same_moment|ADMIN_REVOKED_SESSIONS|revoked-sessions.example",
            "same_moment|ADMIN_DISCONNECTED|eas-disconnect.example",
            "recurring|CA_SIGNIN_FREQUENCY|sif-policy.example",
            "recurring|DOMAIN_SESSION_POLICY|short-session.example",
            "provider_wide|OAUTH_CLIENT_CREDENTIALS_INVALID|google",
            "provider_wide|PROVIDER_OUTAGE|imap",
            "schedule|GOOGLE_APP_TESTING_MODE|google",
            "schedule|REFRESH_TOKEN_INACTIVE|microsoft",
            "flapping|MFA_REQUIRED|flap-mfa.example");

    @Before
    public void plantFleetOnce() throws Exception {
        await("API, webhook receiver, importer and incidents are up").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> http.get("/api/v1/health", null).status() == 200
                        && http.get(INCIDENTS, auth()).status() == 200
                        && http.post(EVIDENCE, auth(), NDJSON, new byte[0]).status() == 202
                        && http.get("/webhooks/nylas?challenge=up", null).status() == 200);
        if (!planted) {
            plant();
            planted = true;
            await("the fleet tracker finds the planted incidents").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> found().keySet().containsAll(EXPECTED));
        }
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test(timeout = 120_000)
    public void findsExactlyThePlantedIncidents() throws Exception {
        // the tracker polls: "exactly" must hold for a while, not just once (a spurious late incident would appear)
        await("exactly the planted incidents, for 2 s").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> found().keySet().equals(EXPECTED));
        Map<String, Map<String, Object>> found = found();
        assertEquals("incidents found: " + found.keySet(), new TreeSet<>(EXPECTED), new TreeSet<>(found.keySet()));

        Map<String, Object> sessions = found.get("same_moment|ADMIN_REVOKED_SESSIONS|revoked-sessions.example");
        assertEquals(Set.of("rs-1", "rs-2", "rs-3"), memberIds(sessions));
        assertNull(sessions.get("period_seconds"));
        assertEquals(List.of("revoked-sessions.example"), sessions.get("domains"));

        Map<String, Object> sif = found.get("recurring|CA_SIGNIN_FREQUENCY|sif-policy.example");
        assertEquals(Set.of("sif-1", "sif-2", "sif-3"), memberIds(sif));
        assertEquals(86_400L, ((Number) sif.get("period_seconds")).longValue());

        Map<String, Object> shortSession = found.get("recurring|DOMAIN_SESSION_POLICY|short-session.example");
        assertEquals(8 * 3600L, ((Number) shortSession.get("period_seconds")).longValue());

        Map<String, Object> credentials = found.get("provider_wide|OAUTH_CLIENT_CREDENTIALS_INVALID|google");
        assertNull("a provider-wide incident has no single domain", credentials.get("domain"));
        assertEquals(List.of("cred-a.example", "cred-b.example", "cred-c.example"), credentials.get("domains"));

        Map<String, Object> testing = found.get("schedule|GOOGLE_APP_TESTING_MODE|google");
        assertEquals(Set.of("tm-1", "tm-2"), memberIds(testing));
        assertEquals(7 * 86_400L, ((Number) testing.get("period_seconds")).longValue(), 12 * 3600);

        assertEquals(Set.of("flap-1"), memberIds(found.get("flapping|MFA_REQUIRED|flap-mfa.example")));
        for (Map<String, Object> incident : found.values()) {
            assertFalse("the domain with two failures weeks apart is in no incident: " + incident,
                    memberIds(incident).contains("apart-1") || memberIds(incident).contains("apart-2"));
        }
    }

    @Test(timeout = 60_000)
    public void filtersStatusAndPaging() throws Exception {
        List<Map<String, Object>> byDomain = list("?domain=revoked-sessions.example");
        assertEquals(1, byDomain.size());
        assertEquals("ADMIN_REVOKED_SESSIONS", byDomain.get(0).get("cause"));

        // a provider-wide incident is found by any of its domains
        List<Map<String, Object>> byMemberDomain = list("?domain=CRED-B.example");
        assertEquals(1, byMemberDomain.size());
        assertEquals("OAUTH_CLIENT_CREDENTIALS_INVALID", byMemberDomain.get(0).get("cause"));

        assertEquals(2, list("?provider=google&cause=GOOGLE_APP_TESTING_MODE").size()
                + list("?provider=google&cause=OAUTH_CLIENT_CREDENTIALS_INVALID").size());
        assertTrue(list("?cause=PROVIDER_OUTAGE&provider=microsoft").isEmpty());

        // the EAS disconnection happened minutes ago: still open; everything else has been quiet for days
        List<Map<String, Object>> open = list("?status=open");
        assertEquals(1, open.size());
        assertEquals("eas-disconnect.example", open.get(0).get("domain"));
        assertEquals(EXPECTED.size() - 1, list("?status=closed").size());

        // since filters on last_at: only the recent one, the short-session pattern ended 6 days ago
        assertEquals(1, list("?since=" + NOW.minus(1, ChronoUnit.DAYS).getEpochSecond()).size());
        assertEquals(EXPECTED.size(), list("?since=" + NOW.minus(29, ChronoUnit.DAYS)).size());

        // paging: limit 4 → 4 + 4 + 1, no incident twice, the same set as one page
        Set<String> paged = new TreeSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> page = page("?limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
            for (Object o : Json.list(page.get("incidents"), "incidents")) {
                assertTrue("each incident once", paged.add(String.valueOf(Json.map(o, "incident").get("id"))));
            }
            cursor = (String) page.get("next");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(EXPECTED.size(), paged.size());
    }

    @Test(timeout = 60_000)
    public void badParametersAreRefusedAndUnknownIdIs404() throws Exception {
        for (String query : List.of("?status=sleeping", "?cause=NOT_A_CAUSE", "?limit=0", "?limit=many",
                "?since=last-tuesday", "?cursor=bm90LWEtY3Vyc29y", "?cursor=!!", "?colour=red")) {
            Http.Response response = http.get(INCIDENTS + query, auth());
            assertError(response, 400);
        }
        assertError(http.get(INCIDENTS + "/inc-999999", auth()), 404);
        assertError(http.get(INCIDENTS, null), 401);
    }

    @Test(timeout = 60_000)
    public void oneIncidentByIdAndInTheShell() throws Exception {
        Map<String, Object> incident = found().get("same_moment|ADMIN_REVOKED_SESSIONS|revoked-sessions.example");
        String id = String.valueOf(incident.get("id"));
        Http.Response one = http.get(INCIDENTS + "/" + id, auth());
        assertEquals(one.toString(), 200, one.status());
        assertEquals(id, Json.object(one.body()).get("id"));

        String table = Shell.execute(sessionFactory, "triage:incidents --since 30d", 30);
        assertTrue(table, table.contains(id));
        assertTrue(table, table.contains("CA_SIGNIN_FREQUENCY"));
        String detail = Shell.execute(sessionFactory, "triage:incidents " + id, 30);
        for (String expected : List.of("ADMIN_REVOKED_SESSIONS", "rs-1", "rs-2", "rs-3", "AADSTS50173")) {
            assertTrue(expected + " in:\n" + detail, detail.contains(expected));
        }
    }

    @Test(timeout = 60_000)
    public void storedDiagnosisTakesTheIncidentAndCitesIt() throws Exception {
        Map<String, Map<String, Object>> found = found();
        String sifIncident = String.valueOf(found.get("recurring|CA_SIGNIN_FREQUENCY|sif-policy.example").get("id"));
        // sif-1 is the earliest member: it is diagnosed with the pattern too
        for (String account : List.of("sif-1", "sif-3")) {
            Http.Response response = http.get("/api/v1/accounts/" + account + "/diagnosis", auth());
            assertEquals(response.toString(), 200, response.status());
            Map<String, Object> diagnosis = Json.object(response.body());
            assertEquals(response.body(), "CA_SIGNIN_FREQUENCY", diagnosis.get("cause"));
            assertEquals(response.body(), "MAIL_ADMIN", diagnosis.get("actor"));
            assertTrue("cites " + sifIncident + ": " + response.body(), response.body().contains(sifIncident));
        }
        String eas = String.valueOf(found.get("same_moment|ADMIN_DISCONNECTED|eas-disconnect.example").get("id"));
        Http.Response response = http.get("/api/v1/accounts/eas-1@eas-disconnect.example/diagnosis", auth());
        assertEquals(response.toString(), 200, response.status());
        assertEquals(response.body(), "ADMIN_DISCONNECTED", Json.object(response.body()).get("cause"));
        assertTrue(response.body(), response.body().contains(eas));

        // not a member of anything: no incident cited, the weeks-apart failure is diagnosed on its own
        Http.Response apart = http.get("/api/v1/accounts/apart-2/diagnosis", auth());
        assertEquals(apart.toString(), 200, apart.status());
        assertFalse(apart.body(), apart.body().contains("inc-"));
    }

    // ------------------------------------------------------------------------------------- the planted fleet

    private void plant() throws Exception {
        Fleet fleet = new Fleet();

        // same moment, refined: three Microsoft accounts of one domain revoked within 6 minutes (AADSTS50173)
        Instant rs = day(20).plus(9, ChronoUnit.HOURS);
        for (int i = 1; i <= 3; i++) {
            String id = "rs-" + i;
            Instant at = rs.plus(3L * (i - 1), ChronoUnit.MINUTES);
            fleet.account(id, "user" + i + "@revoked-sessions.example", "office365", day(200));
            fleet.authLog(id, at.minusSeconds(40), "invalid_grant",
                    "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.");
            fleet.fail(id, at);
        }

        // same moment, generic: two EAS accounts of one domain stopped minutes ago, nothing logged → open
        Instant eas = NOW.minus(25, ChronoUnit.MINUTES);
        fleet.account("eas-1", "eas-1@eas-disconnect.example", "eas", day(120));
        fleet.account("eas-2", "eas-2@eas-disconnect.example", "eas", day(110));
        fleet.fail("eas-1", eas);
        fleet.fail("eas-2", eas.plus(4, ChronoUnit.MINUTES));

        // recurring with AADSTS70043: each account invalid 24 h after its own sign-in, sign-ins 5 h apart
        for (int i = 1; i <= 3; i++) {
            String id = "sif-" + i;
            Instant signIn = day(15).plus(5L * i, ChronoUnit.HOURS);
            fleet.account(id, "staff" + i + "@sif-policy.example", "office365", day(300));
            fleet.reauth(id, signIn);
            Instant at = signIn.plus(24, ChronoUnit.HOURS);
            fleet.authLog(id, at.minusSeconds(30), "invalid_grant", "AADSTS70043: The refresh token has expired or is "
                    + "invalid due to sign-in frequency checks by conditional access.");
            fleet.fail(id, at);
        }

        // recurring without a code: Google accounts of one domain invalid 8 h after each re-auth (4 failures, 2 accounts)
        for (int i = 1; i <= 2; i++) {
            String id = "ss-" + i;
            fleet.account(id, "team" + i + "@short-session.example", "gmail", day(300));
            for (int cycle = 0; cycle < 2; cycle++) {
                Instant signIn = day(8 - cycle).plus(3L * i, ChronoUnit.HOURS);
                fleet.reauth(id, signIn);
                fleet.fail(id, signIn.plus(8, ChronoUnit.HOURS));
            }
        }

        // provider-wide credentials: Google accounts of three unrelated domains within 10 minutes, deleted client
        Instant cred = day(12).plus(14, ChronoUnit.HOURS);
        String[] credDomains = {"cred-a.example", "cred-b.example", "cred-c.example"};
        for (int i = 0; i < credDomains.length; i++) {
            String id = "cred-" + (i + 1);
            Instant at = cred.plus(5L * i, ChronoUnit.MINUTES);
            fleet.account(id, "ops@" + credDomains[i], "gmail", day(250));
            fleet.authLog(id, at.minusSeconds(20), "deleted_client", "The OAuth client was deleted.");
            fleet.fail(id, at);
        }

        // provider-wide outage: IMAP accounts of three unrelated domains stopped within 10 minutes on 503s
        Instant outage = day(11).plus(2, ChronoUnit.HOURS);
        String[] outageDomains = {"mailhost-a.example", "mailhost-b.example", "mailhost-c.example"};
        for (int i = 0; i < outageDomains.length; i++) {
            String id = "out-" + (i + 1);
            Instant at = outage.plus(4L * i, ChronoUnit.MINUTES);
            fleet.account(id, "info@" + outageDomains[i], "imap", day(400));
            for (int k = 3; k >= 1; k--) {
                fleet.syncLog(id, at.minus(k * 2L, ChronoUnit.MINUTES), "error",
                        "IMAP server error: 503 Service Unavailable");
            }
            fleet.stop(id, at);
        }

        // Testing-mode schedule: Google users of two unrelated domains, each invalid 7 days after their own auth
        for (int i = 1; i <= 2; i++) {
            String id = "tm-" + i;
            Instant linked = day(24).plus(9L * i, ChronoUnit.HOURS);
            fleet.account(id, "founder@testing-mode-" + i + ".example", "gmail", linked);
            Instant at = linked.plus(7, ChronoUnit.DAYS).plus(20, ChronoUnit.MINUTES);
            fleet.authLog(id, at.minusSeconds(15), "invalid_grant", "Token has been expired or revoked.");
            fleet.fail(id, at);
        }

        // 90-day inactivity schedule: Microsoft accounts of two domains, paused, invalid 90 days after last activity
        for (int i = 1; i <= 2; i++) {
            String id = "idle-" + i;
            Instant at = day(18 - 3 * i).plus(11, ChronoUnit.HOURS);
            fleet.idleAccount(id, "paused" + i + "@idle-" + i + ".example", "office365", day(500),
                    at.minus(90, ChronoUnit.DAYS).minus(2, ChronoUnit.HOURS));
            fleet.authLog(id, at.minusSeconds(10), "invalid_grant", "AADSTS700082: The refresh token has expired due "
                    + "to inactivity. The token was issued on 2026-01-01 and was inactive for 90.00:00:00.");
            fleet.fail(id, at);
        }

        // flapping: invalid within 20 minutes of each re-auth, twice, with an MFA requirement in the auth log
        fleet.account("flap-1", "cfo@flap-mfa.example", "office365", day(100));
        for (int cycle = 0; cycle < 2; cycle++) {
            Instant signIn = day(5).plus(2L * cycle, ChronoUnit.HOURS);
            fleet.reauth("flap-1", signIn);
            Instant at = signIn.plus(20, ChronoUnit.MINUTES);
            fleet.authLog("flap-1", at.minusSeconds(5), "interaction_required", "AADSTS50076: Due to a configuration "
                    + "change made by your administrator, you must use multi-factor authentication.");
            fleet.fail("flap-1", at);
        }

        // no incident: two accounts of one domain, failures three weeks apart, long-lived sessions
        fleet.account("apart-1", "a@weeks-apart.example", "office365", day(300));
        fleet.account("apart-2", "b@weeks-apart.example", "office365", day(290));
        fleet.fail("apart-1", day(26).plus(10, ChronoUnit.HOURS));
        fleet.fail("apart-2", day(5).plus(16, ChronoUnit.HOURS));

        fleet.send();
    }

    private static Instant day(int daysAgo) {
        return NOW.truncatedTo(ChronoUnit.DAYS).minus(daysAgo, ChronoUnit.DAYS);
    }

    /**
     * The planted evidence: snapshots and logs go through the importer, state changes through signed webhook
     * bursts in time order (the order a sync platform sends them).
     */
    private final class Fleet {
        private final StringBuilder imports = new StringBuilder();
        private final List<long[]> order = new ArrayList<>();
        private final List<String> deltas = new ArrayList<>();

        void account(String id, String email, String provider, Instant linkedAt) {
            imports.append("{\"kind\":\"account\",\"id\":\"").append(id).append("\",\"email\":\"").append(email)
                    .append("\",\"provider\":\"").append(provider).append("\",\"sync_state\":\"running\",")
                    .append("\"billing_state\":\"paid\",\"linked_at\":\"").append(linkedAt).append("\"}\n");
        }

        void idleAccount(String id, String email, String provider, Instant linkedAt, Instant lastActivity) {
            imports.append("{\"kind\":\"account\",\"id\":\"").append(id).append("\",\"email\":\"").append(email)
                    .append("\",\"provider\":\"").append(provider).append("\",\"sync_state\":\"running\",")
                    .append("\"billing_state\":\"paid\",\"linked_at\":\"").append(linkedAt)
                    .append("\",\"last_activity_at\":\"").append(lastActivity).append("\"}\n");
        }

        void authLog(String id, Instant at, String error, String message) throws Exception {
            imports.append(Json.write(Map.of("kind", "auth_log", "account_id", id, "timestamp", at.toString(),
                    "error", error, "message", message))).append('\n');
        }

        void syncLog(String id, Instant at, String level, String message) throws Exception {
            imports.append(Json.write(Map.of("kind", "sync_log", "account_id", id, "timestamp", at.toString(),
                    "level", level, "message", message))).append('\n');
        }

        void fail(String id, Instant at) {
            event("account.invalid", id, at);
        }

        void stop(String id, Instant at) {
            event("account.stopped", id, at);
        }

        void reauth(String id, Instant at) {
            event("account.connected", id, at);
        }

        private void event(String type, String id, Instant at) {
            order.add(new long[] {at.getEpochSecond(), deltas.size()});
            deltas.add(delta(type, at.getEpochSecond(), id));
        }

        void send() throws Exception {
            Http.Response imported = http.post(EVIDENCE, auth(), NDJSON, imports.toString().getBytes(UTF_8));
            assertEquals(imported.toString(), 202, imported.status());
            assertEquals(imported.body(), List.of(), Json.object(imported.body()).get("rejected"));

            order.sort((a, b) -> Long.compare(a[0], b[0]));
            // bursts of up to 5 deltas, as the platform batches them
            for (int from = 0; from < order.size(); from += 5) {
                StringBuilder batch = new StringBuilder("{\"deltas\":[");
                for (int i = from; i < Math.min(order.size(), from + 5); i++) {
                    batch.append(i == from ? "" : ",").append(deltas.get((int) order.get(i)[1]));
                }
                String body = batch.append("]}").toString();
                Http.Response response = http.post("/webhooks/nylas",
                        Map.of("Content-Type", "application/json", "X-Nylas-Signature", sign(CLIENT_SECRET, body)),
                        body.getBytes(UTF_8));
                assertEquals(response.toString(), 200, response.status());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static String auth() {
        return Http.basic(Http.USER, Http.PASSWORD);
    }

    /** Every incident of the last 30 days, keyed "kind|cause|domain-or-family". */
    private Map<String, Map<String, Object>> found() throws Exception {
        Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
        for (Map<String, Object> incident : list("?limit=1000")) {
            Object scope = incident.get("domain") != null ? incident.get("domain") : incident.get("family");
            String key = incident.get("kind") + "|" + incident.get("cause") + "|" + scope;
            assertNull("two incidents for " + key, byKey.put(key, incident));
        }
        return byKey;
    }

    private List<Map<String, Object>> list(String query) throws Exception {
        List<Map<String, Object>> incidents = new ArrayList<>();
        for (Object o : Json.list(page(query).get("incidents"), "incidents")) {
            incidents.add(Json.map(o, "incident"));
        }
        return incidents;
    }

    private Map<String, Object> page(String query) throws Exception {
        Http.Response response = http.get(INCIDENTS + query, auth());
        assertEquals(response.toString(), 200, response.status());
        Map<String, Object> page = Json.object(response.body());
        assertNotNull(response.body(), page.get("incidents"));
        assertTrue(response.body(), page.containsKey("next"));
        return page;
    }

    private static Set<String> memberIds(Map<String, Object> incident) {
        Set<String> ids = new TreeSet<>();
        for (Object account : Json.list(incident.get("accounts"), "accounts")) {
            ids.add(String.valueOf(Json.map(account, "account").get("id")));
        }
        return ids;
    }
}
