package io.synctriage.fleet.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.synctriage.model.EvidenceFeed;
import io.synctriage.model.FailureClassifier;
import io.synctriage.model.IncidentStore;
import io.synctriage.model.spi.FleetDetector;

/**
 * The fleet tracker (PID {@value FleetSettings#PID}): one daemon thread that follows the evidence feed
 * and keeps the fleet incidents up to date ({@link IncidentTracker} does the work). Detectors are a
 * whiteboard — any bundle may register a {@link FleetDetector} — bound and unbound while it runs; every
 * failure is examined by the detectors bound at that moment.
 *
 * <p>Nothing the thread meets ends it: a database error is logged and the batch retried with a growing
 * pause (a failed save is retried as it was; a failure in the middle of a batch rebuilds the in-memory
 * state from the store). Deactivation stops the thread and waits for it. It offers no service: the
 * surfaces read the incidents from the {@link IncidentStore}.
 */
@Component(service = {}, immediate = true, configurationPid = FleetSettings.PID)
@Designate(ocd = FleetTrackerConfig.class)
public final class FleetTracker {

    private static final Logger LOG = LoggerFactory.getLogger(FleetTracker.class);
    private static final long MAX_BACKOFF_MS = 60_000;
    private static final long STOP_WAIT_MS = 10_000;

    private final Map<FleetDetector, Boolean> bound = new ConcurrentHashMap<>();
    /** The detectors in precedence order (pattern, then name), rebuilt on bind/unbind; read lock-free per failure. */
    private volatile List<FleetDetector> detectors = List.of();
    private final IncidentTracker tracker;
    private final FleetSettings settings;
    private volatile boolean running;
    private Thread thread;

    @Activate
    public FleetTracker(FleetTrackerConfig config, @Reference(name = "feed") EvidenceFeed feed,
                        @Reference(name = "store") IncidentStore store,
                        @Reference(name = "classifier") FailureClassifier classifier) {
        this(FleetSettings.from(config), feed, store, classifier, Clock.systemUTC());
    }

    FleetTracker(FleetSettings settings, EvidenceFeed feed, IncidentStore store, FailureClassifier classifier, Clock clock) {
        this.settings = settings;
        this.tracker = new IncidentTracker(feed, store, classifier, () -> detectors, settings, clock);
    }

    /**
     * Starts the thread once DS has bound the detectors present at activation (dynamic references are bound
     * after the constructor, before this method), so that the first batch is not examined by none.
     */
    @Activate
    void start() {
        running = true;
        thread = new Thread(this::run, "synctriage-fleet-tracker");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Fleet tracker started: polling every {} ms, look-back {} d, {} detector(s) bound",
                settings.pollInterval().toMillis(), settings.lookback().toDays(), detectors.size());
    }

    @Deactivate
    void stop() {
        running = false;
        Thread t = thread;
        if (t == null) {
            return;
        }
        t.interrupt();
        try {
            t.join(STOP_WAIT_MS);
            if (t.isAlive()) {
                LOG.warn("Fleet tracker thread still busy {} s after the stop request; it stops after its current batch",
                        STOP_WAIT_MS / 1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Reference(service = FleetDetector.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDetector")
    void addDetector(FleetDetector detector) {
        bound.put(detector, Boolean.TRUE);
        rebuild();
    }

    void removeDetector(FleetDetector detector) {
        bound.remove(detector);
        rebuild();
    }

    private synchronized void rebuild() {
        List<FleetDetector> list = new ArrayList<>(bound.keySet());
        list.sort(Comparator.comparing((FleetDetector d) -> safeKind(d)).thenComparing(FleetTracker::safeName));
        detectors = List.copyOf(list);
    }

    private static int safeKind(FleetDetector d) {
        try {
            return d.kind() == null ? Integer.MAX_VALUE : d.kind().ordinal();
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String safeName(FleetDetector d) {
        try {
            return String.valueOf(d.name());
        } catch (RuntimeException e) {
            return d.getClass().getName();
        }
    }

    private void run() {
        long backoff = 0;
        while (running) {
            try {
                if (!tracker.recovered()) {
                    tracker.recover();
                }
                boolean caughtUp = tracker.step();
                if (backoff > 0) {
                    LOG.info("Fleet tracker recovered: processing again");
                }
                backoff = 0;
                if (caughtUp) {
                    Thread.sleep(settings.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                return; // deactivated
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // the thread must outlive any error, a bug of ours included
                if (!running) {
                    return;
                }
                backoff = backoff == 0 ? 500 : Math.min(MAX_BACKOFF_MS, backoff * 2);
                if (backoff <= 1000) {
                    LOG.warn("Fleet tracker batch failed; retrying in {} ms", backoff, e);
                } else {
                    LOG.warn("Fleet tracker batch failed again ({}); retrying in {} ms", e.toString(), backoff);
                }
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** For tests: the detectors in the order they are consulted. */
    List<FleetDetector> detectors() {
        return detectors;
    }
}
