package io.synctriage.fleet.internal;

import java.time.Instant;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.FleetFailure;
import io.synctriage.model.spi.FleetView;

/**
 * The recent failures of the fleet, in memory, indexed three ways: per account (flapping), per
 * non-consumer domain (same moment, recurring) and per provider family in one-hour buckets (provider-wide
 * and schedule patterns). Everything is evicted by the fleet clock once it leaves the look-back window, and
 * bounded by count, so memory stays bounded whatever the fleet size.
 *
 * <p>Memory: one failure costs its {@link Entry} (24 B), the {@link FleetFailure} (32 B), its compact
 * {@link io.synctriage.model.StateChange} (72 B; state, trigger and provider spellings shared), one or two
 * {@link Instant}s (24 B each) and its index slots: about 200 B, its error text shared with the logged
 * line. Each account with a failure in the window adds about 300 B (id and email strings, its list, the
 * map entries). Measured: 333,000 failures of 283,000 accounts plus 300,000 error lines take about 230 MB
 * of heap, so roughly 500 B per failure of a distinct account; {@code max.failures} caps the total.
 *
 * <p>Not thread-safe: only the tracker's thread touches it (detectors run on that thread too).
 */
final class FailureWindows implements FleetView {

    /** One failure in memory. Mutable: a later error line may improve its signature, and a provider-wide cluster claims it. */
    static final class Entry {
        FleetFailure failure;
        /** It belongs to a provider-wide cluster: it forms no domain pattern (decision-tree.md, Precedence). */
        boolean claimed;
        final String accountKey;

        Entry(FleetFailure failure, String accountKey) {
            this.failure = failure;
            this.accountKey = accountKey;
        }

        Instant at() {
            return failure.at();
        }
    }

    /** Per-account history kept for flapping: the latest failures of one account. */
    static final int MAX_PER_ACCOUNT = 32;
    private static final long BUCKET_SECONDS = 3600;

    private final int maxFailures;
    private final int maxPerDomain;
    private final Predicate<String> consumerDomain;

    private final Map<String, ArrayList<Entry>> byAccount = new HashMap<>();
    private final Map<String, List<String>> accountsByEmail = new HashMap<>();
    private final Map<String, ArrayList<Entry>> byDomain = new HashMap<>();
    /** Family (null: no provider known) → hour bucket → failures of that hour, oldest first. */
    private final Map<ProviderFamily, TreeMap<Long, ArrayList<Entry>>> byFamily = new HashMap<>();
    private int size;

    FailureWindows(int maxFailures, int maxPerDomain, Predicate<String> consumerDomain) {
        this.maxFailures = maxFailures;
        this.maxPerDomain = maxPerDomain;
        this.consumerDomain = consumerDomain;
    }

    static String key(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Adds a failure; null when it is already known (same account, same instant: a replay or a state change
     * stored twice) or older than {@code cutoff}.
     */
    Entry add(FleetFailure f, Instant cutoff) {
        if (f.at().isBefore(cutoff)) {
            return null;
        }
        String account = key(f.accountId());
        ArrayList<Entry> own = byAccount.get(account);
        if (own != null && indexAt(own, f.at()) >= 0) {
            return null;
        }
        Entry e = new Entry(f, account);
        if (own == null) {
            own = new ArrayList<>(2);
            byAccount.put(account, own);
            String email = key(f.change().email());
            if (email != null) {
                accountsByEmail.computeIfAbsent(email, x -> new ArrayList<>(1)).add(account);
            }
        }
        insertSorted(own, e);
        trimOldest(own, MAX_PER_ACCOUNT);
        String domain = f.change().domain();
        if (domain != null && !consumerDomain.test(domain)) {
            ArrayList<Entry> d = byDomain.computeIfAbsent(domain, x -> new ArrayList<>(2));
            insertSorted(d, e);
            trimOldest(d, maxPerDomain);
        }
        ArrayList<Entry> bucket = byFamily.computeIfAbsent(f.change().family(), x -> new TreeMap<>())
                .computeIfAbsent(bucketOf(f.at()), x -> new ArrayList<>());
        insertSorted(bucket, e);
        size++;
        return e;
    }

    /** The failure of this account at this instant, or null. */
    Entry find(String accountId, Instant at) {
        ArrayList<Entry> own = byAccount.get(key(accountId));
        if (own == null) {
            return null;
        }
        int i = indexAt(own, at);
        return i < 0 ? null : own.get(i);
    }

    /** The account's failures in memory (by id, or by email when the id is not known), oldest first. */
    List<Entry> entriesOf(String accountId, String email) {
        if (accountId != null) {
            ArrayList<Entry> own = byAccount.get(key(accountId));
            if (own != null) {
                return own;
            }
        }
        if (email != null) {
            List<String> accounts = accountsByEmail.get(key(email));
            if (accounts != null) {
                List<Entry> out = new ArrayList<>();
                for (String a : accounts) {
                    out.addAll(byAccount.getOrDefault(a, new ArrayList<>()));
                }
                return out;
            }
        }
        return List.of();
    }

    /**
     * Drops every failure before the hour of {@code cutoff}, then the oldest hours until at most
     * {@code max.failures} remain.
     */
    void evict(Instant cutoff) {
        long cutoffBucket = bucketOf(cutoff);
        List<Entry> gone = new ArrayList<>();
        for (TreeMap<Long, ArrayList<Entry>> buckets : byFamily.values()) {
            NavigableMap<Long, ArrayList<Entry>> old = buckets.headMap(cutoffBucket, false);
            old.values().forEach(gone::addAll);
            old.clear();
        }
        unindex(gone, Instant.ofEpochSecond(cutoffBucket * BUCKET_SECONDS));
        while (size > maxFailures) {
            long oldest = Long.MAX_VALUE;
            for (TreeMap<Long, ArrayList<Entry>> buckets : byFamily.values()) {
                if (!buckets.isEmpty()) {
                    oldest = Math.min(oldest, buckets.firstKey());
                }
            }
            gone.clear();
            for (TreeMap<Long, ArrayList<Entry>> buckets : byFamily.values()) {
                ArrayList<Entry> b = buckets.remove(oldest);
                if (b != null) {
                    gone.addAll(b);
                }
            }
            unindex(gone, Instant.ofEpochSecond((oldest + 1) * BUCKET_SECONDS));
        }
        byFamily.values().removeIf(Map::isEmpty);
    }

    /** Removes evicted failures (all before {@code boundary}) from the account and domain indexes. */
    private void unindex(List<Entry> gone, Instant boundary) {
        if (gone.isEmpty()) {
            return;
        }
        size -= gone.size();
        Set<String> accounts = new HashSet<>();
        Set<String> domains = new HashSet<>();
        for (Entry e : gone) {
            accounts.add(e.accountKey);
            String d = e.failure.change().domain();
            if (d != null) {
                domains.add(d);
            }
        }
        for (String a : accounts) {
            ArrayList<Entry> own = byAccount.get(a);
            if (own != null) {
                dropBefore(own, boundary);
                if (own.isEmpty()) {
                    byAccount.remove(a);
                    forgetEmail(a, gone);
                }
            }
        }
        for (String d : domains) {
            ArrayList<Entry> list = byDomain.get(d);
            if (list != null) {
                dropBefore(list, boundary);
                if (list.isEmpty()) {
                    byDomain.remove(d);
                }
            }
        }
    }

    private void forgetEmail(String account, List<Entry> gone) {
        for (Entry e : gone) {
            if (e.accountKey.equals(account)) {
                String email = key(e.failure.change().email());
                List<String> accounts = email == null ? null : accountsByEmail.get(email);
                if (accounts != null) {
                    accounts.remove(account);
                    if (accounts.isEmpty()) {
                        accountsByEmail.remove(email);
                    }
                }
                return;
            }
        }
    }

    int size() {
        return size;
    }

    int accountCount() {
        return byAccount.size();
    }

    // --- FleetView -----------------------------------------------------------------------------------

    @Override
    public List<FleetFailure> domainFailures(String domain, Instant from, Instant to) {
        ArrayList<Entry> list = domain == null ? null : byDomain.get(key(domain));
        if (list == null) {
            return List.of();
        }
        List<FleetFailure> out = new ArrayList<>();
        for (int i = lowerBound(list, from), n = upperBound(list, to); i < n; i++) {
            Entry e = list.get(i);
            if (!e.claimed) { // a failure of a provider-wide cluster forms no domain pattern
                out.add(e.failure);
            }
        }
        return out;
    }

    /**
     * A view over the family's hour buckets, not a copy: an outage puts thousands of failures in one
     * window and a schedule detector looks a month either side, so detectors walk outward from their
     * failure and stop early. Valid until the tracker changes the windows (after the detector returns).
     */
    @Override
    public List<FleetFailure> familyFailures(ProviderFamily family, Instant from, Instant to) {
        TreeMap<Long, ArrayList<Entry>> buckets = byFamily.get(family);
        if (buckets == null || to.isBefore(from)) {
            return List.of();
        }
        List<ArrayList<Entry>> parts = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        long first = bucketOf(from);
        long last = bucketOf(to);
        for (Map.Entry<Long, ArrayList<Entry>> b : buckets.subMap(first, true, last, true).entrySet()) {
            ArrayList<Entry> list = b.getValue();
            // only the first and the last hour are cut; the hours between lie wholly inside
            int lo = b.getKey() == first ? lowerBound(list, from) : 0;
            int hi = b.getKey() == last ? upperBound(list, to) : list.size();
            if (hi > lo) {
                parts.add(list);
                ranges.add(new int[] {lo, hi});
            }
        }
        return parts.isEmpty() ? List.of() : new BucketRange(parts, ranges);
    }

    @Override
    public List<FleetFailure> accountFailures(String accountId, Instant from, Instant to) {
        ArrayList<Entry> list = accountId == null ? null : byAccount.get(key(accountId));
        if (list == null) {
            return List.of();
        }
        List<FleetFailure> out = new ArrayList<>();
        for (int i = lowerBound(list, from), n = upperBound(list, to); i < n; i++) {
            out.add(list.get(i).failure);
        }
        return out;
    }

    @Override
    public boolean isConsumerDomain(String domain) {
        return domain != null && consumerDomain.test(key(domain));
    }

    // --- sorted lists ---------------------------------------------------------------------------------

    private static long bucketOf(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), BUCKET_SECONDS);
    }

    /** Inserts in time order; failures mostly arrive in order, so this is mostly an append. */
    private static void insertSorted(ArrayList<Entry> list, Entry e) {
        int i = upperBound(list, e.at());
        list.add(i, e);
    }

    /** Trims to {@code max} once it is an eighth over, so that a full list does not shift on every add. */
    private static void trimOldest(ArrayList<Entry> list, int max) {
        if (list.size() > max + Math.max(1, max / 8)) {
            list.subList(0, list.size() - max).clear();
        }
    }

    private static void dropBefore(ArrayList<Entry> list, Instant boundary) {
        int n = lowerBound(list, boundary);
        if (n > 0) {
            list.subList(0, n).clear();
        }
    }

    /** Index of a failure exactly at {@code at}, or -1. */
    private static int indexAt(List<Entry> list, Instant at) {
        int i = lowerBound(list, at);
        return i < list.size() && list.get(i).at().equals(at) ? i : -1;
    }

    /** First index whose failure is at or after {@code at}. */
    private static int lowerBound(List<Entry> list, Instant at) {
        int lo = 0;
        int hi = list.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (list.get(mid).at().isBefore(at)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index whose failure is after {@code at}. */
    private static int upperBound(List<Entry> list, Instant at) {
        int lo = 0;
        int hi = list.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (list.get(mid).at().isAfter(at)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Consecutive slices of hour buckets seen as one list, in time order. */
    private static final class BucketRange extends AbstractList<FleetFailure> implements RandomAccess {
        private final List<ArrayList<Entry>> parts;
        private final int[] lows;
        /** offsets[p]: index in this list of the first element of part p. */
        private final int[] offsets;
        private final int size;
        /** The parts of the two latest accesses. */
        private int recent;
        private int older;

        BucketRange(List<ArrayList<Entry>> parts, List<int[]> ranges) {
            this.parts = parts;
            this.lows = new int[parts.size()];
            this.offsets = new int[parts.size()];
            int n = 0;
            for (int p = 0; p < parts.size(); p++) {
                lows[p] = ranges.get(p)[0];
                offsets[p] = n;
                n += ranges.get(p)[1] - ranges.get(p)[0];
            }
            this.size = n;
        }

        @Override
        public FleetFailure get(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException(index);
            }
            // detectors walk outward from their failure, one step back, one step on: the part of one of the
            // two latest accesses is usually the one
            int p;
            if (holds(recent, index)) {
                p = recent;
            } else if (holds(older, index)) {
                p = older;
                older = recent;
                recent = p;
            } else {
                p = java.util.Arrays.binarySearch(offsets, index);
                if (p < 0) {
                    p = -p - 2; // parts are never empty, so offsets are strictly increasing
                }
                older = recent;
                recent = p;
            }
            return parts.get(p).get(lows[p] + index - offsets[p]).failure;
        }

        private boolean holds(int part, int index) {
            return index >= offsets[part] && (part + 1 == offsets.length || index < offsets[part + 1]);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
