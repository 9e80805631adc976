package io.synctriage.fleet.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.Test;

import io.synctriage.model.Cause;
import io.synctriage.model.Incident;
import io.synctriage.model.spi.FleetDetector;
import io.synctriage.model.spi.PatternKind;

/** The component's thread: it survives a database outage, sees detectors come and go, and stops when deactivated. */
public class FleetTrackerTest {

    private static final Instant T = Instant.parse("2026-06-15T12:00:00Z");

    @Test(timeout = 20_000)
    public void theThreadFollowsTheFeedThroughAnOutageAndStopsCleanly() throws Exception {
        FakeFeed feed = new FakeFeed();
        FakeIncidentStore store = new FakeIncidentStore();
        MutableClock clock = new MutableClock(T.plus(1, ChronoUnit.HOURS));
        FleetSettings settings = new FleetSettings(Duration.ofMillis(10), 100, Duration.ofDays(30),
                Duration.ofMinutes(30), Duration.ofHours(6), Duration.ofHours(24), 1000, 100, 1000,
                FleetSettings.DEFAULT_CONSUMER_DOMAINS);
        FleetTracker component = new FleetTracker(settings, feed, store, new FakeClassifier(), clock);
        List<FleetDetector> detectors = Harness.defaultDetectors();
        for (int i = detectors.size() - 1; i >= 0; i--) {
            component.addDetector(detectors.get(i));
        }
        assertEquals("consulted in precedence order", detectors.stream().map(FleetDetector::kind).toList(),
                component.detectors().stream().map(FleetDetector::kind).toList());
        FleetDetector sameMoment = detectors.stream().filter(d -> d.kind() == PatternKind.SAME_MOMENT).findFirst().get();
        component.removeDetector(sameMoment);

        feed.failReads.set(1); // the database is down when the tracker starts
        component.start();
        try {
            feed.account("t1", "a@thread.example", "office365", T.minus(100, ChronoUnit.DAYS));
            feed.account("t2", "b@thread.example", "office365", T.minus(100, ChronoUnit.DAYS));
            feed.fail("t1", T).fail("t2", T.plusSeconds(60));
            await(() -> store.cursors().getOrDefault(IncidentTracker.STATE_CHANGES, 0L) > 0);
            assertEquals("no same-moment detector bound", List.of(), store.all());

            component.addDetector(sameMoment);
            feed.account("t3", "c@thread.example", "office365", T.minus(100, ChronoUnit.DAYS));
            feed.fail("t3", T.plusSeconds(120));
            await(() -> !store.all().isEmpty());
            Incident i = store.all().get(0);
            assertEquals(PatternKind.SAME_MOMENT, i.kind());
            assertEquals(Cause.ADMIN_DISCONNECTED, i.cause());
            assertTrue(i.hasMember("t3"));
        } finally {
            component.stop();
        }
        assertFalse("the thread is gone", Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("synctriage-fleet-tracker") && t.isAlive()));
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
