package io.synctriage.source.importer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.synctriage.model.AccountQuery;
import io.synctriage.model.EvidenceReader;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;

/**
 * The one import path of this bundle, shared by {@code POST /api/v1/evidence}, {@code triage:import}
 * and the demo fleet: the engine's reader, the evidence store and the limits of PID {@value ImporterConfig#PID}.
 * Registered as a service of this bundle's private class only: the servlet, the shell command and the
 * demo loader find it; nobody else can.
 *
 * <p>Without a store or an engine this component is not active, and its users answer "unavailable".
 */
@Component(service = Importer.class, configurationPid = ImporterConfig.PID)
@Designate(ocd = ImporterConfig.class)
public class Importer {

    /** The limits in force, replaced as a whole on configuration change. */
    record Settings(long maxBodyBytes, int maxLineBytes, int batchSize, int maxConcurrent, int maxRejectedListed,
                    boolean demoEnabled) {

        static Settings of(ImporterConfig config) {
            return new Settings(Math.max(1, config.max_body_bytes()), Math.max(64, config.max_line_bytes()),
                    Math.min(100_000, Math.max(1, config.batch_size())), Math.max(1, config.max_concurrent_imports()),
                    Math.max(1, config.max_rejected_listed()), config.demo_enabled());
        }
    }

    private final EvidenceReader reader;
    private final EvidenceStore store;
    private volatile Settings settings;
    private volatile Semaphore permits;

    @Activate
    public Importer(@Reference EvidenceReader reader, @Reference EvidenceStore store, ImporterConfig config) {
        this.reader = reader;
        this.store = store;
        apply(Settings.of(config));
    }

    /** For tests and for callers outside DS. */
    Importer(EvidenceReader reader, EvidenceStore store, Settings settings) {
        this.reader = reader;
        this.store = store;
        apply(settings);
    }

    @Modified
    void modified(ImporterConfig config) {
        apply(Settings.of(config));
    }

    private void apply(Settings s) {
        Settings old = settings;
        settings = s;
        if (old == null || old.maxConcurrent() != s.maxConcurrent()) {
            // Imports holding a permit of the old semaphore release it there; harmless.
            permits = new Semaphore(s.maxConcurrent());
        }
    }

    Settings settings() {
        return settings;
    }

    /** A permit for one import, or null when {@code max.concurrent.imports} are running. Release with {@link Permit#close()}. */
    Permit tryAcquire() {
        Semaphore s = permits;
        return s.tryAcquire() ? s::release : null;
    }

    /** Waits for a permit (the demo loader, which is in no hurry). */
    Permit acquire() throws InterruptedException {
        Semaphore s = permits;
        s.acquire();
        return s::release;
    }

    /** A held import permit. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** A new, empty report for one import. */
    ImportReport newReport(String format) {
        return new ImportReport(format, settings.maxRejectedListed());
    }

    /** Imports NDJSON from the stream (not closed here). */
    void ndjson(InputStream in, ImportReport report, LongConsumer progress) throws IOException {
        ndjson(in, 1, UnaryOperator.identity(), report, progress);
    }

    /** Imports NDJSON whose first line is {@code firstLine}, every record passed through {@code transform}. */
    void ndjson(InputStream in, long firstLine, UnaryOperator<EvidenceRecord> transform, ImportReport report,
                LongConsumer progress) throws IOException {
        Settings s = settings;
        new EvidenceImporter(reader, store, s.batchSize(), transform).ndjson(in, s.maxLineBytes(), firstLine, report,
                progress);
    }

    /** Imports one JSON document (read twice from {@code source}). */
    void json(EvidenceImporter.Source source, ImportReport report, LongConsumer progress)
            throws IOException, EvidenceImporter.UnusableBodyException {
        new EvidenceImporter(reader, store, settings.batchSize(), UnaryOperator.identity()).json(source, report, progress);
    }

    /** Whether the store holds no account at all (the demo fleet's condition). */
    boolean storeIsEmpty() {
        return store.accounts(new AccountQuery(null, null, null, 1, 0)).isEmpty();
    }
}
