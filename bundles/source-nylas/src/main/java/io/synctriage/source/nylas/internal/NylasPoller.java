package io.synctriage.source.nylas.internal;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.synctriage.model.EvidenceReader;
import io.synctriage.model.EvidenceStore;

/**
 * The Nylas reconciliation poller (PID {@value NylasConfig#PID}): when enabled, one daemon thread polls the
 * account/grant list every {@code interval.seconds} (measured from the end of a poll, so polls never overlap),
 * later when the API sent a longer Retry-After. Nothing a poll meets (HTTP errors, malformed JSON, store
 * failures, bugs) ends the thread; the outcome of each poll is logged and kept for {@link #lastPoll()}.
 *
 * <p>Why the status service is registered by hand and the component itself provides none: DS copies a
 * component's configuration into its service properties, which would publish the client secret / API key
 * to anyone listing services.
 */
// service = {}: not the component's own service (see above); PollerStatus is registered in the constructor
@Component(service = {}, immediate = true, configurationPid = NylasConfig.PID)
@Designate(ocd = NylasConfig.class)
public class NylasPoller implements PollerStatus {

    private static final Logger LOG = LoggerFactory.getLogger(NylasPoller.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final EvidenceStore store;
    private final EvidenceReader reader;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicReference<PollOutcome> last = new AtomicReference<>();
    private final Object lock = new Object();

    private PollerSettings settings; // guarded by lock
    private ScheduledExecutorService executor; // guarded by lock; null when not polling
    private ServiceRegistration<PollerStatus> registration;

    @Activate
    public NylasPoller(BundleContext context, NylasConfig config, @Reference(name = "store") EvidenceStore store,
                       @Reference(name = "reader") EvidenceReader reader) {
        this(store, reader, Clock.systemUTC(), PollerSettings.of(config));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_DESCRIPTION, "Synctriage Nylas reconciliation poller status");
        registration = context.registerService(PollerStatus.class, this, properties);
    }

    /** For tests: no service registration, and settings that may poll faster than a configuration allows. */
    NylasPoller(EvidenceStore store, EvidenceReader reader, Clock clock, PollerSettings settings) {
        this.store = store;
        this.reader = reader;
        this.clock = clock;
        start(settings);
    }

    @Modified
    void modified(NylasConfig config) {
        stop();
        start(PollerSettings.of(config));
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it first
            }
            registration = null;
        }
        stop();
    }

    @Override
    public boolean running() {
        synchronized (lock) {
            return executor != null;
        }
    }

    @Override
    public String describe() {
        synchronized (lock) {
            return settings == null ? "not configured" : settings.describe();
        }
    }

    @Override
    public PollOutcome lastPoll() {
        return last.get();
    }

    private void start(PollerSettings s) {
        synchronized (lock) {
            settings = s;
            if (!s.enabled()) {
                LOG.info("Nylas reconciliation poller disabled (enabled = false in etc/{}.cfg)", NylasConfig.PID);
                return;
            }
            if (!s.valid()) {
                String problems = String.join("; ", s.problems());
                last.set(PollOutcome.notStarted(clock.instant(), s.apiVersion(), "not started: " + problems));
                LOG.error("Nylas reconciliation poller enabled but not started: {}. Fix etc/{}.cfg", problems,
                        NylasConfig.PID);
                return;
            }
            HttpClient http = NylasApi.newHttpClient(s);
            Reconciler reconciler = new Reconciler(s, new NylasApi(s, http, mapper, clock), reader, store, clock);
            ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "synctriage-nylas-poller");
                t.setDaemon(true);
                return t;
            });
            executor = ex;
            ex.schedule(() -> pollAndReschedule(ex, reconciler, s), s.initialDelay().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Nylas reconciliation poller started: {} every {} s, first poll in {} s", s.describe(),
                    s.interval().toSeconds(), s.initialDelay().toSeconds());
        }
    }

    private void stop() {
        ScheduledExecutorService ex;
        synchronized (lock) {
            ex = executor;
            executor = null;
        }
        if (ex == null) {
            return;
        }
        ex.shutdownNow(); // interrupts a poll waiting for the API
        try {
            if (!ex.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Nylas poll still running {} s after the stop request; it ends on its own and schedules "
                        + "nothing more", STOP_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollAndReschedule(ScheduledExecutorService ex, Reconciler reconciler, PollerSettings s) {
        Duration next = s.interval();
        try {
            PollOutcome outcome = reconciler.poll();
            PollOutcome previous = last.getAndSet(outcome);
            log(outcome, previous);
            if (outcome.retryAfter() != null && outcome.retryAfter().compareTo(next) > 0) {
                next = outcome.retryAfter();
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            // Reconciler.poll() catches what a poll can throw; this is the last line that keeps the thread alive
            LOG.error("Nylas poll failed unexpectedly; next poll in {} s", next.toSeconds(), t);
        }
        if (!ex.isShutdown()) {
            try {
                ex.schedule(() -> pollAndReschedule(ex, reconciler, s), next.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stoppedMeanwhile) {
                // deactivated or reconfigured between the check and the schedule
            }
        }
    }

    private static void log(PollOutcome outcome, PollOutcome previous) {
        if (outcome.complete()) {
            LOG.info(outcome.summary());
        } else if (outcome.transientFailure()) {
            LOG.warn("{}; next attempt at the next interval{}", outcome.summary(),
                    outcome.retryAfter() == null ? "" : " or after Retry-After");
        } else if (previous != null && outcome.error().equals(previous.error())) {
            LOG.warn("{} (again)", outcome.summary());
        } else {
            LOG.error(outcome.summary());
        }
    }
}
