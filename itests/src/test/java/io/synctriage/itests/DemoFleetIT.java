package io.synctriage.itests;

import static io.synctriage.itests.ApiAssertions.assertError;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URLEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * THE BUILT DISTRIBUTION with its default demo fleet: on first start with an empty store it loads the
 * bundled fleet, and the stored diagnosis of every demo account ({@code GET /api/v1/accounts/{id}/diagnosis})
 * is the cause the generator wrote into {@code demo-expectations.json}. Also the import surfaces on top of it:
 * {@code POST /api/v1/evidence} and {@code triage:import}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DemoFleetIT {

    private static final String HEALTH = "/api/v1/health";
    private static final String EVIDENCE = "/api/v1/evidence";

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
                // after Containers.base, which turns the demo off for the other ITs: the shipped default again
                editConfigurationFilePut("etc/io.synctriage.importer.cfg", "demo.enabled", "true"));
    }

    private static String auth() {
        return Http.basic(Http.USER, Http.PASSWORD);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> expectations() throws Exception {
        Path file = Path.of(System.getProperty(Containers.BUNDLES_DIR)).resolveSibling("demo-expectations.json");
        Map<String, Object> doc = Json.object(Files.readString(file, UTF_8));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : Json.list(doc.get("accounts"), "accounts")) {
            out.add((Map<String, Object>) o);
        }
        return out;
    }

    private Http.Response diagnosis(String idOrEmail) throws Exception {
        return http.get("/api/v1/accounts/" + URLEncoder.encode(idOrEmail, UTF_8) + "/diagnosis", auth());
    }

    /** The demo loads in the background after boot: wait until its last account is diagnosable. */
    @Before
    public void demoIsLoaded() throws Exception {
        List<Map<String, Object>> all = expectations();
        String last = String.valueOf(all.get(all.size() - 1).get("id"));
        await("API up and demo fleet loaded").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> http.get(HEALTH, null).status() == 200 && diagnosis(last).status() == 200);
    }

    @Test(timeout = 300_000)
    public void everyDemoAccountGetsItsExpectedStoredDiagnosis() throws Exception {
        List<String> failures = new ArrayList<>();
        int failing = 0;
        for (Map<String, Object> e : expectations()) {
            String id = String.valueOf(e.get("id"));
            Http.Response response = diagnosis(id);
            if (response.status() != 200) {
                failures.add(e.get("email") + ": HTTP " + response);
                continue;
            }
            if (e.get("cause") == null) {
                continue; // healthy: answered, cause not asserted
            }
            failing++;
            Map<String, Object> d = Json.object(response.body());
            if (!e.get("cause").equals(d.get("cause")) || !Objects.equals(e.get("actor"), d.get("actor"))) {
                failures.add(e.get("email") + " (" + e.get("provider") + ", " + e.get("scenario") + "): expected "
                        + e.get("cause") + "/" + e.get("actor") + ", got " + d.get("cause") + "/" + d.get("actor")
                        + " — " + d.get("summary"));
            }
        }
        assertTrue("failing demo accounts: " + failing, failing >= 40);
        assertTrue(failures.size() + " demo accounts diagnosed otherwise:\n" + String.join("\n", failures),
                failures.isEmpty());
    }

    @Test(timeout = 60_000)
    public void aDemoAccountIsFoundByEmailToo() throws Exception {
        Map<String, Object> e = expectations().stream().filter(x -> "CA_SIGNIN_FREQUENCY".equals(x.get("cause")))
                .findFirst().orElseThrow();
        Http.Response response = diagnosis(String.valueOf(e.get("email")));
        assertEquals(response.toString(), 200, response.status());
        assertEquals("CA_SIGNIN_FREQUENCY", Json.object(response.body()).get("cause"));
    }

    @Test(timeout = 60_000)
    public void evidenceEndpointStoresGoodLinesAndRejectsBadOnes() throws Exception {
        String at = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
        String ndjson = "{\"kind\":\"account\",\"id\":\"it-import-1\",\"email\":\"pat@it-import.example\","
                + "\"provider\":\"imap\",\"sync_state\":\"invalid\",\"linked_at\":\"2025-01-01T00:00:00Z\"}\n"
                + "{\"kind\":\"auth_log\",\"timestamp\":\"" + at + "\",\"message\":\"no account\"}\n"
                + "{\"kind\":\"auth_log\",\"timestamp\":\"" + at + "\",\"account_id\":\"it-import-1\","
                + "\"message\":\"a1 NO [AUTHENTICATIONFAILED] Invalid credentials\"}\n"
                + "{\"kind\":\"webhook\",\"date\":" + Instant.parse(at).plusSeconds(60).getEpochSecond()
                + ",\"object\":\"account\",\"type\":\"account.invalid\",\"object_data\":{\"account_id\":\"it-import-1\"}}\n";
        Http.Response response = http.post(EVIDENCE, auth(), "application/x-ndjson", ndjson.getBytes(UTF_8));
        assertEquals(response.toString(), 202, response.status());
        Map<String, Object> answer = Json.object(response.body());
        assertEquals(response.body(), 3, answer.get("accepted"));
        List<Object> rejected = Json.list(answer.get("rejected"), "rejected");
        assertEquals(response.body(), 2, Json.map(rejected.get(0), "rejected[0]").get("line"));

        Http.Response stored = diagnosis("it-import-1");
        assertEquals(stored.toString(), 200, stored.status());
        assertEquals(stored.body(), "PASSWORD_CHANGED", Json.object(stored.body()).get("cause"));

        assertError(http.post(EVIDENCE, auth(), "text/plain", ndjson.getBytes(UTF_8)), 415);
        assertError(http.post(EVIDENCE, auth(), "application/json", "{\"accounts\": [".getBytes(UTF_8)), 400);
        assertError(http.post(EVIDENCE, null, "application/x-ndjson", ndjson.getBytes(UTF_8)), 401);
    }

    @Test(timeout = 120_000)
    public void shellImportPrintsCounts() throws Exception {
        Path file = Files.createTempFile("synctriage-it-import", ".ndjson");
        try {
            Files.writeString(file, "{\"kind\":\"account\",\"id\":\"it-shell-1\",\"email\":\"sam@it-shell.example\"}\n"
                    + "not json\n", UTF_8);
            String output = Shell.execute(sessionFactory, "triage:import " + file, 60);
            assertTrue(output, output.contains("accepted  1"));
            assertTrue(output, output.contains("rejected  1"));
            assertTrue(output, output.contains("line 2: malformed JSON"));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
