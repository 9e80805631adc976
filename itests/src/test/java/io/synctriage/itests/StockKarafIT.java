package io.synctriage.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.File;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
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
 * Boots a STOCK Apache Karaf (the plain apache-karaf tar.gz) and does what a Karaf user does: add the
 * Synctriage features repository and install the {@code synctriage} feature from the shell, then use the REST
 * API. Checks that the features repository is complete and self-contained on a container we did not build.
 *
 * <p>The container resolves {@code mvn:io.synctriage/…} from a file repository the build creates
 * (itests/target/stock-repo, see the itests pom), listed in its {@code defaultRepositories}; it has no remote
 * repository and runs offline. So this works after a plain {@code mvn verify}, without our artifacts in ~/.m2.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StockKarafIT {

    private static final String HEALTH = "/api/v1/health";

    /** The install happens once per container; the test methods share it (PerClass). */
    private static boolean installed;

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
    public Option[] configuration() throws URISyntaxException {
        File stockRepo = Containers.requiredFile(Containers.STOCK_REPO);
        return options(
                Containers.base(Containers.requiredFile("karaf.stock.distribution"), "Apache Karaf",
                        System.getProperty("karaf.version"), Containers.freePort()),
                // Stock Karaf's default repositories, plus the file repository built for this test.
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg",
                        "org.ops4j.pax.url.mvn.defaultRepositories",
                        "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots,"
                                + " ${karaf.data.uri}kar@id=kar.repository@multi@snapshots,"
                                + " ${karaf.base.uri}${karaf.default.repository}@id=child.system.repository@snapshots,"
                                + " " + stockRepo.toURI() + "@id=synctriage.itest@snapshots"),
                // A stock Karaf has no enabled user; enable karaf/karaf as a user would, for the REST API.
                replaceConfigurationFile("etc/users.properties",
                        new File(StockKarafIT.class.getResource("/etc/users.properties").toURI())),
                systemProperty(Containers.VERSION).value(System.getProperty(Containers.VERSION)));
    }

    /** feature:repo-add + feature:install, exactly the commands of the README. */
    @Before
    public void installSynctriage() throws Exception {
        if (installed) {
            return;
        }
        String version = System.getProperty(Containers.VERSION);
        Shell.execute(sessionFactory,
                "feature:repo-add mvn:io.synctriage/synctriage-features/" + version + "/xml/features", 60);
        // -r (no automatic refresh of already installed bundles): a refresh could restart bundles this test
        // probe is wired to in the middle of the test. A user may leave it out.
        Shell.execute(sessionFactory, "feature:install -r synctriage", 180);
        installed = true;
        await("GET " + HEALTH + " answers 200 after feature:install").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> http.get(HEALTH, null).status() == 200);
    }

    @Test(timeout = 60_000)
    public void featureIsInstalledWithOneJacksonSet() throws Exception {
        String features = Shell.execute(sessionFactory, "feature:list -i --no-format", 30);
        for (String feature : new String[] {"synctriage ", "synctriage-engine", "synctriage-http",
                "synctriage-shell", "synctriage-model"}) {
            assertTrue(feature.trim() + " installed: " + features, features.contains(feature));
        }
        long databind = Arrays.stream(bundleContext.getBundles())
                .filter(b -> "com.fasterxml.jackson.core.jackson-databind".equals(b.getSymbolicName()))
                .count();
        assertEquals("exactly one jackson-databind bundle", 1, databind);
    }

    @Test(timeout = 60_000)
    public void healthIsUp() throws Exception {
        Http.Response response = http.get(HEALTH, null);
        assertEquals(response.toString(), 200, response.status());
        Map<String, Object> health = Json.object(response.body());
        assertEquals(response.body(), "UP", health.get("status"));
        Json.list(health.get("providers"), "providers");
    }

    @Test(timeout = 60_000)
    public void diagnosesABundle() throws Exception {
        Http.Response response = http.postJson("/api/v1/diagnoses",
                ApiAssertions.bundle("app-revoked-tokens.json"));
        assertEquals(response.toString(), 200, response.status());
        Map<String, Object> diagnosis = Json.object(response.body());
        ApiAssertions.assertDiagnosisShape("app-revoked-tokens.json", diagnosis);
        assertEquals(response.body(), "APP_REVOKED_TOKENS", diagnosis.get("cause"));
        assertEquals(response.body(), "DEVELOPER", diagnosis.get("actor"));
    }
}
