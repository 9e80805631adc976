package io.synctriage.fleet.internal;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.synctriage.model.Incident;
import io.synctriage.model.spi.FleetDetector;
import io.synctriage.model.spi.PatternKind;

/** A tracker over fakes, with the six detectors of this bundle at their defaults. */
final class Harness {

    final FakeFeed feed = new FakeFeed();
    final FakeIncidentStore store = new FakeIncidentStore();
    final FakeClassifier classifier = new FakeClassifier();
    final MutableClock clock;
    FleetSettings settings = FleetSettings.defaults();
    List<FleetDetector> detectors = defaultDetectors();
    IncidentTracker tracker;

    Harness(Instant wallClock) {
        clock = new MutableClock(wallClock);
    }

    static List<FleetDetector> defaultDetectors() {
        List<FleetDetector> d = new ArrayList<>(List.of(
                new ProviderWideDetector(Duration.ofMinutes(30), 3, 5000),
                new SameMomentDetector(Duration.ofMinutes(30), 2),
                new RecurringDetector(Duration.ofDays(30), Duration.ofMinutes(30), 3, 0.10),
                new TestingModeDetector(Duration.ofDays(30), Duration.ofDays(7), Duration.ofHours(12), 2, 20_000),
                new InactivityDetector(Duration.ofDays(30), Duration.ofDays(90), 2, 20_000),
                new FlappingDetector(Duration.ofDays(30), Duration.ofMinutes(60), 2)));
        d.sort(Comparator.comparing(FleetDetector::kind));
        return d;
    }

    static FleetSettings withBatchSize(FleetSettings s, int size) {
        return new FleetSettings(s.pollInterval(), size, s.lookback(), s.clusterWindow(), s.quietPeriod(),
                s.errorWindow(), s.maxFailures(), s.maxFailuresPerDomain(), s.maxErrorLines(), s.consumerDomains());
    }

    static FleetSettings withLimits(FleetSettings s, int failures, int perDomain, int errorLines) {
        return new FleetSettings(s.pollInterval(), s.batchSize(), s.lookback(), s.clusterWindow(), s.quietPeriod(),
                s.errorWindow(), failures, perDomain, errorLines, s.consumerDomains());
    }

    /** A new tracker on the same feed and store (as after a restart), recovered. */
    IncidentTracker start() {
        tracker = new IncidentTracker(feed, store, classifier, () -> detectors, settings, clock);
        tracker.recover();
        return tracker;
    }

    /** Runs batches until the feed is drained. */
    Harness drain() {
        if (tracker == null) {
            start();
        }
        for (int i = 0; i < 100_000; i++) {
            if (tracker.step()) {
                return this;
            }
        }
        throw new AssertionError("the tracker never caught up");
    }

    List<Incident> incidents() {
        List<Incident> all = store.all();
        all.sort(Comparator.comparing(Incident::id));
        return all;
    }

    List<Incident> incidents(PatternKind kind) {
        return incidents().stream().filter(i -> i.kind() == kind).toList();
    }

    Incident only(PatternKind kind) {
        List<Incident> found = incidents(kind);
        assertEquals("exactly one " + kind + " incident in " + describe(), 1, found.size());
        return found.get(0);
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        for (Incident i : incidents()) {
            b.append("\n  ").append(i.id()).append(' ').append(i.kind()).append(' ').append(i.cause()).append(' ')
                    .append(i.domain() != null ? i.domain() : i.family()).append(' ').append(i.status())
                    .append(" members=").append(i.accounts().stream().map(m -> m.accountId() + "x" + m.failures()).toList());
        }
        return b.toString();
    }
}
