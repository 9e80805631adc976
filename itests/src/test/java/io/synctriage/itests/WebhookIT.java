package io.synctriage.itests;

import static io.synctriage.itests.ApiAssertions.assertDiagnosisShape;
import static io.synctriage.itests.ApiAssertions.assertError;
import static io.synctriage.itests.ApiAssertions.assertJson;
import static io.synctriage.itests.Nylas.delta;
import static io.synctriage.itests.Nylas.grantExpired;
import static io.synctriage.itests.Nylas.sign;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
 * The ways evidence gets into the store of THE BUILT DISTRIBUTION. The webhook receiver, with the secrets set
 * in {@code etc/} as an operator would: signed v2 batches and v3 notifications are stored (and only once),
 * unsigned or badly signed ones are refused with nothing stored, and the stored evidence gives the same
 * diagnosis, by id and by email, as the same evidence POSTed statelessly. The bulk import ({@code POST
 * /api/v1/evidence} and {@code triage:import}): good records are stored and broken ones rejected by line
 * number, a malformed JSON document stores nothing. (One class, one container boot, for both sources.)
 *
 * <p>Every test uses its own account ids and domain: the container (and its store) is shared by the class.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebhookIT {

    static final String CLIENT_SECRET = "itest-v2-client-secret-93be1";
    static final String WEBHOOK_SECRET = "itest-v3-webhook-secret-c4d20";

    private static final String WEBHOOK = "/webhooks/nylas";
    private static final String ACCOUNTS = "/api/v1/accounts";
    private static final String HEALTH = "/api/v1/health";
    private static final String EVIDENCE = "/api/v1/evidence";
    private static final String NDJSON = "application/x-ndjson";

    @Inject
    @Filter(timeout = 120_000)
    BootFinished bootFinished;

    @Inject
    @Filter(timeout = 60_000)
    SessionFactory sessionFactory;

    private final Http http = new Http();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    @Configuration
    public Option[] configuration() {
        return options(
                Containers.base(Containers.requiredFile("synctriage.distribution"), "Synctriage",
                        System.getProperty("karaf.version"), Containers.freePort()),
                editConfigurationFilePut("etc/io.synctriage.webhook.cfg", "client.secret", CLIENT_SECRET),
                editConfigurationFilePut("etc/io.synctriage.webhook.cfg", "webhook.secret", WEBHOOK_SECRET));
    }

    /** The servlets register asynchronously: wait for health, the handshake and the accounts list. */
    @Before
    public void receiverIsUp() {
        await("API, webhook receiver, importer and store are up").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> http.get(HEALTH, null).status() == 200
                        && get(WEBHOOK + "?challenge=ping").status() == 200
                        && http.get(ACCOUNTS, auth()).status() == 200
                        // an empty NDJSON body imports nothing: 202 once the importer is bound to the store
                        && http.post(EVIDENCE, auth(), NDJSON, new byte[0]).status() == 202);
    }

    // -------------------------------------------------------------------------------------------- handshake

    @Test(timeout = 60_000)
    public void challengeIsEchoedWithoutCredentials() throws Exception {
        Http.Response response = get(WEBHOOK + "?challenge=" + URLEncoder.encode("n7Q-x_41 z", UTF_8));
        assertEquals(response.toString(), 200, response.status());
        assertTrue(response.toString(), response.contentType().startsWith("text/plain"));
        assertEquals("n7Q-x_41 z", response.body());
        assertError(get(WEBHOOK), 400);
    }

    // ------------------------------------------------------------------------------------------ signatures

    @Test(timeout = 60_000)
    public void signedV2BatchIsStoredAndListed() throws Exception {
        long at = Instant.now().minus(2, ChronoUnit.HOURS).getEpochSecond();
        String batch = "{\"deltas\":[" + delta("account.invalid", at, "itv2-one") + ","
                + delta("account.stopped", at + 60, "itv2-two") + ","
                + delta("account.invalid", at + 120, "itv2-three") + "]}";
        Http.Response response = postSigned(batch, sign(CLIENT_SECRET, batch));
        assertEquals(response.toString(), 200, response.status());
        Map<String, Object> answer = Json.object(response.body());
        assertEquals(response.body(), 3, answer.get("stored"));

        List<String> listed = accountIds("");
        for (String id : List.of("itv2-one", "itv2-two", "itv2-three")) {
            assertTrue(id + " listed: " + listed, listed.contains(id));
        }
    }

    @Test(timeout = 60_000)
    public void signedV3GrantExpiredIsStored() throws Exception {
        String body = grantExpired("ntf-itv3-1", "itv3-grant", "noor.haddad@quillfield-labs.example",
                Instant.now().minus(90, ChronoUnit.MINUTES));
        Http.Response response = postSigned(body, sign(WEBHOOK_SECRET, body));
        assertEquals(response.toString(), 200, response.status());
        assertEquals(response.body(), 1, Json.object(response.body()).get("stored"));

        Http.Response list = http.get(ACCOUNTS + "?domain=quillfield-labs.example", auth());
        assertEquals(list.toString(), 200, list.status());
        List<Object> accounts = Json.list(Json.object(list.body()).get("accounts"), "accounts");
        assertEquals(list.body(), 1, accounts.size());
        Map<String, Object> account = Json.map(accounts.get(0), "accounts[0]");
        assertEquals("itv3-grant", account.get("id"));
        assertEquals("noor.haddad@quillfield-labs.example", account.get("email"));
        for (String field : List.of("id", "email", "provider", "sync_state", "updated_at")) {
            assertTrue(field + " in " + account, account.containsKey(field));
        }
    }

    @Test(timeout = 60_000)
    public void badOrMissingSignatureIs401AndStoresNothing() throws Exception {
        List<String> before = accountIds("");
        String body = grantExpired("ntf-itbad-1", "itbad-grant", "eve@itbad.example", Instant.now());

        Http.Response unsigned = postSigned(body, null);
        assertError(unsigned, 401);
        assertEquals("the receiver answered, not a login prompt: " + unsigned, "missing_signature",
                Json.object(unsigned.body()).get("error"));
        assertError(postSigned(body, sign("not-the-secret", body)), 401);
        assertError(postSigned(body, "f".repeat(64)), 401);
        String signed = sign(WEBHOOK_SECRET, body);
        assertError(postSigned(body.replace("itbad-grant", "itbad-grane"), signed), 401);
        // HTTP Basic credentials are no substitute for the signature
        assertError(post(body, Map.of("Authorization", Http.basic(Http.USER, Http.PASSWORD))), 401);

        List<String> after = accountIds("");
        assertEquals("nothing new is stored", before, after);
        assertError(http.get(ACCOUNTS + "/itbad-grant/diagnosis", auth()), 404);
    }

    @Test(timeout = 60_000)
    public void redeliveryIsStoredOnce() throws Exception {
        long at = Instant.now().minus(3, ChronoUnit.HOURS).getEpochSecond();
        String batch = "{\"deltas\":[" + delta("account.invalid", at, "itre-one") + "]}";
        Http.Response first = postSigned(batch, sign(CLIENT_SECRET, batch));
        assertEquals(first.toString(), 200, first.status());
        assertEquals(first.body(), 1, Json.object(first.body()).get("stored"));
        Http.Response again = postSigned(batch, sign(CLIENT_SECRET, batch));
        assertEquals(again.toString(), 200, again.status());
        assertEquals(again.body(), 0, Json.object(again.body()).get("stored"));
        assertEquals(again.body(), 1, Json.object(again.body()).get("duplicates"));

        String v3 = grantExpired("ntf-itre-2", "itre-grant", "ola@itre-redelivery.example",
                Instant.now().minus(1, ChronoUnit.HOURS));
        assertEquals(1, Json.object(postSigned(v3, sign(WEBHOOK_SECRET, v3)).body()).get("stored"));
        Map<String, Object> redelivered = Json.object(postSigned(v3, sign(WEBHOOK_SECRET, v3)).body());
        assertEquals(redelivered.toString(), 0, redelivered.get("stored"));
        assertEquals(redelivered.toString(), 1, redelivered.get("duplicates"));
    }

    @Test(timeout = 60_000)
    public void otherTriggersAreAcknowledged() throws Exception {
        String body = "{\"deltas\":[{\"date\":" + Instant.now().getEpochSecond() + ",\"object\":\"message\","
                + "\"type\":\"message.created\",\"object_data\":{\"account_id\":\"itmsg-acc\",\"object\":\"message\","
                + "\"id\":\"itmsg-1\"}}]}";
        Http.Response response = postSigned(body, sign(CLIENT_SECRET, body));
        assertEquals(response.toString(), 200, response.status());
        assertEquals(response.body(), 1, Json.object(response.body()).get("ignored"));
        assertFalse(accountIds("").contains("itmsg-acc"));
    }

    // ------------------------------------------------------------------------- stored vs stateless diagnosis

    /**
     * A same-moment admin disconnect: three Microsoft grants of one domain expire within six minutes. The
     * store knows only what the three signed notifications said; the stateless request carries exactly that
     * (the account as its notification names it, its notification, the other two as peers with their events).
     */
    @Test(timeout = 120_000)
    public void storedDiagnosisMatchesTheStatelessOne() throws Exception {
        String domain = "harbourline-freight.example";
        Instant first = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String[][] grants = {
                {"ith-grant-ana", "ana.ruiz@" + domain, "ntf-ith-1"},
                {"ith-grant-bo", "bo.lind@" + domain, "ntf-ith-2"},
                {"ith-grant-cem", "cem.arslan@" + domain, "ntf-ith-3"}};
        List<String> notifications = new ArrayList<>();
        for (int i = 0; i < grants.length; i++) {
            String body = grantExpired(grants[i][2], grants[i][0], grants[i][1], first.plus(3L * i, ChronoUnit.MINUTES));
            notifications.add(body);
            Http.Response response = postSigned(body, sign(WEBHOOK_SECRET, body));
            assertEquals(response.toString(), 200, response.status());
        }

        StringBuilder peers = new StringBuilder();
        for (int i = 1; i < grants.length; i++) {
            peers.append(i > 1 ? "," : "").append("{\"id\":\"").append(grants[i][0]).append("\",\"email\":\"")
                    .append(grants[i][1]).append("\",\"provider\":\"microsoft\",\"events\":[{\"type\":\"grant.expired\","
                            + "\"timestamp\":\"").append(first.plus(3L * i, ChronoUnit.MINUTES)).append("\"}]}");
        }
        String stateless = "{\"account\":{\"id\":\"" + grants[0][0] + "\",\"email\":\"" + grants[0][1]
                + "\",\"provider\":\"microsoft\"},\"webhooks\":[" + notifications.get(0) + "],\"peers\":[" + peers
                + "],\"now\":\"" + Instant.now() + "\"}";
        Http.Response expected = http.postJson("/api/v1/diagnoses", stateless);
        assertEquals(expected.toString(), 200, expected.status());
        Map<String, Object> reference = Json.object(expected.body());
        assertEquals("the scenario is a same-moment admin disconnect: " + expected.body(), "ADMIN_DISCONNECTED",
                reference.get("cause"));

        for (String id : List.of(grants[0][0], grants[0][1], grants[0][1].toUpperCase())) {
            Http.Response stored = http.get(ACCOUNTS + "/" + URLEncoder.encode(id, UTF_8) + "/diagnosis", auth());
            assertEquals(id + ": " + stored, 200, stored.status());
            assertJson(stored);
            Map<String, Object> diagnosis = Json.object(stored.body());
            assertDiagnosisShape(id, diagnosis);
            assertEquals(id + ": " + stored.body(), grants[0][0], diagnosis.get("account_id"));
            assertEquals(id + " cause, stored vs stateless: " + stored.body(), reference.get("cause"),
                    diagnosis.get("cause"));
            assertEquals(id + " actor: " + stored.body(), reference.get("actor"), diagnosis.get("actor"));
        }

        String report = Shell.execute(sessionFactory, "triage:diagnose " + grants[0][1], 60);
        assertTrue("shell report names the cause: " + report, report.contains("ADMIN_DISCONNECTED"));
        String table = Shell.execute(sessionFactory, "triage:accounts --domain " + domain + " --no-format", 60);
        for (String[] grant : grants) {
            assertTrue(grant[0] + " in the table: " + table, table.contains(grant[0]));
        }
    }

    @Test(timeout = 60_000)
    public void unknownAccountIs404AndBadFiltersAre400() throws Exception {
        assertError(http.get(ACCOUNTS + "/nobody%40nowhere.example/diagnosis", auth()), 404);
        assertError(http.get(ACCOUNTS + "?limit=0", auth()), 400);
        assertError(http.get(ACCOUNTS + "?limit=abc", auth()), 400);
        assertError(http.get(ACCOUNTS, null), 401);
        // The command fails (exit status 1 in scripts) with one plain line, not a stack trace.
        AssertionError failure = org.junit.Assert.assertThrows(AssertionError.class,
                () -> Shell.execute(sessionFactory, "triage:diagnose nobody@nowhere.example", 60));
        assertTrue(failure.getMessage(), failure.getMessage().contains("Unknown account"));
    }

    // ------------------------------------------------------------------------------------------- bulk import

    /**
     * NDJSON with good and broken lines: 202, the good ones accepted and stored, each broken one rejected with
     * its line number (malformed JSON, an unknown kind, a log line naming no account, a timestamp that is not
     * a time); blank lines are neither.
     */
    /**
     * An error response in an imported API log (Graph's MailboxNotEnabledForRESTAPI on a 404) is kept by the store,
     * so the stored diagnosis names the same cause as the stateless one.
     */
    @Test(timeout = 60_000)
    @SuppressWarnings("unchecked")
    public void importedApiErrorResponsesReachTheStoredDiagnosis() throws Exception {
        String id = "resp" + Long.toString(System.nanoTime(), 36);
        String email = "info@" + id + ".example";
        Map<String, Object> account = Map.of("id", id, "email", email, "provider", "office365", "sync_state", "stopped",
                "linked_at", "2026-06-16T06:00:00Z");
        Map<String, Object> call = Map.of("timestamp", "2026-06-16T05:55:00Z", "method", "GET", "path", "/messages",
                "status", 404, "account_id", id, "response", Map.of("type", "api_error", "message",
                        "MailboxNotEnabledForRESTAPI: The mailbox is either inactive, soft-deleted, or is hosted on-premise."));
        Map<String, Object> stopped = Map.of("date", 1781589600, "object", "account", "type", "account.stopped",
                "object_data", Map.of("account_id", id, "object", "account", "id", id));
        Http.Response imported = http.postJson(EVIDENCE, Json.write(Map.of("accounts", List.of(account),
                "api_log", List.of(call), "webhooks", List.of(stopped))));
        assertEquals(imported.toString(), 202, imported.status());
        Http.Response stateless = http.postJson("/api/v1/diagnoses", Json.write(Map.of("account", account,
                "api_log", List.of(call), "webhooks", List.of(stopped))));
        assertEquals("MAILBOX_UNAVAILABLE", Json.object(stateless.body()).get("cause"));
        Http.Response stored = http.get(ACCOUNTS + "/" + id + "/diagnosis", auth());
        assertEquals(stored.toString(), 200, stored.status());
        assertEquals(stored.body(), "MAILBOX_UNAVAILABLE", Json.object(stored.body()).get("cause"));
    }

    @Test(timeout = 60_000)
    public void ndjsonImportStoresGoodLinesAndRejectsBrokenOnesByLineNumber() throws Exception {
        Instant at = Instant.now().minus(5, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        String email = "lena.berg@imp-ndjson.example";
        String body = String.join("\n",
                /* 1 */ "{\"kind\":\"account\",\"id\":\"itimp-acc-1\",\"email\":\"" + email + "\","
                        + "\"provider\":\"gmail\",\"sync_state\":\"invalid\"}",
                /* 2 */ "{\"kind\":\"account\",\"id\":\"itimp-acc-2\",",
                /* 3 */ "{\"kind\":\"webhook\"," + delta("account.stopped", at.getEpochSecond(), "itimp-acc-3").substring(1),
                /* 4 */ "{\"kind\":\"calendar\",\"id\":\"itimp-cal\"}",
                /* 5 */ "{\"kind\":\"sync_log\",\"timestamp\":\"" + at + "\",\"message\":\"IMAP connection reset\"}",
                /* 6 */ "{\"kind\":\"auth_log\",\"timestamp\":\"yesterday at noon\",\"account_id\":\"itimp-acc-1\","
                        + "\"message\":\"token refresh failed\"}",
                /* 7 */ "{\"kind\":\"auth_log\",\"timestamp\":\"" + at.plusSeconds(60) + "\",\"account_id\":\"itimp-acc-1\","
                        + "\"error\":\"invalid_grant\",\"message\":\"Token has been expired or revoked.\"}",
                /* 8 */ "",
                /* 9 */ "{\"kind\":\"api_log\",\"timestamp\":\"" + at.minus(1, ChronoUnit.DAYS) + "\",\"method\":\"GET\","
                        + "\"path\":\"/a/itest/accounts/itimp-acc-1\",\"status\":200,\"account_id\":\"itimp-acc-1\"}",
                /* 10 */ "{\"kind\":\"grant\",\"id\":\"itimp-grant-4\",\"email\":\"omar.said@imp-ndjson.example\","
                        + "\"provider\":\"microsoft\",\"grant_status\":\"invalid\",\"created_at\":"
                        + at.minus(30, ChronoUnit.DAYS).getEpochSecond() + "}") + "\n";
        Http.Response response = http.post(EVIDENCE, auth(), NDJSON, body.getBytes(UTF_8));
        assertEquals(response.toString(), 202, response.status());
        assertJson(response);
        Map<String, Object> report = Json.object(response.body());
        assertEquals(response.body(), 5, report.get("accepted"));
        assertEquals(response.body(), List.of(2, 4, 5, 6), rejectedLines(report));
        assertEquals(response.body(), 4, report.get("rejected_count"));
        List<Object> rejected = Json.list(report.get("rejected"), "rejected");
        assertTrue(response.body(), String.valueOf(rejected.get(0)).contains("malformed JSON"));
        assertTrue(response.body(), String.valueOf(rejected.get(1)).contains("calendar"));
        assertTrue(response.body(), String.valueOf(rejected.get(2)).contains("account_id"));
        assertTrue(response.body(), String.valueOf(rejected.get(3)).contains("yesterday at noon"));

        List<String> listed = accountIds("");
        for (String id : List.of("itimp-acc-1", "itimp-acc-3", "itimp-grant-4")) {
            assertTrue(id + " listed: " + listed, listed.contains(id));
        }
        assertFalse("the malformed line stored nothing", listed.contains("itimp-acc-2"));
        // The log lines and the API call are in the stored evidence: the diagnosis no longer misses them.
        Http.Response stored = http.get(ACCOUNTS + "/" + URLEncoder.encode(email, UTF_8) + "/diagnosis", auth());
        assertEquals(stored.toString(), 200, stored.status());
        Map<String, Object> diagnosis = Json.object(stored.body());
        assertEquals(stored.body(), "itimp-acc-1", diagnosis.get("account_id"));
        List<Object> missing = Json.list(diagnosis.get("missing"), "missing");
        assertFalse("the imported auth_log line is used: " + stored.body(), missing.contains("auth_log"));
        assertFalse("the imported api_log call is used: " + stored.body(), missing.contains("api_log"));
        assertTrue("the rejected sync_log line is not: " + stored.body(), missing.contains("sync_log"));
    }

    /**
     * JSON documents: the v2 account-list export (an array) and an evidence object with v2-shaped accounts are
     * stored record by record; a malformed document is refused whole with 400 and its position, nothing stored.
     */
    @Test(timeout = 60_000)
    public void jsonImportOfAccountListsAndMalformedDocuments() throws Exception {
        String list = "[\n"
                + "  {\"account_id\":\"itimp-v2-a\",\"billing_state\":\"paid\",\"email\":\"ops@imp-list.example\","
                + "\"id\":\"itimp-v2-a\",\"provider\":\"eas\",\"sync_state\":\"running\",\"trial\":false},\n"
                + "  {\"account_id\":\"itimp-v2-b\",\"billing_state\":\"paid\",\"email\":\"hr@imp-list.example\","
                + "\"id\":\"itimp-v2-b\",\"provider\":\"gmail\",\"sync_state\":\"stopped\",\"trial\":false},\n"
                + "  {\"billing_state\":\"paid\",\"email\":\"no-id@imp-list.example\"}\n"
                + "]\n";
        Http.Response response = http.postJson(EVIDENCE, list);
        assertEquals(response.toString(), 202, response.status());
        Map<String, Object> report = Json.object(response.body());
        assertEquals(response.body(), 2, report.get("accepted"));
        assertEquals("the account without an id, on line 4: " + response.body(), List.of(4), rejectedLines(report));
        assertEquals(Map.of("itimp-v2-a", "running", "itimp-v2-b", "stopped"), states("imp-list.example"));

        String object = "{\"accounts\":[{\"account_id\":\"itimp-v2-c\",\"billing_state\":\"paid\","
                + "\"email\":\"it@imp-object.example\",\"id\":\"itimp-v2-c\",\"provider\":\"imap\","
                + "\"sync_state\":\"invalid\",\"trial\":false}]}";
        response = http.postJson(EVIDENCE, object);
        assertEquals(response.toString(), 202, response.status());
        assertEquals(response.body(), 1, Json.object(response.body()).get("accepted"));
        assertEquals(Map.of("itimp-v2-c", "invalid"), states("imp-object.example"));

        String malformed = "{\"accounts\": [\n"
                + "  {\"id\":\"itimp-bad-1\",\"email\":\"one@imp-malformed.example\"},\n"
                + "  {\"id\":\"itimp-bad-2\",\"email\":\"two@imp-malformed.example\"\n"
                + "  {\"id\":\"itimp-bad-3\"}\n"
                + "]}";
        Http.Response refused = http.postJson(EVIDENCE, malformed);
        assertError(refused, 400);
        Map<String, Object> error = Json.object(refused.body());
        assertEquals(refused.body(), "malformed_json", error.get("error"));
        assertEquals("the line of the syntax error: " + refused.body(), 4, error.get("line"));
        assertEquals("nothing of a malformed document is stored", Map.of(), states("imp-malformed.example"));

        assertError(http.post(EVIDENCE, null, "application/json", list.getBytes(UTF_8)), 401);
    }

    /** {@code triage:import <file>} in a shell session: the same import, with counts and the rejected lines. */
    @Test(timeout = 60_000)
    public void triageImportPrintsAcceptedAndRejectedCounts() throws Exception {
        Path file = Files.createTempFile("itimp-", ".ndjson");
        try {
            Files.writeString(file, String.join("\n",
                    "{\"kind\":\"account\",\"id\":\"itimp-sh-1\",\"email\":\"a@imp-shell.example\",\"provider\":\"imap\"}",
                    "not json at all",
                    "{\"kind\":\"account\",\"id\":\"itimp-sh-2\",\"email\":\"b@imp-shell.example\",\"provider\":\"imap\"}",
                    "{\"kind\":\"sync_log\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"message\":\"no account named\"}",
                    "{\"kind\":\"account\",\"id\":\"itimp-sh-3\",\"email\":\"c@imp-shell.example\",\"provider\":\"imap\"}"),
                    UTF_8);
            String output = Shell.execute(sessionFactory, "triage:import --no-progress " + file, 60);
            assertTrue(output, Pattern.compile("accepted\\s+3\\b").matcher(output).find());
            assertTrue(output, Pattern.compile("rejected\\s+2\\b").matcher(output).find());
            assertTrue("the rejected lines are named: " + output, output.contains("line 2:") && output.contains("line 4:"));
        } finally {
            Files.deleteIfExists(file);
        }
        assertEquals(Set.of("itimp-sh-1", "itimp-sh-2", "itimp-sh-3"), states("imp-shell.example").keySet());
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static String auth() {
        return Http.basic(Http.USER, Http.PASSWORD);
    }

    /** The line numbers of the rejected records of an import answer, in order. */
    private static List<Object> rejectedLines(Map<String, Object> report) {
        List<Object> lines = new ArrayList<>();
        for (Object rejection : Json.list(report.get("rejected"), "rejected")) {
            lines.add(Json.map(rejection, "rejection").get("line"));
        }
        return lines;
    }

    /** id → sync_state of the stored accounts of a domain. */
    private Map<String, Object> states(String domain) throws Exception {
        Http.Response response = http.get(ACCOUNTS + "?limit=1000&domain=" + domain, auth());
        assertEquals(response.toString(), 200, response.status());
        Map<String, Object> states = new java.util.TreeMap<>();
        for (Object account : Json.list(Json.object(response.body()).get("accounts"), "accounts")) {
            Map<String, Object> a = Json.map(account, "account");
            states.put(String.valueOf(a.get("id")), a.get("sync_state"));
        }
        return states;
    }

    private List<String> accountIds(String query) throws Exception {
        Http.Response response = http.get(ACCOUNTS + "?limit=1000" + query, auth());
        assertEquals(response.toString(), 200, response.status());
        List<String> ids = new ArrayList<>();
        for (Object account : Json.list(Json.object(response.body()).get("accounts"), "accounts")) {
            ids.add(String.valueOf(Json.map(account, "account").get("id")));
        }
        return ids;
    }

    private Http.Response postSigned(String body, String signature) throws Exception {
        return post(body, signature == null ? Map.of() : Map.of("X-Nylas-Signature", signature));
    }

    private Http.Response post(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + WEBHOOK))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8));
        headers.forEach(request::header);
        return send(request.build());
    }

    private Http.Response get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    private Http.Response send(HttpRequest request) throws Exception {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
        return new Http.Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    private static String base() {
        return "http://127.0.0.1:" + System.getProperty(Containers.HTTP_PORT);
    }
}
