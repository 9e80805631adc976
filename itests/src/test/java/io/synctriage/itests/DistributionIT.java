package io.synctriage.itests;

import static io.synctriage.itests.ApiAssertions.GENERIC_STEPS;
import static io.synctriage.itests.ApiAssertions.assertDiagnosisShape;
import static io.synctriage.itests.ApiAssertions.assertError;
import static io.synctriage.itests.ApiAssertions.assertJson;
import static io.synctriage.itests.ApiAssertions.bundle;
import static io.synctriage.itests.ApiAssertions.bundleFile;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
import org.osgi.framework.BundleContext;

/**
 * Boots THE BUILT DISTRIBUTION (karaf-assembly's tar.gz, offline, as shipped) and checks it only through its
 * public surfaces: the REST API of spec/api.md (with its error model) and the {@code triage:*} shell
 * commands in a real shell session.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionIT {

    /** Lowered from the 2 MiB default so the 413 case sends a small body (set in etc/, as an operator would). */
    static final int MAX_BODY_BYTES = 32 * 1024;

    private static final String DIAGNOSES = "/api/v1/diagnoses";
    private static final String HEALTH = "/api/v1/health";

    @Inject
    @Filter(timeout = 120_000)
    BootFinished bootFinished;

    @Inject
    @Filter(timeout = 60_000)
    SessionFactory sessionFactory;

    @Inject
    BundleContext bundleContext;

    private final Http http = new Http();

    @Configuration
    public Option[] configuration() {
        return options(
                Containers.base(Containers.requiredFile("synctriage.distribution"), "Synctriage",
                        System.getProperty("karaf.version"), Containers.freePort()),
                editConfigurationFilePut("etc/io.synctriage.http.cfg", "max.body.bytes",
                        String.valueOf(MAX_BODY_BYTES)));
    }

    /** Boot features are in (BootFinished); the servlets register asynchronously, so wait for health. */
    @Before
    public void apiIsUp() {
        await("GET " + HEALTH + " answers 200").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> http.get(HEALTH, null).status() == 200);
    }

    // ---------------------------------------------------------------------------------------------- health

    @Test(timeout = 60_000)
    public void healthIsOpenAndUp() throws Exception {
        Http.Response response = http.get(HEALTH, null);
        assertEquals(response.toString(), 200, response.status());
        assertJson(response);
        Map<String, Object> health = Json.object(response.body());
        assertEquals(response.body(), "UP", health.get("status"));
        Json.list(health.get("providers"), "providers");
    }

    @Test(timeout = 60_000)
    public void exactlyOneJacksonSet() {
        for (String name : List.of("jackson-core", "jackson-annotations", "jackson-databind")) {
            long count = Arrays.stream(bundleContext.getBundles())
                    .filter(b -> ("com.fasterxml.jackson.core." + name).equals(b.getSymbolicName())).count();
            assertEquals(name + " bundles", 1, count);
        }
    }

    // ------------------------------------------------------------------------------------------- diagnoses

    @Test(timeout = 60_000)
    public void appRevokedTokens() throws Exception {
        assertDiagnosis("app-revoked-tokens.json", "APP_REVOKED_TOKENS", "DEVELOPER");
    }

    @Test(timeout = 60_000)
    public void appStoppedAccount() throws Exception {
        assertDiagnosis("app-stopped-account.json", "APP_STOPPED_ACCOUNT", "DEVELOPER");
    }

    @Test(timeout = 60_000)
    public void adminDisconnected() throws Exception {
        assertDiagnosis("admin-disconnected.json", "ADMIN_DISCONNECTED", "MAIL_ADMIN");
    }

    @Test(timeout = 60_000)
    public void domainSessionPolicy() throws Exception {
        assertDiagnosis("domain-session-policy.json", "DOMAIN_SESSION_POLICY", "MAIL_ADMIN");
    }

    @Test(timeout = 60_000)
    public void undeterminedHasNoActor() throws Exception {
        Map<String, Object> diagnosis = assertDiagnosis("undetermined.json", "UNDETERMINED", null);
        assertFalse("UNDETERMINED lists the missing evidence: " + diagnosis,
                Json.list(diagnosis.get("missing"), "missing").isEmpty());
    }

    /**
     * The regression suite: every case of {@code src/test/resources/acceptance} (bundle + expected cause and
     * actor, written from spec/ and knowledge/ with their own values) POSTed to the running distribution with
     * all provider bundles. All failures are reported together.
     */
    @Test(timeout = 300_000)
    @SuppressWarnings("unchecked")
    public void acceptanceCases() throws Exception {
        Path dir = Path.of(System.getProperty(Containers.BUNDLES_DIR)).resolveSibling("acceptance");
        List<Path> files;
        try (java.util.stream.Stream<Path> list = java.nio.file.Files.list(dir)) {
            files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue("acceptance cases present in " + dir, files.size() >= 100);
        List<String> failures = new java.util.ArrayList<>();
        for (Path file : files) {
            Map<String, Object> c = Json.object(java.nio.file.Files.readString(file));
            Map<String, Object> expect = Json.map(c.get("expect"), "expect");
            String body = Json.write(c.get("bundle"));
            Http.Response response = http.postJson(DIAGNOSES, body);
            if (response.status() != 200) {
                failures.add(file.getFileName() + ": HTTP " + response);
                continue;
            }
            Map<String, Object> diagnosis = Json.object(response.body());
            assertDiagnosisShape(file.getFileName().toString(), diagnosis);
            boolean causeOk = expect.get("cause").equals(diagnosis.get("cause"));
            boolean actorOk = !expect.containsKey("actor") || java.util.Objects.equals(expect.get("actor"), diagnosis.get("actor"));
            if (!causeOk || !actorOk) {
                failures.add(file.getFileName() + ": expected " + expect.get("cause") + "/" + expect.get("actor")
                        + " got " + diagnosis.get("cause") + "/" + diagnosis.get("actor"));
            }
        }
        assertTrue(failures.size() + " of " + files.size() + " acceptance cases failed:\n" + String.join("\n", failures),
                failures.isEmpty());
    }

    // ---------------------------------------------------------------------------------------- error model

    @Test(timeout = 60_000)
    public void malformedJsonIs400() throws Exception {
        assertError(http.postJson(DIAGNOSES, "{\"account\": {\"id\": \"abc\""), 400);
    }

    @Test(timeout = 60_000)
    public void wrongJsonTypeIs400() throws Exception {
        assertError(http.postJson(DIAGNOSES, "{\"account\": \"abc\"}"), 400);
    }

    @Test(timeout = 60_000)
    public void missingAccountIdIs400() throws Exception {
        assertError(http.postJson(DIAGNOSES, "{\"account\": {\"email\": \"someone@example.org\"}}"), 400);
    }

    @Test(timeout = 60_000)
    public void bodyOverTheLimitIs413() throws Exception {
        // a valid bundle padded with whitespace past the configured limit: only the size is wrong
        StringBuilder body = new StringBuilder("{\"account\": {\"id\": \"too-big\"}");
        body.append(" ".repeat(MAX_BODY_BYTES + 1024)).append('}');
        assertError(http.postJson(DIAGNOSES, body.toString()), 413);
    }

    @Test(timeout = 60_000)
    public void notJsonIs415() throws Exception {
        assertError(http.post(DIAGNOSES, Http.basic(Http.USER, Http.PASSWORD), "text/plain",
                bundle("app-revoked-tokens.json").getBytes(UTF_8)), 415);
    }

    @Test(timeout = 60_000)
    public void getOnDiagnosesIs405() throws Exception {
        assertError(http.get(DIAGNOSES, Http.basic(Http.USER, Http.PASSWORD)), 405);
    }

    @Test(timeout = 60_000)
    public void noCredentialsIs401() throws Exception {
        assertError(http.post(DIAGNOSES, null, "application/json",
                bundle("app-revoked-tokens.json").getBytes(UTF_8)), 401);
    }

    @Test(timeout = 60_000)
    public void wrongCredentialsIs401() throws Exception {
        assertError(http.post(DIAGNOSES, Http.basic(Http.USER, "not-the-password"), "application/json",
                bundle("app-revoked-tokens.json").getBytes(UTF_8)), 401);
    }

    // ---------------------------------------------------------------------------------------------- shell

    @Test(timeout = 120_000)
    public void shellProvidersListsWhatHealthReports() throws Exception {
        String output = Shell.execute(sessionFactory, "triage:providers", 60);
        assertFalse("the engine is running: " + output, output.contains("is not running"));
        List<Object> providers = Json.list(Json.object(http.get(HEALTH, null).body()).get("providers"), "providers");
        if (providers.isEmpty()) {
            assertTrue("no provider bundles installed, so it says so: " + output,
                    output.contains("No provider check bundles are active"));
        } else {
            for (Object family : providers) {
                assertTrue(family + " listed: " + output, output.contains(String.valueOf(family)));
            }
        }
    }

    @Test(timeout = 120_000)
    public void shellDiagnoseFile() throws Exception {
        Path file = bundleFile("app-revoked-tokens.json");
        String output = Shell.execute(sessionFactory, "triage:diagnose --file " + file, 60);
        assertTrue("report names the cause: " + output, output.contains("APP_REVOKED_TOKENS"));
        assertTrue("report names the actor: " + output, output.contains("DEVELOPER"));
        assertTrue("report has a trace table: " + output, output.contains("Trace"));
        for (String step : GENERIC_STEPS) {
            assertTrue("trace has " + step + ": " + output, output.contains(step));
        }
    }

    // -------------------------------------------------------------------------------------------- helpers

    /** POSTs a bundle and checks cause, actor, every contract field and the six generic steps. */
    private Map<String, Object> assertDiagnosis(String bundle, String cause, String actor) throws Exception {
        Http.Response response = http.postJson(DIAGNOSES, bundle(bundle));
        assertEquals(bundle + ": " + response, 200, response.status());
        assertJson(response);
        Map<String, Object> diagnosis = Json.object(response.body());
        assertDiagnosisShape(bundle, diagnosis);
        assertEquals(bundle + " cause: " + response.body(), cause, diagnosis.get("cause"));
        if (actor == null) {
            assertNull(bundle + " actor must be JSON null: " + response.body(), diagnosis.get("actor"));
        } else {
            assertEquals(bundle + " actor: " + response.body(), actor, diagnosis.get("actor"));
        }
        return diagnosis;
    }
}
