package io.synctriage.fleet.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.synctriage.model.spi.FleetFailure;

/** Walking a time-ordered list of failures (a {@link io.synctriage.model.spi.FleetView} answer) around one of them. */
final class Scan {

    private Scan() {
    }

    /** The index of this failure (same account, same instant) in a time-ordered list, or -1. */
    static int indexOf(List<FleetFailure> sorted, FleetFailure f) {
        Instant at = f.at();
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted.get(mid).at().isBefore(at)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo; i < sorted.size() && sorted.get(i).at().equals(at); i++) {
            if (sorted.get(i).accountId().equalsIgnoreCase(f.accountId())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The failures that pass {@code test}, one per account (the nearest in time to {@code f}), walking
     * outward from {@code f} and looking at no more than {@code maxScan} failures; {@code f} comes first.
     */
    static List<FleetFailure> nearestPerAccount(List<FleetFailure> sorted, FleetFailure f, int maxScan,
                                               Predicate<FleetFailure> test) {
        Map<String, FleetFailure> byAccount = new LinkedHashMap<>();
        byAccount.put(FailureWindows.key(f.accountId()), f);
        int pos = indexOf(sorted, f);
        if (pos < 0) {
            return new ArrayList<>(byAccount.values());
        }
        int before = pos - 1;
        int after = pos + 1;
        long t = f.at().getEpochSecond();
        for (int seen = 0; seen < maxScan && (before >= 0 || after < sorted.size()); seen++) {
            FleetFailure g;
            if (after >= sorted.size() || (before >= 0
                    && t - sorted.get(before).at().getEpochSecond() <= sorted.get(after).at().getEpochSecond() - t)) {
                g = sorted.get(before--);
            } else {
                g = sorted.get(after++);
            }
            if (test.test(g)) {
                byAccount.putIfAbsent(FailureWindows.key(g.accountId()), g);
            }
        }
        return new ArrayList<>(byAccount.values());
    }
}
