package io.synctriage.store.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore.StoreException;
import io.synctriage.model.StoreResult;

/**
 * Group commit: one writer thread takes every caller's records that are waiting, writes them in ONE
 * transaction, commits, and only then completes each caller's future with its own counts. A commit
 * (the disk write on H2 with WRITE_DELAY 0, the WAL flush on PostgreSQL) costs about the same for one
 * record as for a thousand, so under concurrency throughput grows with the batch instead of being capped
 * by commits per second; a lone caller pays one commit, as without batching.
 *
 * <p>If a shared transaction fails, each caller's records are retried in a transaction of their own, so
 * one caller's bad data never fails another caller. Transient failures (a concurrent node inserting the
 * same key, a deadlock, a lock timeout) are retried a few times before the caller sees the error.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class.getName());
    private static final int ATTEMPTS = 3;

    /** Writes and commits a group; returns one result per request, in order. */
    interface Transaction {
        List<StoreResult> commit(List<List<EvidenceRecord>> requests) throws SQLException;
    }

    private record Pending(List<EvidenceRecord> records, CompletableFuture<StoreResult> result) {
    }

    private final Transaction transaction;
    private final int maxRecords;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private volatile boolean closing;

    GroupCommitWriter(Transaction transaction, int maxRecords, int maxQueued, String name) {
        this.transaction = transaction;
        this.maxRecords = maxRecords;
        this.queue = new LinkedBlockingQueue<>(maxQueued);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues the records; the future completes after their COMMIT (or fails, with nothing of them stored). */
    CompletableFuture<StoreResult> submit(List<EvidenceRecord> records) {
        if (closing) {
            throw new StoreException("the evidence store is stopping", null);
        }
        Pending p = new Pending(List.copyOf(records), new CompletableFuture<>());
        if (!queue.offer(p)) {
            throw new StoreException("the evidence store is overloaded: " + queue.size() + " writes are waiting", null);
        }
        return p.result();
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            Pending first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (first == null) {
                if (closing) {
                    break;
                }
                continue;
            }
            group.clear();
            group.add(first);
            int records = first.records().size();
            // Only this thread takes from the queue, so what peek() shows is what poll() returns.
            Pending next;
            while ((next = queue.peek()) != null && records + next.records().size() <= maxRecords) {
                group.add(queue.poll());
                records += next.records().size();
            }
            write(group);
        }
        failRemaining();
    }

    private void write(List<Pending> group) {
        try {
            List<StoreResult> results = commitWithRetry(group);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result().complete(results.get(i));
            }
        } catch (SQLException | RuntimeException e) {
            if (group.size() > 1) {
                // Isolate the failure: every caller again on its own.
                for (Pending p : group) {
                    write(List.of(p));
                }
            } else {
                LOG.log(Level.WARNING, "evidence store write failed (" + group.get(0).records().size() + " records)", e);
                group.get(0).result().completeExceptionally(e instanceof StoreException se ? se
                        : new StoreException("the evidence store could not write: " + e.getMessage(), e));
            }
        }
    }

    private List<StoreResult> commitWithRetry(List<Pending> group) throws SQLException {
        List<List<EvidenceRecord>> requests = new ArrayList<>(group.size());
        for (Pending p : group) {
            requests.add(p.records());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.commit(requests);
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !Sql.isTransient(e)) {
                    throw e;
                }
                LOG.log(Level.FINE, "transient store failure, retrying", e);
                try {
                    Thread.sleep(10L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void failRemaining() {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(new StoreException("the evidence store stopped before writing", null));
        }
    }

    /** Stops taking new records, writes what is queued (up to {@code wait}), then stops the thread. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    void close(Duration wait) {
        closing = true;
        try {
            thread.join(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        failRemaining();
    }
}
