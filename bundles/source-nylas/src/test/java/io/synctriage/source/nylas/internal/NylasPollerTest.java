package io.synctriage.source.nylas.internal;

import static io.synctriage.source.nylas.internal.Configs.config;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.synctriage.engine.internal.EvidenceNormalizer;
import io.synctriage.model.EvidenceStore;
import io.synctriage.source.nylas.internal.FakeNylas.Request;
import io.synctriage.source.nylas.internal.FakeNylas.Response;

/** The scheduling: disabled by default, polls on its own thread, survives every failure, stops when told. */
public class NylasPollerTest {

    private FakeNylas nylas;
    private final FakeStore store = new FakeStore();
    private final EvidenceNormalizer reader = new EvidenceNormalizer(Clock.systemUTC());
    private NylasPoller poller;

    @Before
    public void start() throws Exception {
        nylas = new FakeNylas();
        List<Map<String, Object>> fleet = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fleet.add(FakeNylas.v2Account("acc" + i, "u" + i + "@example.net", "office365", "running"));
        }
        nylas.accounts = fleet;
    }

    @After
    public void stop() {
        if (poller != null) {
            poller.deactivate();
        }
        nylas.close();
    }

    /** Valid v2 settings against the local server, polling every {@code interval} from the start. */
    private PollerSettings fast(Duration interval) {
        PollerSettings s = PollerSettings.of(config("enabled", true, "base.url", nylas.baseUrl(),
                "client.id", "cid", "client.secret", "sec", "page.size", 10));
        assertTrue(s.problems().toString(), s.valid());
        // below the configurable minimum (10 s), to keep the test short
        return new PollerSettings(true, 2, s.baseUrl(), "cid", "sec", "", interval, Duration.ZERO, 10, 100,
                s.connectTimeout(), Duration.ofSeconds(5), List.of());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static boolean pollerThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("synctriage-nylas-poller") && t.isAlive());
    }

    @Test
    public void disabledByDefaultDoesNothing() throws Exception {
        assertFalse(PollerSettings.of(config()).enabled());
        poller = new NylasPoller(store, reader, Clock.systemUTC(),
                PollerSettings.of(config("base.url", nylas.baseUrl(), "client.id", "cid", "client.secret", "sec",
                        "initial.delay.seconds", 0L)));

        Thread.sleep(300);

        assertFalse(poller.running());
        assertNull(poller.lastPoll());
        assertTrue(nylas.requests().isEmpty());
        assertEquals(0, store.storeCalls);
        assertFalse(pollerThreadAlive());
    }

    @Test
    public void enabledWithoutCredentialsSaysWhichKeyIsMissing() {
        poller = new NylasPoller(store, reader, Clock.systemUTC(), PollerSettings.of(config("enabled", true,
                "api.version", 3, "base.url", nylas.baseUrl())));

        assertFalse(poller.running());
        PollOutcome o = poller.lastPoll();
        assertNotNull(o);
        assertTrue(o.error(), o.error().contains("api.key"));
        assertTrue(nylas.requests().isEmpty());
    }

    @Test
    public void failuresNeverStopTheSchedulerAndDeactivateDoes() throws Exception {
        nylas.script(Response.json(500, "{\"message\":\"internal\"}"), Response.json(200, "not json"));
        poller = new NylasPoller(store, reader, Clock.systemUTC(), fast(Duration.ofMillis(50)));
        assertTrue(poller.running());

        // 500, malformed JSON, then the list
        await("a complete poll", () -> poller.lastPoll() != null && poller.lastPoll().complete());
        assertEquals(3, store.accounts.size());

        // a store failure, then a recovery
        store.failure = new EvidenceStore.StoreException("down", null);
        await("a poll failing on the store", () -> !poller.lastPoll().complete()
                && poller.lastPoll().error().contains("evidence store"));
        store.failure = null;
        List<Map<String, Object>> changed = new ArrayList<>(nylas.accounts);
        changed.set(0, FakeNylas.v2Account("acc0", "u0@example.net", "office365", "stopped"));
        nylas.accounts = changed;
        await("the state change", () -> store.notifications.size() == 1);
        assertEquals("account.stopped", store.notifications.get(0).event().type());
        assertTrue(pollerThreadAlive());

        poller.deactivate();
        assertFalse(poller.running());
        int requests = nylas.requests().size();
        Thread.sleep(300);
        assertEquals("no poll after deactivate", requests, nylas.requests().size());
        assertFalse(pollerThreadAlive());
        assertEquals("the change was recorded once", 1, store.notifications.size());
        poller = null;
    }

    @Test
    public void retryAfterDelaysTheNextPoll() throws Exception {
        nylas.script(new Response(429, "", Map.of("Retry-After", "1")));
        poller = new NylasPoller(store, reader, Clock.systemUTC(), fast(Duration.ofMillis(20)));

        await("the poll after the 429", () -> nylas.requests().size() >= 2);

        List<Request> reqs = nylas.requests();
        long gapMillis = (reqs.get(1).atNanos() - reqs.get(0).atNanos()) / 1_000_000;
        assertTrue("waited " + gapMillis + " ms", gapMillis >= 950);
        await("a complete poll", () -> poller.lastPoll() != null && poller.lastPoll().complete());
    }

    @Test
    public void pollsNeverOverlap() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        nylas.responder = req -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(60);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
                served.incrementAndGet();
            }
            return Response.json(200, "[]");
        };
        poller = new NylasPoller(store, reader, Clock.systemUTC(), fast(Duration.ofMillis(1)));

        await("several polls", () -> served.get() >= 5);

        assertEquals(1, maxInFlight.get());
    }

    @Test
    public void aConfigurationChangeRestartsOrStopsPolling() throws Exception {
        poller = new NylasPoller(store, reader, Clock.systemUTC(), PollerSettings.of(config()));
        assertFalse(poller.running());

        poller.modified(config("enabled", true, "base.url", nylas.baseUrl(), "client.id", "cid",
                "client.secret", "sec", "initial.delay.seconds", 0L));
        assertTrue(poller.running());
        assertTrue(poller.describe(), poller.describe().contains("/a/cid/accounts"));
        await("the first poll", () -> poller.lastPoll() != null && poller.lastPoll().complete());
        assertEquals(3, poller.lastPoll().accountsSeen());

        poller.modified(config("enabled", false));
        assertFalse(poller.running());
        assertFalse(pollerThreadAlive());
    }
}
