package io.synctriage.itests;

import static io.synctriage.itests.ApiAssertions.bundle;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
 * The platform's promise: provider bundles are swapped at runtime without a restart and without a single
 * failed request. A client loop hammers {@code POST /api/v1/diagnoses} (a Gmail and a Microsoft account)
 * while the Google provider feature is uninstalled, installed again and its bundle updated, through the
 * shell commands an operator would type.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProviderSwapIT {

    private static final String DIAGNOSES = "/api/v1/diagnoses";
    private static final String HEALTH = "/api/v1/health";
    private static final List<String> ALL = List.of("eas", "google", "imap", "microsoft");
    private static final List<String> WITHOUT_GOOGLE = List.of("eas", "imap", "microsoft");

    @Inject
    @Filter(timeout = 120_000)
    BootFinished bootFinished;

    @Inject
    @Filter(timeout = 60_000)
    SessionFactory sessionFactory;

    private final Http http = new Http();

    @Configuration
    public Option[] configuration() {
        return options(Containers.base(Containers.requiredFile("synctriage.distribution"), "Synctriage",
                System.getProperty("karaf.version"), Containers.freePort()));
    }

    @Before
    public void allProvidersUp() {
        awaitProviders(ALL);
    }

    /** Load generator: a few threads POSTing diagnoses until stopped; every non-200 answer is a failure. */
    private static final class Load implements AutoCloseable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong ok = new AtomicLong();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final List<Long> latenciesMicros = Collections.synchronizedList(new ArrayList<>());
        final ExecutorService pool;
        final CountDownLatch stopped;

        Load(int threads, List<String> bodies) {
            pool = Executors.newFixedThreadPool(threads);
            stopped = new CountDownLatch(threads);
            for (int i = 0; i < threads; i++) {
                String body = bodies.get(i % bodies.size());
                pool.execute(() -> {
                    Http client = new Http();
                    try {
                        while (running.get()) {
                            long start = System.nanoTime();
                            try {
                                Http.Response r = client.postJson(DIAGNOSES, body);
                                latenciesMicros.add((System.nanoTime() - start) / 1000);
                                if (r.status() == 200 && r.body().contains("\"cause\"")) {
                                    ok.incrementAndGet();
                                } else {
                                    failures.add(r.toString());
                                }
                            } catch (Exception e) {
                                failures.add(e.toString());
                            }
                        }
                    } finally {
                        stopped.countDown();
                    }
                });
            }
        }

        long p99Millis() {
            List<Long> copy;
            synchronized (latenciesMicros) {
                copy = new ArrayList<>(latenciesMicros);
            }
            Collections.sort(copy);
            return copy.isEmpty() ? 0 : copy.get((int) Math.min(copy.size() - 1, Math.ceil(copy.size() * 0.99) - 1)) / 1000;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            assertTrue("load threads stop", stopped.await(60, TimeUnit.SECONDS));
            pool.shutdownNow();
        }
    }

    @Test(timeout = 300_000)
    public void swapGoogleChecksUnderLoadWithoutAFailedRequest() throws Exception {
        String gmail = bundle("google-testing-mode.json");
        String microsoft = bundle("microsoft-ca-signin.json");
        assertEquals("GOOGLE_APP_TESTING_MODE", diagnose(gmail).get("cause"));

        Load load = new Load(4, List.of(gmail, microsoft));
        try {
            awaitRequests(load, 50);

            // 1. uninstall: three providers, Gmail diagnoses still answer with the generic steps
            Shell.execute(sessionFactory, "feature:uninstall -r synctriage-provider-google", 120);
            awaitProviders(WITHOUT_GOOGLE);
            Map<String, Object> degraded = diagnose(gmail);
            List<Object> missing = Json.list(degraded.get("missing"), "missing");
            assertTrue("says the Google checks are missing: " + missing,
                    missing.contains("provider checks for google not installed"));
            assertTrue("trace still has S1..S6: " + degraded,
                    Json.list(degraded.get("trace"), "trace").size() >= 6);
            assertEquals("CA_SIGNIN_FREQUENCY", diagnose(microsoft).get("cause"));
            awaitRequests(load, load.ok.get() + 50);

            // 2. install again: back without a restart
            Shell.execute(sessionFactory, "feature:install -r synctriage-provider-google", 120);
            awaitProviders(ALL);
            awaitCause(gmail, "GOOGLE_APP_TESTING_MODE");
            awaitRequests(load, load.ok.get() + 50);

            // 3. bundle update (same bytes, a new bundle revision): the engine rebinds the new service
            Shell.execute(sessionFactory, "bundle:update io.synctriage.provider.google", 120);
            awaitProviders(ALL);
            awaitCause(gmail, "GOOGLE_APP_TESTING_MODE");
            awaitRequests(load, load.ok.get() + 50);
        } finally {
            load.close();
        }
        System.out.println("ProviderSwapIT: " + load.ok.get() + " requests during the swaps, " + load.failures.size()
                + " failed, p99 " + load.p99Millis() + " ms");
        assertTrue("zero failed requests during the swaps, got " + load.failures.size() + ": "
                + load.failures.stream().limit(5).toList(), load.failures.isEmpty());
        String providers = Shell.execute(sessionFactory, "triage:providers --no-format", 60);
        for (String family : ALL) {
            assertTrue(family + " in " + providers, providers.contains("io.synctriage.provider." + family));
        }
    }

    private Map<String, Object> diagnose(String body) throws Exception {
        Http.Response r = http.postJson(DIAGNOSES, body);
        assertEquals(r.toString(), 200, r.status());
        return Json.object(r.body());
    }

    private void awaitCause(String body, String cause) {
        await("diagnosis becomes " + cause).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> cause.equals(diagnose(body).get("cause")));
    }

    private void awaitProviders(List<String> expected) {
        await("health lists " + expected).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    Http.Response r = http.get(HEALTH, null);
                    return r.status() == 200 && expected.equals(Json.list(Json.object(r.body()).get("providers"), "providers"));
                });
    }

    private static void awaitRequests(Load load, long atLeast) {
        await("the load generator completes requests").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50)).until(() -> load.ok.get() >= atLeast || !load.failures.isEmpty());
    }
}
