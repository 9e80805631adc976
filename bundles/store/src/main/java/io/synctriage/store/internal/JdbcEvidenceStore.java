package io.synctriage.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.api.output.MigrateResult;

import io.synctriage.model.AccountQuery;
import io.synctriage.model.ErrorLine;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceFeed;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentPage;
import io.synctriage.model.IncidentQuery;
import io.synctriage.model.IncidentStore;
import io.synctriage.model.StateChange;
import io.synctriage.model.StoreResult;
import io.synctriage.model.StoredAccount;

/**
 * The evidence store over a JDBC {@link DataSource} (H2 or PostgreSQL): migrates the schema on start,
 * writes through the {@link GroupCommitWriter}, reads with {@link EvidenceQueries}, purges on a schedule.
 * It also keeps the fleet incidents ({@link IncidentStore}: {@link IncidentWriter}, {@link IncidentQueries})
 * and serves the evidence as a feed ({@link EvidenceFeed}: {@link FeedQueries}) on the same database.
 * Plain Java, so the tests run it against both databases without OSGi; {@link EvidenceStoreComponent}
 * is the OSGi face.
 */
final class JdbcEvidenceStore implements EvidenceStore, IncidentStore, EvidenceFeed, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JdbcEvidenceStore.class.getName());

    private final DataSource dataSource;
    private final StoreSettings settings;
    private final Clock clock;
    private final Dialect dialect;
    private final BatchWriter batchWriter;
    private final EvidenceQueries queries;
    private final GroupCommitWriter writer;
    private final ScheduledExecutorService purgeScheduler;

    /**
     * Migrates the schema and starts the writer; with {@code schedulePurge} also the retention job.
     *
     * @throws StoreException when the database cannot be reached, migrated or made durable
     */
    JdbcEvidenceStore(DataSource dataSource, StoreSettings settings, Clock clock, boolean schedulePurge) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.clock = clock;
        try (Connection c = dataSource.getConnection()) {
            this.dialect = Dialect.of(c);
            dialect.makeDurable(c);
        } catch (SQLException e) {
            throw new StoreException("the evidence store cannot use its database: " + e.getMessage(), e);
        }
        try {
            MigrateResult m = Migrations.migrate(dataSource, dialect);
            LOG.info("evidence store on " + dialect + ": schema at version " + m.targetSchemaVersion
                    + " (" + m.migrationsExecuted + " migration(s) applied now)");
        } catch (RuntimeException e) {
            throw new StoreException("the evidence store could not migrate its schema: " + e.getMessage(), e);
        }
        this.batchWriter = new BatchWriter(dialect);
        this.queries = new EvidenceQueries(settings);
        this.writer = new GroupCommitWriter(this::commit, settings.batchMaxRecords(), settings.queueMaxRequests(),
                "synctriage-store-writer");
        if (schedulePurge && !settings.retention().isZero()) {
            purgeScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "synctriage-store-purge");
                t.setDaemon(true);
                return t;
            });
            long every = settings.purgeInterval().toMinutes();
            purgeScheduler.scheduleWithFixedDelay(this::scheduledPurge, Math.min(1, every), every, TimeUnit.MINUTES);
        } else {
            purgeScheduler = null;
        }
    }

    Dialect dialect() {
        return dialect;
    }

    /** One group-commit transaction. */
    private List<StoreResult> commit(List<List<EvidenceRecord>> requests) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<StoreResult> results = batchWriter.write(c, requests, clock.instant());
                c.commit();
                return results;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public StoreResult store(List<EvidenceRecord> records) {
        Records.validate(records);
        if (records.isEmpty()) {
            return new StoreResult(0, 0);
        }
        CompletableFuture<StoreResult> done = writer.submit(records);
        try {
            return done.get(settings.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the commit (the records may or may not be stored)", e);
        } catch (TimeoutException e) {
            throw new StoreException("no commit within " + settings.commitTimeout().toSeconds()
                    + " s (the records may or may not be stored)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StoreException se) {
                throw se;
            }
            if (cause instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new StoreException("the evidence store could not write: " + cause.getMessage(), cause);
        }
    }

    @Override
    public Optional<StoredAccount> account(String idOrEmail) {
        try (Connection c = dataSource.getConnection()) {
            return queries.find(c, idOrEmail).map(AccountRow::toStored);
        } catch (SQLException e) {
            throw new StoreException("the evidence store could not read account " + idOrEmail + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredAccount> accounts(AccountQuery query) {
        try (Connection c = dataSource.getConnection()) {
            return queries.list(c, query);
        } catch (SQLException e) {
            throw new StoreException("the evidence store could not list accounts: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Evidence> evidence(String idOrEmail, Instant now) {
        Instant at = now != null ? now : clock.instant();
        try (Connection c = dataSource.getConnection()) {
            // One snapshot of the data for the whole assembly (REPEATABLE READ is a snapshot on PostgreSQL and
            // on H2's MVStore, and costs no locks), so the account, its events and its peers agree even while
            // the writer commits.
            int isolation = c.getTransactionIsolation();
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                dialect.planForParameters(c);
                return queries.evidence(c, idOrEmail, at);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setTransactionIsolation(isolation);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("the evidence store could not read the evidence of " + idOrEmail + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public long purgeBefore(Instant cutoff) {
        try {
            return Purger.purge(dataSource, cutoff);
        } catch (SQLException e) {
            throw new StoreException("the evidence store could not purge: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------ fleet incidents

    /**
     * One transaction of its own on its own connection, not through the group-commit queue: the fleet
     * tracker's single thread is the only caller, and the incidents and cursors it saves must commit
     * together or not at all.
     */
    @Override
    public void save(List<Incident> changed, Map<String, Long> cursors) {
        IncidentWriter.validate(changed, cursors);
        if (changed.isEmpty() && cursors.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                IncidentWriter.save(c, changed, cursors);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("the evidence store could not save " + changed.size() + " incident(s): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Long> cursors() {
        return read("the fleet cursors", IncidentWriter::cursors);
    }

    @Override
    public List<Incident> active(Instant since) {
        return read("the active incidents", c -> IncidentQueries.active(c, since));
    }

    @Override
    public long lastIncidentNumber() {
        return read("the last incident number", IncidentWriter::lastNumber);
    }

    @Override
    public IncidentPage incidents(IncidentQuery query) {
        if (query == null) {
            throw new IllegalArgumentException("query must not be null");
        }
        return read("the incidents", c -> IncidentQueries.page(c, query));
    }

    @Override
    public Optional<Incident> incident(String id) {
        return read("incident " + id, c -> IncidentQueries.byId(c, id));
    }

    @Override
    public List<Incident> incidentsOf(String accountId) {
        return read("the incidents of " + accountId, c -> IncidentQueries.ofAccount(c, accountId, Integer.MAX_VALUE));
    }

    // ------------------------------------------------------------------------------------------- feed

    @Override
    public List<StateChange> stateChangesAfter(long seq, int limit) {
        return read("the state changes after " + seq, c -> FeedQueries.stateChangesAfter(c, seq, limit));
    }

    @Override
    public List<ErrorLine> errorLinesAfter(long seq, int limit) {
        return read("the error lines after " + seq, c -> FeedQueries.errorLinesAfter(c, seq, limit));
    }

    @Override
    public long stateChangePositionBefore(Instant at) {
        if (at == null) {
            throw new IllegalArgumentException("at must not be null");
        }
        return read("the feed position before " + at, c -> FeedQueries.stateChangePositionBefore(c, at));
    }

    private interface Read<T> {
        T apply(Connection c) throws SQLException;
    }

    /** One read on a connection of its own (auto-commit: a single statement, or reads that need no snapshot). */
    private <T> T read(String what, Read<T> read) {
        try (Connection c = dataSource.getConnection()) {
            return read.apply(c);
        } catch (SQLException e) {
            throw new StoreException("the evidence store could not read " + what + ": " + e.getMessage(), e);
        }
    }

    private void scheduledPurge() {
        Instant cutoff = clock.instant().minus(settings.retention());
        try {
            long n = purgeBefore(cutoff);
            if (n > 0) {
                LOG.info("retention: deleted " + n + " evidence rows older than " + cutoff);
            }
        } catch (RuntimeException e) {
            // never let the scheduled task die: the next run tries again
            LOG.log(Level.WARNING, "retention purge failed; retrying in " + settings.purgeInterval().toMinutes() + " min", e);
        }
    }

    /** Writes what is queued, then stops the writer and the purge job. */
    @Override
    public void close() {
        if (purgeScheduler != null) {
            purgeScheduler.shutdownNow();
        }
        writer.close();
    }
}
