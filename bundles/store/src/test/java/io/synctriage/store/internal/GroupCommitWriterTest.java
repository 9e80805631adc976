package io.synctriage.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;

import io.synctriage.model.AccountEvent;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceRecord.Notification;
import io.synctriage.model.EvidenceStore.StoreException;
import io.synctriage.model.StoreResult;

/** Group commit without a database: grouping, failure isolation, transient retries, overload, shutdown. */
public class GroupCommitWriterTest {

    private static EvidenceRecord record(String key) {
        return new Notification(new AccountEvent("account.invalid", Instant.EPOCH, "a", null, null, null, null, null,
                null, null), key);
    }

    private static String key(List<EvidenceRecord> request) {
        return ((Notification) request.get(0)).deliveryKey();
    }

    @Test
    public void waitingCallersShareOneTransactionAndABadOneIsIsolated() throws Exception {
        List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommitWriter writer = new GroupCommitWriter(requests -> {
            groupSizes.add(requests.size());
            if (key(requests.get(0)).equals("first")) {
                firstStarted.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<StoreResult> out = new ArrayList<>();
            for (List<EvidenceRecord> r : requests) {
                if (key(r).equals("poison")) {
                    throw new SQLException("value too long", "22001");
                }
                out.add(new StoreResult(r.size(), 0));
            }
            return out;
        }, 1000, 100, "test-writer");
        try {
            CompletableFuture<StoreResult> first = writer.submit(List.of(record("first")));
            assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
            // while the first transaction runs, 10 callers queue up, one of them with bad data
            List<CompletableFuture<StoreResult>> waiting = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                waiting.add(writer.submit(List.of(record(i == 4 ? "poison" : "k" + i))));
            }
            release.countDown();
            assertEquals(new StoreResult(1, 0), first.get(5, TimeUnit.SECONDS));
            for (int i = 0; i < 10; i++) {
                if (i == 4) {
                    ExecutionException e = assertThrows(ExecutionException.class, waiting.get(i)::get);
                    assertTrue(e.getCause() instanceof StoreException);
                } else {
                    assertEquals(new StoreResult(1, 0), waiting.get(i).get(5, TimeUnit.SECONDS));
                }
            }
            // first alone, then the 10 together (failed), then each of the 10 alone
            assertEquals(1, (int) groupSizes.get(0));
            assertEquals(10, (int) groupSizes.get(1));
            assertEquals(12, groupSizes.size());
        } finally {
            writer.close();
        }
    }

    @Test
    public void transientFailuresAreRetried() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        GroupCommitWriter writer = new GroupCommitWriter(requests -> {
            if (attempts.incrementAndGet() < 3) {
                throw new SQLIntegrityConstraintViolationException("duplicate key from another node", "23505");
            }
            return List.of(new StoreResult(0, 1));
        }, 1000, 100, "test-writer");
        try {
            assertEquals(new StoreResult(0, 1), writer.submit(List.of(record("k"))).get(5, TimeUnit.SECONDS));
            assertEquals(3, attempts.get());
        } finally {
            writer.close();
        }
    }

    @Test
    public void aFullQueueTurnsCallersAwayAndCloseDrainsWhatWasAccepted() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger committed = new AtomicInteger();
        GroupCommitWriter writer = new GroupCommitWriter(requests -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            committed.addAndGet(requests.size());
            List<StoreResult> out = new ArrayList<>();
            requests.forEach(r -> out.add(new StoreResult(1, 0)));
            return out;
        }, 1, 2, "test-writer");
        CompletableFuture<StoreResult> a = writer.submit(List.of(record("a")));
        // wait until the writer took "a", then fill the queue (capacity 2)
        long deadline = System.currentTimeMillis() + 5000;
        List<CompletableFuture<StoreResult>> queued = new ArrayList<>();
        while (queued.size() < 2 && System.currentTimeMillis() < deadline) {
            try {
                queued.add(writer.submit(List.of(record("q" + queued.size()))));
            } catch (StoreException full) {
                Thread.sleep(5);
            }
        }
        assertEquals(2, queued.size());
        StoreException e = assertThrows(StoreException.class, () -> writer.submit(List.of(record("over"))));
        assertTrue(e.getMessage(), e.getMessage().contains("overloaded"));
        release.countDown();
        writer.close();
        assertEquals(new StoreResult(1, 0), a.get(1, TimeUnit.SECONDS));
        for (CompletableFuture<StoreResult> f : queued) {
            assertEquals(new StoreResult(1, 0), f.get(1, TimeUnit.SECONDS));
        }
        assertEquals(3, committed.get());
        assertThrows(StoreException.class, () -> writer.submit(List.of(record("late"))));
    }
}
