package io.synctriage.fleet.internal;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.synctriage.model.ErrorLine;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.Match;

/**
 * The latest logged errors of each account (by id, and by email for lines that name only the email), so
 * that a failure can be linked to the error that explains it — also when the error line is stored after
 * the failure. Bounded: {@value #PER_ACCOUNT} lines per account and {@code max.error.lines} in all, the
 * oldest first out; a line costs at most about 400 B (its two texts are cut at {@link FailureLinker#MAX_TEXT}).
 *
 * <p>Lines are kept raw and classified when a failure needs them: the classification depends on the
 * account's provider family, which an error line does not carry.
 */
final class RecentErrors {

    /** Lines kept per account: a failure is explained by the errors logged just before it. */
    static final int PER_ACCOUNT = 4;

    /** One logged error. */
    static final class Line {
        final Instant at;
        final String error;
        final String message;
        private final String idKey;
        private final String emailKey;
        private boolean dropped;
        /** The classification for {@link #classifiedFor}, cached: the same line is looked at by several failures. */
        FailureLinker.Linked linked;
        ProviderFamily classifiedFor;
        boolean classified;

        Line(Instant at, String error, String message, String idKey, String emailKey) {
            this.at = at;
            this.error = error;
            this.message = message;
            this.idKey = idKey;
            this.emailKey = emailKey;
        }
    }

    private final int max;
    private final Map<String, ArrayList<Line>> byKey = new HashMap<>();
    /** Arrival order, for the global bound; dropped lines are skipped and compacted away. */
    private final ArrayDeque<Line> arrival = new ArrayDeque<>();
    private int size;

    RecentErrors(int max) {
        this.max = max;
    }

    /** Keeps the line unless it names no account or is older than {@code cutoff}; returns it, or null. */
    Line add(ErrorLine l, Instant cutoff) {
        if (l.at() == null || l.at().isBefore(cutoff) || (l.error() == null && l.message() == null)) {
            return null;
        }
        String idKey = l.accountId() == null ? null : "i:" + FailureWindows.key(l.accountId());
        String emailKey = l.email() == null ? null : "e:" + FailureWindows.key(l.email());
        if (idKey == null && emailKey == null) {
            return null;
        }
        Line line = new Line(l.at(), FailureLinker.cut(l.error()), FailureLinker.cut(l.message()), idKey, emailKey);
        if (idKey != null) {
            insert(idKey, line);
        }
        if (emailKey != null && !line.dropped) {
            insert(emailKey, line);
        }
        if (line.dropped) {
            return null; // older than the lines the account already keeps
        }
        size++;
        arrival.addLast(line);
        while (size > max) {
            Line oldest = arrival.pollFirst();
            if (!oldest.dropped) {
                drop(oldest);
            }
        }
        compactArrival();
        return line;
    }

    private void insert(String key, Line line) {
        ArrayList<Line> list = byKey.computeIfAbsent(key, k -> new ArrayList<>(2));
        int i = list.size();
        while (i > 0 && list.get(i - 1).at.isAfter(line.at)) {
            i--;
        }
        list.add(i, line);
        if (list.size() > PER_ACCOUNT) {
            Line oldest = list.get(0);
            if (oldest == line) {
                line.dropped = true; // not counted yet: no size change
                unlinkEverywhere(line);
            } else {
                drop(oldest);
            }
        }
    }

    /** The account's lines with {@code from <= at <= to}, by id and by email, each once, oldest first. */
    List<Line> linesFor(String accountId, String email, Instant from, Instant to) {
        List<Line> out = new ArrayList<>(PER_ACCOUNT);
        collect(accountId == null ? null : "i:" + FailureWindows.key(accountId), from, to, out);
        collect(email == null ? null : "e:" + FailureWindows.key(email), from, to, out);
        out.sort((a, b) -> a.at.compareTo(b.at));
        return out;
    }

    private void collect(String key, Instant from, Instant to, List<Line> out) {
        List<Line> list = key == null ? null : byKey.get(key);
        if (list == null) {
            return;
        }
        for (Line l : list) {
            if (!l.at.isBefore(from) && !l.at.isAfter(to) && !out.contains(l)) {
                out.add(l);
            }
        }
    }

    /** Drops the lines at the head of the arrival order that are older than {@code cutoff}. */
    void evict(Instant cutoff) {
        while (!arrival.isEmpty() && (arrival.peekFirst().dropped || arrival.peekFirst().at.isBefore(cutoff))) {
            Line l = arrival.pollFirst();
            if (!l.dropped) {
                drop(l);
            }
        }
        compactArrival();
    }

    int size() {
        return size;
    }

    private void drop(Line l) {
        l.dropped = true;
        size--;
        unlinkEverywhere(l);
    }

    private void unlinkEverywhere(Line l) {
        unlink(l.idKey, l);
        unlink(l.emailKey, l);
    }

    private void unlink(String key, Line l) {
        if (key == null) {
            return;
        }
        ArrayList<Line> list = byKey.get(key);
        if (list != null) {
            list.remove(l);
            if (list.isEmpty()) {
                byKey.remove(key);
            }
        }
    }

    /** Lines dropped by the per-account bound stay in the arrival queue until compacted: keep it near {@link #size}. */
    private void compactArrival() {
        if (arrival.size() > 2 * size + 1024) {
            arrival.removeIf(l -> l.dropped);
        }
    }
}
