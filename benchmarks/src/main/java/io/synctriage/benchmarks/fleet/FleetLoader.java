package io.synctriage.benchmarks.fleet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Streams a generated fleet to {@code POST /api/v1/evidence} in NDJSON chunks of a few thousand lines and
 * measures the rate. A 429 or 503 is retried after its {@code Retry-After}; a rejected line, any other
 * status or a broken connection fails the load (a retried POST after a broken connection could store its
 * log lines twice).
 *
 * <p>The file has sections: the account records, the events in time order, the final states. A section is
 * acknowledged whole before the next one is sent, so that no notification reaches the store before the
 * account it names. The account and state sections go a few requests at a time; the events one request at
 * a time by default ({@code eventConcurrency}): the fleet tracker reads the state changes in the order they
 * were committed, and concurrent requests commit later events before earlier ones — a chunk of 2,000 lines
 * spans about 26 minutes of the full fleet's history, 9 days of the smoke fleet's — so a failure could be
 * stored before the re-authentication it follows.
 */
final class FleetLoader {

    /** What a load did. */
    record LoadResult(long records, long requests, long retries, long stored, long duplicates, long nanos) {
        double perSecond() {
            return records / (nanos / 1e9);
        }
    }

    /** How the incidents settled after the load. */
    record SettleResult(int incidents, long nanos, boolean settled, int polls) {
    }

    private static final byte[] ACCOUNT_PREFIX = "{\"kind\":\"account\"".getBytes(StandardCharsets.UTF_8);
    private static final Duration MAX_RETRY_TIME = Duration.ofMinutes(10);

    private final FleetApi api;
    private final int chunkLines;
    private final int concurrency;
    private final int eventConcurrency;
    private final PrintStream log;

    /**
     * @param concurrency      requests in flight for the account records
     * @param eventConcurrency requests in flight for the events (1 keeps the commit order the file order)
     */
    FleetLoader(FleetApi api, int chunkLines, int concurrency, int eventConcurrency, PrintStream log) {
        if (chunkLines < 1 || concurrency < 1 || eventConcurrency < 1) {
            throw new IllegalArgumentException("chunk lines and concurrency must be at least 1");
        }
        this.api = api;
        this.chunkLines = chunkLines;
        this.concurrency = concurrency;
        this.eventConcurrency = eventConcurrency;
        this.log = log;
    }

    LoadResult load(Path ndjson, long expectedRecords) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(concurrency, eventConcurrency), r -> {
            Thread t = new Thread(r, "fleet-loader");
            t.setDaemon(true);
            return t;
        });
        Chunker chunker = new Chunker(pool, expectedRecords);
        try (InputStream in = Files.newInputStream(ndjson)) {
            byte[] buf = new byte[1 << 20];
            ByteArrayOutputStream partial = new ByteArrayOutputStream(4096);
            int n;
            while ((n = in.read(buf)) > 0 && chunker.failure.get() == null) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] != '\n') {
                        continue;
                    }
                    if (partial.size() > 0) {
                        partial.write(buf, from, i - from);
                        chunker.line(partial.toByteArray(), 0, partial.size());
                        partial.reset();
                    } else {
                        chunker.line(buf, from, i - from);
                    }
                    from = i + 1;
                }
                partial.write(buf, from, n - from);
            }
            if (partial.size() > 0) {
                chunker.line(partial.toByteArray(), 0, partial.size());
            }
            chunker.finish();
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
        long nanos = System.nanoTime() - chunker.t0;
        Exception e = chunker.failure.get();
        if (e != null) {
            throw new IOException("the load failed after " + chunker.sent.get() + " records: " + e.getMessage(), e);
        }
        return new LoadResult(chunker.sent.get(), chunker.requests.get(), chunker.retries.get(), chunker.stored.get(),
                chunker.duplicates.get(), nanos);
    }

    /** Gathers lines into chunks and sends them, at most the current section's limit at a time. */
    private final class Chunker {
        final ExecutorService pool;
        final long expected;
        /** The current section's request slots, and how many it has. */
        Semaphore inFlight = new Semaphore(concurrency);
        int limit = concurrency;
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong stored = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final long t0 = System.nanoTime();
        long lastReport = t0;
        ByteArrayOutputStream chunk = new ByteArrayOutputStream(chunkLines * 300);
        long lineNo;
        long chunkFirst = 1;
        int linesInChunk;
        Boolean accountSection;

        Chunker(ExecutorService pool, long expected) {
            this.pool = pool;
            this.expected = expected;
        }

        void line(byte[] b, int off, int len) throws InterruptedException {
            lineNo++;
            if (len == 0) {
                return;
            }
            boolean isAccount = startsWith(b, off, len, ACCOUNT_PREFIX);
            if (accountSection == null || isAccount != accountSection) {
                // a section boundary: everything before it is stored before anything after it is sent
                flush();
                chunkFirst = lineNo;
                inFlight.acquire(limit);
                limit = isAccount ? concurrency : eventConcurrency;
                inFlight = new Semaphore(limit);
            }
            accountSection = isAccount;
            chunk.write(b, off, len);
            chunk.write('\n');
            linesInChunk++;
            if (linesInChunk >= chunkLines) {
                flush();
                chunkFirst = lineNo + 1;
            }
            long now = System.nanoTime();
            if (now - lastReport > 10_000_000_000L) {
                lastReport = now;
                long done = sent.get();
                log.printf("  ingest: %,d / %,d records (%.1f %%), %,.0f records/s%n", done, expected,
                        100.0 * done / Math.max(1, expected), done / ((now - t0) / 1e9));
            }
        }

        void finish() throws InterruptedException {
            if (failure.get() == null) {
                flush();
            }
            inFlight.acquire(limit);
            inFlight.release(limit);
        }

        private void flush() throws InterruptedException {
            if (linesInChunk > 0) {
                send(pool, inFlight, chunk, chunkFirst, linesInChunk, failure, sent, requests, retries, stored,
                        duplicates);
            }
            chunk = new ByteArrayOutputStream(chunkLines * 300);
            linesInChunk = 0;
        }
    }

    private void send(ExecutorService pool, Semaphore inFlight, ByteArrayOutputStream chunk, long firstLine,
                      int lines, AtomicReference<Exception> failure, AtomicLong sent, AtomicLong requests,
                      AtomicLong retries, AtomicLong stored, AtomicLong duplicates) throws InterruptedException {
        if (lines == 0) {
            return;
        }
        byte[] body = chunk.toByteArray();
        inFlight.acquire();
        pool.execute(() -> {
            try {
                JsonNode answer = post(body, requests, retries);
                int rejected = answer.path("rejected_count").asInt(answer.path("rejected").size());
                if (rejected > 0) {
                    StringBuilder why = new StringBuilder();
                    for (JsonNode r : answer.path("rejected")) {
                        if (why.length() > 600) {
                            break;
                        }
                        why.append("\n    line ").append(firstLine + r.path("line").asLong() - 1).append(": ")
                                .append(r.path("error").asText());
                    }
                    throw new IOException(rejected + " line(s) of the chunk from line " + firstLine + " rejected:" + why);
                }
                long accepted = answer.path("accepted").asLong(-1);
                if (accepted != lines) {
                    throw new IOException("the chunk from line " + firstLine + " had " + lines + " lines, "
                            + accepted + " accepted");
                }
                stored.addAndGet(answer.path("stored").asLong());
                duplicates.addAndGet(answer.path("duplicates").asLong());
                sent.addAndGet(lines);
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            } finally {
                inFlight.release();
            }
        });
    }

    private JsonNode post(byte[] body, AtomicLong requests, AtomicLong retries) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + MAX_RETRY_TIME.toNanos();
        while (true) {
            requests.incrementAndGet();
            HttpResponse<byte[]> r = api.postEvidence(body);
            int status = r.statusCode();
            if (status == 202 || status == 200) {
                return FleetApi.JSON.readTree(r.body());
            }
            if ((status == 429 || status == 503) && System.nanoTime() < deadline) {
                retries.incrementAndGet();
                long wait = r.headers().firstValue("Retry-After").map(FleetLoader::seconds).orElse(1L);
                Thread.sleep(Math.min(30, Math.max(1, wait)) * 1000);
                continue;
            }
            throw new FleetApi.ApiException(status, "POST /api/v1/evidence answered " + status + ": "
                    + FleetApi.excerpt(r.body()));
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException e) {
            return 1; // an HTTP date: rare, and a second is a fine guess
        }
    }

    private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        return java.util.Arrays.equals(b, off, off + prefix.length, prefix, 0, prefix.length);
    }

    // ---------------------------------------------------------------------------------- settling

    /**
     * Polls the incidents (every page, {@code since} the window start) until they have not changed for
     * {@code quiet}: the fleet tracker reads the store asynchronously and may still be catching up when the
     * last POST is acknowledged. Gives up after {@code max}.
     */
    SettleResult awaitSettled(Instant since, Duration quiet, Duration poll, Duration max)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        String fingerprint = null;
        long unchangedSince = t0;
        int polls = 0;
        int count = 0;
        while (true) {
            List<JsonNode> all = api.allIncidents(Map.of("since", FleetApi.since(since)), 1000, null);
            polls++;
            count = all.size();
            String fp = fingerprint(all);
            long now = System.nanoTime();
            if (!fp.equals(fingerprint)) {
                fingerprint = fp;
                unchangedSince = now;
                log.printf("  incidents: %,d after %.0f s%n", count, (now - t0) / 1e9);
            } else if (now - unchangedSince >= quiet.toNanos() && (count > 0 || now - t0 >= 2 * quiet.toNanos())) {
                return new SettleResult(count, unchangedSince - t0, true, polls);
            }
            if (now - t0 > max.toNanos()) {
                return new SettleResult(count, now - t0, false, polls);
            }
            Thread.sleep(poll.toMillis());
        }
    }

    /** What must stop changing: ids, causes, members and last failures (not the status, which ages). */
    private static String fingerprint(List<JsonNode> incidents) {
        List<String> parts = new ArrayList<>();
        for (JsonNode i : incidents) {
            parts.add(i.path("id").asText() + "|" + i.path("cause").asText() + "|" + i.path("accounts").size() + "|"
                    + i.path("last_at").asText());
        }
        parts.sort(null);
        return String.join(";", parts);
    }
}
