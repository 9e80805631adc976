package io.synctriage.source.importer.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CancellationException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Loads the bundled demo fleet ({@value #RESOURCE}) when the evidence store is EMPTY, so that a fresh
 * distribution shows real stored diagnoses at once. {@code demo.enabled = false} in
 * {@code etc/io.synctriage.importer.cfg} turns it off (a configuration change re-runs the check).
 *
 * <p>The file is written against a fixed epoch; its first line is a header naming the latest event.
 * Every record is shifted by the same amount so that this latest event lies {@link #LEAD} before the
 * load: each account's look-back window (30 days before its own failure) then holds exactly the
 * evidence the generator put there, and "now" (the server clock of stored diagnoses) comes after all
 * of it, as in real life. Loaded through the same import path as {@code POST /api/v1/evidence}, in
 * the background, so that activation never waits for the database.
 */
@Component(immediate = true, configurationPid = ImporterConfig.PID)
public class DemoFleetLoader {

    static final String RESOURCE = "demo-fleet.ndjson";
    /** How long before the load the fleet's latest event is placed. */
    static final Duration LEAD = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(DemoFleetLoader.class);

    private final Importer importer;
    private final Clock clock;
    private volatile boolean cancelled;
    private Thread worker;

    @Activate
    public DemoFleetLoader(@Reference Importer importer, ImporterConfig config) {
        this(importer, config.demo_enabled(), Clock.systemUTC(), true);
    }

    DemoFleetLoader(Importer importer, boolean enabled, Clock clock, boolean background) {
        this.importer = importer;
        this.clock = clock;
        if (!enabled) {
            LOG.debug("Demo fleet disabled (demo.enabled = false)");
            return;
        }
        if (background) {
            worker = new Thread(this::loadIfEmpty, "synctriage-demo-fleet");
            worker.setDaemon(true);
            worker.start();
        } else {
            loadIfEmpty();
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        cancelled = true;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            t.join(10_000);
        }
    }

    /** Loads the fleet if the store has no account; returns the report, or null when nothing was loaded. */
    ImportReport loadIfEmpty() {
        try (Importer.Permit permit = importer.acquire()) {
            if (!importer.storeIsEmpty()) {
                LOG.debug("Evidence store not empty: demo fleet not loaded");
                return null;
            }
            return load();
        } catch (InterruptedException | CancellationException e) {
            LOG.info("Demo fleet load cancelled (component stopped)");
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // Never fatal for the distribution: the demo is a convenience.
            LOG.warn("Could not load the demo fleet: {}", e.toString(), e);
        }
        return null;
    }

    private ImportReport load() throws IOException {
        long started = System.nanoTime();
        try (InputStream in = DemoFleetLoader.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the bundle");
            }
            Map<String, Object> header = header(in);
            Instant latest = Instant.parse(String.valueOf(header.get("latest")));
            Duration shift = Duration.between(latest, clock.instant().minus(LEAD)).truncatedTo(ChronoUnit.SECONDS);
            LOG.info("Loading the demo fleet ({} accounts, {} domains) into the empty evidence store, shifted by {} "
                            + "so that its latest event is {} ago; set demo.enabled = false in "
                            + "etc/io.synctriage.importer.cfg to turn this off", header.get("accounts"),
                    header.get("domains"), shift, LEAD);
            ImportReport report = importer.newReport(FileFormat.NDJSON);
            importer.ndjson(in, 2, new TimeShift(shift), report, bytes -> {
                if (cancelled) {
                    throw new CancellationException();
                }
            });
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (report.rejectedCount() > 0) {
                LOG.warn("Demo fleet: {} record(s) rejected, e.g. {}", report.rejectedCount(),
                        report.rejected().get(0).describe());
            }
            LOG.info("Demo fleet loaded in {} ms: {} records accepted, {} rejected", millis, report.accepted(),
                    report.rejectedCount());
            return report;
        }
    }

    /** The first line: {@code {"kind":"demo_fleet","epoch":…,"latest":…,"accounts":…}}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> header(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
            if (line.size() > 64 * 1024) {
                throw new IOException(RESOURCE + ": header line too long");
            }
        }
        Map<String, Object> header = new ObjectMapper().readValue(line.toByteArray(), Map.class);
        if (!"demo_fleet".equals(header.get("kind")) || header.get("latest") == null) {
            throw new IOException(RESOURCE + ": the first line is not the demo_fleet header");
        }
        return header;
    }
}
