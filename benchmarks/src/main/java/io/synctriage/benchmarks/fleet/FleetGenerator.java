package io.synctriage.benchmarks.fleet;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;

import io.synctriage.model.ProviderFamily;

/**
 * Writes a realistic synthetic fleet as the NDJSON that {@code POST /api/v1/evidence} imports (spec/api.md):
 * <ol>
 * <li>one {@code account} record per account (v2 account or v3 grant: id, email, provider, linked_at or
 *     created_at, last_activity_at; no state, because the store would date a state from a snapshot at the
 *     moment of the import, not at the moment it happened);</li>
 * <li>{@code events} webhook, sync_log and auth_log records in time order: background noise (sync and
 *     token-refresh lines), sign-ups, single background failures, and the planted incidents of
 *     {@link FleetPlanner};</li>
 * <li>one {@code account} record with the state ({@code running} / {@code valid}) for every account no
 *     notification gave a state to.</li>
 * </ol>
 * Deterministic: equal {@link FleetSpec}s give byte-identical output. Memory stays a few bytes per account
 * whatever the number of events: the background noise of every account is a stream of sorted uniform times
 * drawn one at a time, merged with a heap over the accounts.
 */
public final class FleetGenerator {

    public static final String NDJSON_FILE = "fleet.ndjson";

    private static final long SALT_WEIGHT = 21, SALT_RNG = 22, SALT_ACTIVITY = 23, SALT_NOTIFICATION = 24,
            SALT_INBOX = 25;
    private static final int ACCOUNT_BITS = 23;
    /** Background noise keeps this far from an account's planned records. */
    private static final long QUIET = 2 * FleetPlanner.HOUR;

    private final FleetSpec spec;
    private final FleetLayout layout;
    private final FleetPlanner.Plan plan;
    private final long start;
    private final long now;

    public FleetGenerator(FleetSpec spec) {
        if (spec.accounts() >= (1 << ACCOUNT_BITS)) {
            throw new IllegalArgumentException("at most " + ((1 << ACCOUNT_BITS) - 1) + " accounts");
        }
        this.spec = spec;
        this.layout = new FleetLayout(spec);
        this.plan = new FleetPlanner(layout).plan();
        this.start = spec.start().getEpochSecond();
        this.now = spec.now().getEpochSecond();
        if (plan.events().size() > spec.events()) {
            throw new IllegalArgumentException("events (" + spec.events() + ") must be at least the "
                    + plan.events().size() + " planned failure, re-authentication and sign-up records");
        }
    }

    /** The planted incidents (what the fleet tracker must find). */
    public List<PlantedIncident> incidents() {
        return plan.incidents();
    }

    /** Generates {@code dir/fleet.ndjson} and {@code dir/manifest.json}; returns the manifest. */
    public static FleetManifest generate(FleetSpec spec, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(NDJSON_FILE + ".tmp");
        FleetManifest manifest;
        try (OutputStream out = Files.newOutputStream(tmp)) {
            manifest = new FleetGenerator(spec).write(out);
        }
        Files.move(tmp, dir.resolve(NDJSON_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        manifest.write(dir.resolve(FleetManifest.FILE));
        return manifest;
    }

    /** Writes the NDJSON to {@code out} (not closed) and returns the manifest describing it. */
    public FleetManifest write(OutputStream out) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Counts counts = new Counts();
        long[] bytes = {0};
        DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(nonClosing(out, bytes), 1 << 20), sha);
        try (JsonGenerator g = new JsonFactory().createGenerator(digest, JsonEncoding.UTF8)) {
            g.setRootValueSeparator(new SerializedString("\n"));
            for (int a = 0; a < layout.accounts(); a++) {
                writeAccount(g, a);
                counts.add("account");
            }
            writeEvents(g, counts);
            for (int a = 0; a < layout.accounts(); a++) {
                if (!plan.touched().get(a)) {
                    writeFinalState(g, a);
                    counts.add("account");
                    counts.note("final_state");
                }
            }
            g.writeRaw('\n');
        }
        Map<String, Long> figures = new LinkedHashMap<>(counts.byName);
        figures.put("records", counts.total);
        figures.put("bytes", bytes[0]);
        figures.put("events", counts.events);
        figures.put("background_failures", (long) plan.backgroundFailing().length);
        figures.put("planted_incidents", (long) plan.incidents().size());
        figures.put("planted_accounts", plan.incidents().stream().mapToLong(p -> p.members().size()).sum());
        figures.put("failures", plan.events().stream().filter(FleetEvent::isFailure).count());
        figures.put("domains", (long) spec.domains());
        figures.put("accounts", (long) spec.accounts());
        for (ProviderFamily f : ProviderFamily.values()) {
            long n = 0;
            for (int a = 0; a < layout.accounts(); a++) {
                if (layout.provider(a).family() == f) {
                    n++;
                }
            }
            figures.put("accounts_" + f.id(), n);
        }
        return new FleetManifest(spec, figures, HexFormat.of().formatHex(sha.digest()), plan.incidents(),
                sampleAccounts());
    }

    // ------------------------------------------------------------------------------------- accounts

    private void writeAccount(JsonGenerator g, int a) throws IOException {
        Provider p = layout.provider(a);
        String id = layout.id(a);
        AccountPlan ap = plan.accounts().get(a);
        long linked = ap != null && ap.linkedAt != null ? ap.linkedAt : layout.linkedAt(a);
        long activity = ap != null && ap.lastActivityAt != null ? ap.lastActivityAt
                : now - 600 - Hashing.below(Hashing.hash(spec.seed(), a, SALT_ACTIVITY), 20 * 3600);
        g.writeStartObject();
        g.writeStringField("kind", "account");
        g.writeStringField("id", id);
        if (p.v3()) {
            // a grant as GET /v3/grants lists it, without its status (see the class comment)
            g.writeNullField("grant_status");
            g.writeStringField("provider", p.attribute());
            g.writeStringField("email", layout.email(a));
            g.writeNumberField("created_at", linked);
        } else {
            g.writeStringField("account_id", id);
            g.writeStringField("email", layout.email(a));
            g.writeStringField("provider", p.attribute());
            g.writeStringField("billing_state", "paid");
            g.writeStringField("linked_at", FleetPlanner.iso(linked));
            if (p == Provider.EAS) {
                g.writeStringField("authentication_type", "password");
                g.writeNumberField("inbox_count", 40 + Hashing.below(Hashing.hash(spec.seed(), a, SALT_INBOX), 4000));
            }
        }
        g.writeStringField("last_activity_at", FleetPlanner.iso(activity));
        g.writeEndObject();
    }

    private void writeFinalState(JsonGenerator g, int a) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", "account");
        g.writeStringField("id", layout.id(a));
        if (layout.provider(a).v3()) {
            g.writeStringField("grant_status", "valid");
        } else {
            g.writeStringField("sync_state", "running");
        }
        g.writeEndObject();
    }

    // --------------------------------------------------------------------------------------- events

    /** The background noise of the accounts merged with the planned records, in time order. */
    private void writeEvents(JsonGenerator g, Counts counts) throws IOException {
        int n = layout.accounts();
        long background = spec.events() - plan.events().size();
        // each account's share of the noise: a weight of 1..8, none for an account with no room for noise
        long[][] allowed = new long[n][];
        long[] weightSum = new long[n + 1];
        for (int a = 0; a < n; a++) {
            allowed[a] = allowedIntervals(a);
            long length = 0;
            for (int i = 0; i < allowed[a].length; i += 2) {
                length += allowed[a][i + 1] - allowed[a][i];
            }
            int w = length < 60 ? 0 : 1 + Hashing.below(Hashing.hash(spec.seed(), a, SALT_WEIGHT), 8);
            weightSum[a + 1] = weightSum[a] + w;
        }
        long totalWeight = weightSum[n];
        Noise noise = new Noise(n);
        for (int a = 0; a < n; a++) {
            long k = totalWeight == 0 ? 0 : floorShare(background, weightSum[a + 1], totalWeight)
                    - floorShare(background, weightSum[a], totalWeight);
            if (k > 0) {
                noise.start(a, (int) k, allowed[a], Hashing.hash(spec.seed(), a, SALT_RNG));
            }
        }
        List<FleetEvent> planned = plan.events();
        int next = 0;
        long notifications = 0;
        while (next < planned.size() || !noise.isEmpty()) {
            long noiseAt = noise.isEmpty() ? Long.MAX_VALUE : noise.peekTime();
            if (next < planned.size() && planned.get(next).at <= noiseAt) {
                FleetEvent e = planned.get(next++);
                writePlanned(g, e, notifications++);
                counts.event(e.what == FleetEvent.What.WEBHOOK ? "webhook"
                        : e.what == FleetEvent.What.AUTH_LOG ? "auth_log" : "sync_log");
            } else {
                int a = noise.peekAccount();
                long at = noise.peekTime();
                long r = noise.advance();
                writeNoise(g, a, at, r, counts);
            }
        }
    }

    private static long floorShare(long total, long part, long whole) {
        return Math.multiplyHigh(total, part) == 0 ? total * part / whole
                : java.math.BigInteger.valueOf(total).multiply(java.math.BigInteger.valueOf(part))
                        .divide(java.math.BigInteger.valueOf(whole)).longValueExact();
    }

    /** Where an account's background noise may go: [from, to) pairs in seconds. */
    private long[] allowedIntervals(int a) {
        AccountPlan p = plan.accounts().get(a);
        long linked = p != null && p.linkedAt != null ? p.linkedAt : layout.linkedAt(a);
        long active = Math.max(start, linked + 60);
        if (p == null || p.busyTo == Long.MIN_VALUE) {
            return active < now ? new long[] {active, now} : new long[0];
        }
        if (p.silent) {
            return new long[0];
        }
        List<Long> out = new ArrayList<>(4);
        if (p.busyFrom - QUIET > active) {
            out.add(active);
            out.add(p.busyFrom - QUIET);
        }
        if (!p.endsFailed && p.busyTo + QUIET < now) {
            out.add(Math.max(active, p.busyTo + QUIET));
            out.add(now);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private void writeNoise(JsonGenerator g, int a, long at, long r, Counts counts) throws IOException {
        Provider p = layout.provider(a);
        boolean auth = Hashing.unit(r) >= 0.62;
        long r2 = Hashing.mix(r);
        int x = 1 + Hashing.below(r2, 40);
        int y = 1 + Hashing.below(Hashing.mix(r2), 12);
        String message;
        if (auth) {
            message = switch (p.family()) {
                case MICROSOFT, GOOGLE -> "access token refreshed (expires_in=3599)";
                case IMAP -> "LOGIN completed, " + y + " folder(s) selected";
                case EAS -> "session established (basic auth), policy key " + (1_000_000 + Hashing.below(r2, 9_000_000));
            };
        } else {
            message = switch (p.family()) {
                case MICROSOFT -> "delta sync: " + x + " new message(s), " + y + " change(s)";
                case GOOGLE -> "history sync: " + x + " new message(s) since historyId "
                        + (10_000_000 + Hashing.below(r2, 80_000_000));
                case IMAP -> "IDLE INBOX -> * " + (x + 100) + " EXISTS; " + x + " new message(s) fetched";
                case EAS -> "Ping: changes in " + y + " folder(s); Sync INBOX: " + x + " add(s)";
            };
        }
        g.writeStartObject();
        g.writeStringField("kind", auth ? "auth_log" : "sync_log");
        g.writeStringField("timestamp", FleetPlanner.iso(at));
        g.writeStringField("account_id", layout.id(a));
        g.writeStringField("email", layout.email(a));
        g.writeStringField("level", "info");
        g.writeStringField("message", message);
        g.writeEndObject();
        counts.event(auth ? "auth_log" : "sync_log");
    }

    private void writePlanned(JsonGenerator g, FleetEvent e, long notification) throws IOException {
        int a = e.account;
        Provider p = layout.provider(a);
        String id = layout.id(a);
        g.writeStartObject();
        switch (e.what) {
            case AUTH_LOG, SYNC_LOG -> {
                g.writeStringField("kind", e.what == FleetEvent.What.AUTH_LOG ? "auth_log" : "sync_log");
                g.writeStringField("timestamp", FleetPlanner.iso(e.at));
                g.writeStringField("account_id", id);
                g.writeStringField("email", layout.email(a));
                if (e.level != null) {
                    g.writeStringField("level", e.level);
                }
                if (e.error != null) {
                    g.writeStringField("error", e.error);
                }
                if (e.message != null) {
                    g.writeStringField("message", e.message);
                }
            }
            case WEBHOOK -> {
                g.writeStringField("kind", "webhook");
                if (p.v3()) {
                    writeV3(g, e, a, id, p, notification);
                } else if (Hashing.below(Hashing.hash(spec.seed(), notification, SALT_NOTIFICATION), 3) == 0) {
                    // a whole v2 delivery, as the webhook endpoint receives it
                    g.writeArrayFieldStart("deltas");
                    g.writeStartObject();
                    writeV2Delta(g, e, id);
                    g.writeEndObject();
                    g.writeEndArray();
                } else {
                    writeV2Delta(g, e, id);
                }
            }
            default -> throw new IllegalStateException(e.what.name());
        }
        g.writeEndObject();
    }

    private static void writeV2Delta(JsonGenerator g, FleetEvent e, String id) throws IOException {
        g.writeNumberField("date", e.at);
        g.writeStringField("object", "account");
        g.writeStringField("type", e.type);
        g.writeObjectFieldStart("object_data");
        g.writeStringField("namespace_id", id);
        g.writeStringField("account_id", id);
        g.writeStringField("object", "account");
        g.writeNullField("attributes");
        g.writeStringField("id", id);
        g.writeNullField("metadata");
        g.writeEndObject();
        // what the platform logged with the change, as the demo fleet's deltas carry it
        if (e.error != null) {
            g.writeStringField("error", e.error);
        }
        if (e.message != null) {
            g.writeStringField("message", e.message);
        }
    }

    private void writeV3(JsonGenerator g, FleetEvent e, int a, String id, Provider p, long notification)
            throws IOException {
        long h1 = Hashing.hash(spec.seed(), notification, SALT_NOTIFICATION + 1);
        long h2 = Hashing.hash(spec.seed(), notification, SALT_NOTIFICATION + 2);
        g.writeStringField("specversion", "1.0");
        g.writeStringField("type", e.type);
        g.writeStringField("source", "/nylas/system");
        g.writeStringField("id", new UUID((h1 & ~0xF000L) | 0x4000L,
                (h2 & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString());
        g.writeNumberField("time", e.at);
        g.writeNumberField("webhook_delivery_attempt", 1);
        g.writeObjectFieldStart("data");
        g.writeStringField("application_id", FleetPlanner.APP_ID);
        g.writeObjectFieldStart("object");
        g.writeStringField("grant_id", id);
        g.writeStringField("provider", p.attribute());
        g.writeStringField("email", layout.email(a));
        g.writeNumberField("code", switch (e.type) {
            case "grant.created" -> 25012;
            case "grant.updated" -> 25014;
            case "grant.deleted" -> 25013;
            default -> 25009;
        });
        if (e.grantUpdatedAt != null) {
            g.writeNumberField("grant_updated_at", e.grantUpdatedAt);
        }
        if (e.reauth != null) {
            g.writeBooleanField("reauthentication_flag", e.reauth);
        }
        if (e.error != null) {
            g.writeStringField("error", e.error);
        }
        if (e.message != null) {
            g.writeStringField("message", e.message);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    // -------------------------------------------------------------------------------------- samples

    /**
     * Accounts for the stored-diagnosis latency that are members of no planted incident: a third of them
     * failed in the background, the rest are random.
     */
    private List<String> sampleAccounts() {
        int size = Math.min(1_500, layout.accounts() / 2);
        SplittableRandom rnd = new SplittableRandom(spec.seed() + 99);
        Set<Integer> chosen = new java.util.LinkedHashSet<>();
        int[] failing = plan.backgroundFailing();
        for (int i = 0; i < failing.length && chosen.size() < size / 3; i++) {
            chosen.add(failing[rnd.nextInt(failing.length)]);
        }
        Set<Integer> members = new HashSet<>();
        for (Map.Entry<Integer, AccountPlan> e : plan.accounts().entrySet()) {
            if (e.getValue().planted) {
                members.add(e.getKey());
            }
        }
        for (int attempt = 0; chosen.size() < size && attempt < size * 100; attempt++) {
            int a = rnd.nextInt(layout.accounts());
            if (!members.contains(a)) {
                chosen.add(a);
            }
        }
        List<String> ids = new ArrayList<>();
        for (int a : chosen) {
            ids.add(layout.id(a));
        }
        return ids;
    }

    // -------------------------------------------------------------------------------------- helpers

    /** {@code out}, counting the bytes written into {@code bytes[0]}, and left open on close. */
    private static OutputStream nonClosing(OutputStream out, long[] bytes) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                bytes[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                bytes[0] += len;
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Record counts by kind. */
    private static final class Counts {
        final Map<String, Long> byName = new LinkedHashMap<>();
        long total;
        long events;

        void add(String name) {
            byName.merge(name, 1L, Long::sum);
            total++;
        }

        /** A figure that is not a record of its own. */
        void note(String name) {
            byName.merge(name, 1L, Long::sum);
        }

        void event(String name) {
            add(name);
            events++;
        }
    }

    /**
     * The background noise of every account: for each, the times of its remaining {@code k} records are the
     * order statistics of uniform draws over its allowed intervals, produced one at a time (the next one is
     * {@code p + (1 - p)(1 - U^(1/k))}), so that all accounts merge through a heap of (time, account) keys.
     */
    private final class Noise {
        private final long[] heap;
        private int size;
        private final long[] state;
        private final int[] remaining;
        private final double[] position;
        private final long[][] allowed;
        private final long[] allowedLength;

        Noise(int n) {
            heap = new long[n];
            state = new long[n];
            remaining = new int[n];
            position = new double[n];
            allowed = new long[n][];
            allowedLength = new long[n];
        }

        void start(int a, int k, long[] intervals, long seed) {
            state[a] = seed;
            remaining[a] = k;
            allowed[a] = intervals;
            long length = 0;
            for (int i = 0; i < intervals.length; i += 2) {
                length += intervals[i + 1] - intervals[i];
            }
            allowedLength[a] = length;
            push(key(nextTime(a), a));
        }

        boolean isEmpty() {
            return size == 0;
        }

        long peekTime() {
            return start + (heap[0] >>> ACCOUNT_BITS);
        }

        int peekAccount() {
            return (int) (heap[0] & ((1L << ACCOUNT_BITS) - 1));
        }

        /** Consumes the head; returns a random value for the content of its record. */
        long advance() {
            int a = peekAccount();
            state[a] = Hashing.advance(state[a]);
            long r = Hashing.next(state[a]);
            if (remaining[a] > 0) {
                heap[0] = key(nextTime(a), a);
                siftDown(0);
            } else {
                heap[0] = heap[--size];
                if (size > 0) {
                    siftDown(0);
                }
            }
            return r;
        }

        private long nextTime(int a) {
            state[a] = Hashing.advance(state[a]);
            double u = Hashing.unit(Hashing.next(state[a]));
            double p = position[a];
            p = p + (1 - p) * (1 - Math.pow(u, 1.0 / remaining[a]));
            position[a] = p;
            remaining[a]--;
            long offset = Math.min(allowedLength[a] - 1, (long) (p * allowedLength[a]));
            long[] iv = allowed[a];
            for (int i = 0; i < iv.length; i += 2) {
                long len = iv[i + 1] - iv[i];
                if (offset < len) {
                    return iv[i] + offset;
                }
                offset -= len;
            }
            return iv[iv.length - 1] - 1;
        }

        private long key(long at, int a) {
            return ((at - start) << ACCOUNT_BITS) | a;
        }

        private void push(long k) {
            int i = size++;
            heap[i] = k;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= k) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = k;
        }

        private void siftDown(int i) {
            long k = heap[i];
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && heap[child + 1] < heap[child]) {
                    child++;
                }
                if (heap[child] >= k) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = k;
        }
    }
}
