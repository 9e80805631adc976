package io.synctriage.fleet.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.synctriage.model.ErrorLine;
import io.synctriage.model.EvidenceFeed;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.StateChange;

/**
 * An in-memory evidence feed that derives {@link StateChange#reauthAt()} the way the store does: the
 * account's latest change to running/valid at or before the change, or its {@code linked_at}.
 */
final class FakeFeed implements EvidenceFeed {

    /** An account as the store knows it. */
    record Account(String id, String email, String provider, Instant linkedAt, Instant lastActivityAt) {
    }

    private final List<StateChange> changes = new ArrayList<>();
    private final List<ErrorLine> lines = new ArrayList<>();
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, List<Instant>> recoveries = new HashMap<>();
    private long seq = 100;
    /** Thrown by the next reads while positive (a database outage). */
    final AtomicInteger failReads = new AtomicInteger();

    FakeFeed account(String id, String email, String provider, Instant linkedAt) {
        return account(id, email, provider, linkedAt, null);
    }

    FakeFeed account(String id, String email, String provider, Instant linkedAt, Instant lastActivityAt) {
        accounts.put(id, new Account(id, email, provider, linkedAt, lastActivityAt));
        return this;
    }

    FakeFeed fail(String id, Instant at) {
        return change(id, "invalid", "account.invalid", at, null, null);
    }

    FakeFeed fail(String id, Instant at, String error, String message) {
        return change(id, "invalid", "account.invalid", at, error, message);
    }

    FakeFeed stop(String id, Instant at) {
        return change(id, "stopped", "account.stopped", at, null, null);
    }

    FakeFeed reauth(String id, Instant at) {
        recoveries.computeIfAbsent(id, k -> new ArrayList<>()).add(at);
        return change(id, "running", "account.connected", at, null, null);
    }

    FakeFeed log(String id, Instant at, String error, String message) {
        lines.add(new ErrorLine(seq += 3, id, accounts.containsKey(id) ? accounts.get(id).email() : null, at, error, message));
        return this;
    }

    synchronized FakeFeed change(String id, String state, String trigger, Instant at, String error, String message) {
        Account a = accounts.get(id);
        Instant reauth = null;
        for (Instant r : recoveries.getOrDefault(id, List.of())) {
            if (!r.isAfter(at) && (reauth == null || r.isAfter(reauth))) {
                reauth = r;
            }
        }
        if (a.linkedAt() != null && !a.linkedAt().isAfter(at) && (reauth == null || a.linkedAt().isAfter(reauth))) {
            reauth = a.linkedAt();
        }
        ProviderFamily family = ProviderFamily.ofProvider(a.provider(), null);
        changes.add(new StateChange(seq += 2, id, a.email(), a.provider(), family,
                family == null ? null : family.defaultAuth(), state, null, trigger, at, reauth, a.lastActivityAt(),
                error, message));
        return this;
    }

    int stateChangeCount() {
        return changes.size();
    }

    @Override
    public synchronized List<StateChange> stateChangesAfter(long after, int limit) {
        failIfAsked();
        int from = firstAfter(changes, after, StateChange::seq);
        return new ArrayList<>(changes.subList(from, Math.min(changes.size(), from + limit)));
    }

    @Override
    public synchronized List<ErrorLine> errorLinesAfter(long after, int limit) {
        failIfAsked();
        int from = firstAfter(lines, after, ErrorLine::seq);
        return new ArrayList<>(lines.subList(from, Math.min(lines.size(), from + limit)));
    }

    @Override
    public synchronized long stateChangePositionBefore(Instant at) {
        for (StateChange c : changes) {
            if (!c.at().isBefore(at)) {
                return c.seq() - 1;
            }
        }
        return changes.isEmpty() ? 0 : changes.get(changes.size() - 1).seq();
    }

    /** Positions only grow as records are added: the first record after {@code seq}, by binary search. */
    private static <T> int firstAfter(List<T> records, long seq, java.util.function.ToLongFunction<T> position) {
        int lo = 0;
        int hi = records.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (position.applyAsLong(records.get(mid)) <= seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void failIfAsked() {
        if (failReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("database unavailable (test)");
        }
    }

}
