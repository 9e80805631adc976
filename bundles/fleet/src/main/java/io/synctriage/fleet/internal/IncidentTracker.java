package io.synctriage.fleet.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.synctriage.model.ErrorLine;
import io.synctriage.model.EvidenceFeed;
import io.synctriage.model.FailureClassifier;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentStore;
import io.synctriage.model.StateChange;
import io.synctriage.model.spi.FleetDetector;
import io.synctriage.model.spi.FleetFailure;
import io.synctriage.model.spi.IncidentCandidate;
import io.synctriage.model.spi.PatternKind;

/**
 * The fleet tracker's work, one batch at a time, on one thread (the DS component's; tests call it
 * directly). Each batch reads the logged errors and the state changes after the saved cursors, links
 * every failure to the error that explains it, records it in the {@link FailureWindows}, lets every
 * detector examine it, merges the candidates into the {@link IncidentBook}, closes the incidents that went
 * quiet and saves the changed incidents together with the cursors — one atomic save per batch. Reading
 * incidents therefore never rescans history.
 *
 * <p>Precedence (decision-tree.md): for one failure the first fleet pattern that matches wins
 * (provider-wide, same moment, recurring, schedule); flapping is independent. A failure of a provider-wide
 * cluster is claimed and forms no domain pattern. Because a provider-wide cluster may complete only after
 * a domain's accounts already clustered, a domain pattern with a failure that could still join one (a
 * credential or server/timeout error) is held back until the cluster window after that failure has passed,
 * then examined again.
 *
 * <p>Restart: the in-memory windows are rebuilt by replaying the feed from the look-back before the saved
 * event time up to the saved cursors; merging a failure an incident already counts changes nothing, so the
 * replay adds no member twice.
 */
final class IncidentTracker {

    private static final Logger LOG = LoggerFactory.getLogger(IncidentTracker.class);

    /** Cursor names in {@link IncidentStore#cursors()}. */
    static final String STATE_CHANGES = "state_changes";
    static final String ERROR_LINES = "error_lines";
    /** The latest state change time seen (epoch ms): where the replay after a restart starts from. */
    static final String EVENT_TIME = "event_time_ms";
    /** The error-line position to replay from after a restart, and the event time it was taken at. */
    static final String ERROR_REPLAY_FROM = "error_lines_replay_from";
    static final String ERROR_REPLAY_TIME = "error_lines_replay_time_ms";

    /** Rounds of re-examining held-back patterns per batch, at most (each may hold new ones). */
    private static final int MAX_RELEASE_ROUNDS = 8;

    private final EvidenceFeed feed;
    private final IncidentStore store;
    private final Supplier<List<FleetDetector>> detectors;
    private final FleetSettings settings;
    private final Clock clock;
    private final FailureLinker linker;

    private FailureWindows windows;
    private RecentErrors errors;
    private IncidentBook book;
    /** Domain patterns held back, by the failure that formed them, until the instant they may be examined again. */
    private final Map<FailureWindows.Entry, Instant> holds = new IdentityHashMap<>();
    /** Up to when a held-back pattern is decided: the event clock while processing, the release clock at the end. */
    private Instant horizon = Instant.EPOCH;

    private long stateCursor;
    private long errorCursor;
    /** The latest state change time seen, or null before the first. */
    private Instant eventClock;
    /** Event time → error-line position, sampled hourly: where a replay of the errors may start. */
    private final ArrayDeque<long[]> checkpoints = new ArrayDeque<>();
    private long replayErrorsFrom;
    private long replayErrorsTime;
    private Map<String, Long> savedCursors = Map.of();
    private PendingSave pending;
    private boolean recovered;
    private final Map<String, Long> detectorFailures = new HashMap<>();

    /** A save that failed, retried before anything else happens. */
    private record PendingSave(List<TrackedIncident> incidents, List<Incident> snapshots, Map<String, Long> cursors) {
    }

    IncidentTracker(EvidenceFeed feed, IncidentStore store, FailureClassifier classifier,
                    Supplier<List<FleetDetector>> detectors, FleetSettings settings, Clock clock) {
        this.feed = feed;
        this.store = store;
        this.detectors = detectors;
        this.settings = settings;
        this.clock = clock;
        this.linker = new FailureLinker(classifier, settings.errorWindow());
        reset();
    }

    private void reset() {
        windows = new FailureWindows(settings.maxFailures(), settings.maxFailuresPerDomain(), settings::isConsumerDomain);
        errors = new RecentErrors(settings.maxErrorLines());
        book = new IncidentBook(settings.quietPeriod());
        holds.clear();
        checkpoints.clear();
        pending = null;
        eventClock = null;
        stateCursor = 0;
        errorCursor = 0;
        replayErrorsFrom = 0;
        replayErrorsTime = 0;
        savedCursors = Map.of();
        recovered = false;
    }

    boolean recovered() {
        return recovered;
    }

    /**
     * Loads the working set and rebuilds the windows: the open incidents and those of the look-back, then
     * a replay of the errors and state changes up to the saved cursors.
     */
    void recover() {
        reset();
        Map<String, Long> cursors = store.cursors();
        long stateTo = cursors.getOrDefault(STATE_CHANGES, 0L);
        long errorsTo = cursors.getOrDefault(ERROR_LINES, 0L);
        Long savedTime = cursors.get(EVENT_TIME);
        replayErrorsFrom = cursors.getOrDefault(ERROR_REPLAY_FROM, 0L);
        replayErrorsTime = cursors.getOrDefault(ERROR_REPLAY_TIME, 0L);
        Instant saved = savedTime == null ? null : Instant.ofEpochMilli(savedTime);
        // a save during the replay (a held-back pattern decided now) keeps the saved cursors
        savedCursors = Map.copyOf(cursors);
        // the incidents the working set held when it stopped: those of the look-back before the saved event time
        Instant eventTime = saved != null ? saved : clock.instant();
        book.load(store.active(eventTime.minus(settings.lookback())), store.lastIncidentNumber());
        int replayed = errorsTo > 0 ? replayErrors(replayErrorsFrom, errorsTo) : 0;
        int changes = 0;
        if (saved != null) {
            long from = feed.stateChangePositionBefore(saved.minus(settings.lookback()).minus(settings.clusterWindow()));
            changes = replayStateChanges(Math.min(from, stateTo), stateTo);
        }
        if (stateTo > 0 || errorsTo > 0) {
            LOG.info("Fleet tracker resumed: {} incident(s) in the working set, {} error line(s) and {} state change(s) "
                    + "replayed, {} failure(s) in the windows", book.size(), replayed, changes, windows.size());
        }
        stateCursor = stateTo;
        errorCursor = errorsTo;
        eventClock = later(eventClock, saved);
        savedCursors = cursors();
        recovered = true;
    }

    private int replayErrors(long from, long to) {
        int n = 0;
        long pos = from;
        while (pos < to) {
            stopIfInterrupted();
            List<ErrorLine> batch = feed.errorLinesAfter(pos, settings.batchSize());
            if (batch.isEmpty()) {
                break;
            }
            List<ErrorLine> upTo = new ArrayList<>(batch.size());
            for (ErrorLine l : batch) {
                if (l.seq() > to) {
                    break;
                }
                upTo.add(l);
            }
            ingestErrors(upTo);
            n += upTo.size();
            pos = batch.get(batch.size() - 1).seq();
            if (upTo.size() < batch.size()) {
                break;
            }
        }
        return n;
    }

    private int replayStateChanges(long from, long to) {
        int n = 0;
        long pos = from;
        while (pos < to) {
            stopIfInterrupted();
            List<StateChange> batch = feed.stateChangesAfter(pos, settings.batchSize());
            if (batch.isEmpty()) {
                break;
            }
            List<StateChange> upTo = new ArrayList<>(batch.size());
            for (StateChange sc : batch) {
                if (sc.seq() > to) {
                    break;
                }
                upTo.add(sc);
            }
            ingestStateChanges(upTo);
            // not caught up: held-back patterns wait for the replayed event time, as they did live
            endOfBatch(false, false);
            n += upTo.size();
            pos = batch.get(batch.size() - 1).seq();
            if (upTo.size() < batch.size()) {
                break;
            }
        }
        return n;
    }

    /** A replay of a month of events takes a while: a deactivation must not wait for it. */
    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("fleet tracker stopping: replay abandoned");
        }
    }

    /**
     * One batch: a pending save first, then what the feed holds after the cursors.
     *
     * @return whether the feed is drained (the caller may pause before the next batch)
     */
    boolean step() {
        if (pending != null) {
            flush();
        }
        List<ErrorLine> lines = feed.errorLinesAfter(errorCursor, settings.batchSize());
        List<StateChange> changes = feed.stateChangesAfter(stateCursor, settings.batchSize());
        boolean caughtUp = lines.size() < settings.batchSize() && changes.size() < settings.batchSize();
        try {
            sampleCheckpoint();
            ingestErrors(lines);
            ingestStateChanges(changes);
            endOfBatch(caughtUp, true);
        } catch (RuntimeException e) {
            if (pending == null) {
                // the windows may hold half a batch the cursors do not: rebuild them from the store
                recovered = false;
            }
            throw e;
        }
        return caughtUp;
    }

    // --- ingest ------------------------------------------------------------------------------------

    private void ingestErrors(List<ErrorLine> lines) {
        Set<FailureWindows.Entry> improved = new LinkedHashSet<>();
        Instant cutoff = retentionCutoff();
        for (ErrorLine l : lines) {
            errorCursor = Math.max(errorCursor, l.seq());
            RecentErrors.Line line = errors.add(l, cutoff);
            if (line == null) {
                continue;
            }
            // An error stored after the failure it explains (codes imported after the webhooks) attaches to it.
            for (FailureWindows.Entry e : windows.entriesOf(l.accountId(), l.email())) {
                if (!e.at().isBefore(line.at) && !e.at().isAfter(line.at.plus(settings.errorWindow()))) {
                    FleetFailure better = linker.improve(e.failure, line);
                    if (better != null) {
                        e.failure = better;
                        improved.add(e);
                    }
                }
            }
        }
        horizon = eventClock == null ? Instant.EPOCH : eventClock;
        for (FailureWindows.Entry e : improved) {
            detect(e);
        }
    }

    private void ingestStateChanges(List<StateChange> changes) {
        for (StateChange sc : changes) {
            stateCursor = Math.max(stateCursor, sc.seq());
            if (sc.at() == null) {
                continue;
            }
            eventClock = later(eventClock, sc.at());
            horizon = eventClock;
            if (!sc.isFailure() || sc.accountId() == null) {
                continue;
            }
            if (sc.trigger() == null) {
                // A snapshot (import, poller) only says the account IS invalid, and its time is when the store
                // received it: every invalid account of one import would "fail" at the same moment. Only a
                // notification dates a failure, so only notifications become fleet failures.
                continue;
            }
            Instant cutoff = retentionCutoff();
            if (sc.at().isBefore(cutoff) || windows.find(sc.accountId(), sc.at()) != null) {
                continue; // outside every window, or already known (a replay, a change stored twice)
            }
            List<RecentErrors.Line> recent = errors.linesFor(sc.accountId(), sc.email(), linker.windowStart(sc.at()), sc.at());
            List<FailureWindows.Entry> earlier = windows.entriesOf(sc.accountId(), null);
            FleetFailure f = linker.link(sc, recent, earlier.isEmpty() ? null : earlier.get(earlier.size() - 1).failure);
            FailureWindows.Entry e = windows.add(f, cutoff);
            if (e != null) {
                detect(e);
            }
        }
    }

    // --- detection -----------------------------------------------------------------------------------

    private void detect(FailureWindows.Entry e) {
        FleetFailure f = e.failure;
        List<IncidentCandidate> found = new ArrayList<>();
        for (FleetDetector d : detectors.get()) {
            try {
                List<IncidentCandidate> c = d.onFailure(f, windows);
                if (c != null) {
                    for (IncidentCandidate candidate : c) {
                        if (candidate != null && !candidate.members().isEmpty()) {
                            found.add(candidate);
                        }
                    }
                }
            } catch (RuntimeException ex) {
                long n = detectorFailures.merge(d.getClass().getName(), 1L, Long::sum);
                if (n == 1 || n % 1000 == 0) {
                    LOG.warn("Fleet detector {} failed on a failure of {} ({} time(s) so far); the other detectors "
                            + "still ran", d.getClass().getName(), f.accountId(), n, ex);
                }
            }
        }
        // For this failure the first fleet pattern that matches wins; flapping is independent of them.
        PatternKind top = null;
        for (IncidentCandidate c : found) {
            if (c.kind() != PatternKind.FLAPPING && (top == null || c.kind().ordinal() < top.ordinal())) {
                top = c.kind();
            }
        }
        for (IncidentCandidate c : found) {
            if (c.kind() != PatternKind.FLAPPING && c.kind() != top) {
                continue;
            }
            if (c.kind() == PatternKind.PROVIDER_WIDE) {
                claim(c);
            } else if (c.kind() == PatternKind.SAME_MOMENT || c.kind() == PatternKind.RECURRING) {
                Instant until = holdUntil(c);
                if (until != null) {
                    holds.merge(e, until, (a, b) -> a.isAfter(b) ? a : b);
                    continue;
                }
            }
            merge(c);
        }
    }

    /** Marks the failures of a provider-wide cluster: they form no domain pattern. */
    private void claim(IncidentCandidate c) {
        for (FleetFailure m : c.members()) {
            FailureWindows.Entry me = windows.find(m.accountId(), m.at());
            if (me != null) {
                me.claimed = true;
            }
        }
    }

    /**
     * When a domain pattern has a failure that could still join a provider-wide cluster (an unclaimed
     * credential or server/timeout error whose cluster window has not passed), the instant that window
     * ends; else null: decide now.
     */
    private Instant holdUntil(IncidentCandidate c) {
        Instant latest = null;
        for (FleetFailure m : c.members()) {
            if (m.kind() != null && Votes.PROVIDER_WIDE_KINDS.contains(m.kind())) {
                FailureWindows.Entry me = windows.find(m.accountId(), m.at());
                Instant end = m.at().plus(settings.clusterWindow());
                if (me != null && !me.claimed && end.isAfter(horizon) && (latest == null || end.isAfter(latest))) {
                    latest = end;
                }
            }
        }
        return latest;
    }

    private void merge(IncidentCandidate c) {
        IncidentBook.Merge m = book.merge(c, fleetNow());
        if (m.outcome() == IncidentBook.Outcome.CREATED) {
            LOG.info("Fleet incident {} opened ({} {}): {}", m.incident().id, m.incident().kind, m.incident().cause,
                    IncidentText.summary(m.incident()));
        } else if (m.outcome() == IncidentBook.Outcome.REOPENED) {
            LOG.info("Fleet incident {} reopened ({} time(s)): {}", m.incident().id, m.incident().reopenCount,
                    IncidentText.summary(m.incident()));
        }
    }

    /** Examines again the held-back patterns whose window has passed. */
    private void releaseHolds(boolean caughtUp) {
        Instant release = eventClock == null ? Instant.EPOCH : eventClock;
        if (caughtUp) {
            release = later(release, clock.instant()); // nothing more is coming for now: wall time decides
        }
        horizon = release;
        for (int round = 0; round < MAX_RELEASE_ROUNDS && !holds.isEmpty(); round++) {
            List<FailureWindows.Entry> due = new ArrayList<>();
            for (Map.Entry<FailureWindows.Entry, Instant> h : holds.entrySet()) {
                if (!h.getValue().isAfter(release)) {
                    due.add(h.getKey());
                }
            }
            if (due.isEmpty()) {
                return;
            }
            due.sort((a, b) -> a.at().compareTo(b.at()));
            due.forEach(holds::remove);
            for (FailureWindows.Entry e : due) {
                if (windows.find(e.accountKey, e.at()) == e) {
                    detect(e);
                }
            }
        }
    }

    // --- end of batch: close, evict, save ------------------------------------------------------------

    private void endOfBatch(boolean caughtUp, boolean live) {
        releaseHolds(caughtUp);
        Instant now = fleetNow();
        for (TrackedIncident t : book.closeQuiet(now)) {
            LOG.debug("Fleet incident {} closed: quiet since {}", t.id, t.lastAt);
        }
        windows.evict(retentionCutoff());
        errors.evict(retentionCutoff());
        holds.keySet().removeIf(e -> windows.find(e.accountKey, e.at()) != e);
        List<TrackedIncident> dirty = book.dirty();
        Map<String, Long> cursors = live ? cursors() : savedCursors;
        if (!dirty.isEmpty() || !cursors.equals(savedCursors)) {
            List<Incident> snapshots = new ArrayList<>(dirty.size());
            for (TrackedIncident t : dirty) {
                snapshots.add(t.snapshot());
            }
            pending = new PendingSave(dirty, snapshots, cursors);
            flush();
        }
        // By the EVENT clock, like the windows: during a backfill the wall clock is weeks ahead, every incident
        // of the history is closed by it at once, and evicting by it would make the next piece of the same
        // pattern (a cycle, an error line linked late) open a new incident instead of joining this one.
        book.evict(eventLookbackStart());
    }

    private void flush() {
        PendingSave p = pending;
        store.save(p.snapshots(), p.cursors());
        IncidentBook.markSaved(p.incidents());
        savedCursors = p.cursors();
        pending = null;
    }

    private Map<String, Long> cursors() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put(STATE_CHANGES, stateCursor);
        c.put(ERROR_LINES, errorCursor);
        if (eventClock != null) {
            c.put(EVENT_TIME, eventClock.toEpochMilli());
            // the replay point follows the event clock: errors committed a whole look-back earlier are not needed
            long horizonMs = eventClock.minus(settings.lookback()).minus(settings.clusterWindow())
                    .minus(settings.errorWindow()).toEpochMilli();
            while (!checkpoints.isEmpty() && checkpoints.peekFirst()[0] <= horizonMs) {
                long[] cp = checkpoints.pollFirst();
                replayErrorsTime = cp[0];
                replayErrorsFrom = cp[1];
            }
        }
        c.put(ERROR_REPLAY_FROM, replayErrorsFrom);
        c.put(ERROR_REPLAY_TIME, replayErrorsTime);
        return c;
    }

    /** Remembers, once per hour of event time, which error-line position the tracker had reached. */
    private void sampleCheckpoint() {
        if (eventClock == null) {
            return;
        }
        long ms = eventClock.toEpochMilli();
        if (checkpoints.isEmpty() || ms - checkpoints.peekLast()[0] >= 3_600_000L) {
            checkpoints.addLast(new long[] {ms, errorCursor});
        }
    }

    // --- clocks --------------------------------------------------------------------------------------

    /** The fleet clock: the latest event seen or the wall clock, whichever is later. */
    Instant fleetNow() {
        return later(eventClock, clock.instant());
    }

    /**
     * What the windows keep: the look-back before the latest EVENT seen, not before the wall clock. History
     * imported in time order (a backfill of 90 days) slides the windows along with it, so its old patterns
     * are found too; live, the two clocks agree.
     */
    /** The start of the look-back by the event clock: closed incidents older than this leave the working set. */
    private Instant eventLookbackStart() {
        return (eventClock == null ? clock.instant() : eventClock).minus(settings.lookback());
    }

    private Instant retentionCutoff() {
        Instant latest = eventClock == null ? clock.instant() : eventClock;
        return latest.minus(settings.lookback()).minus(settings.clusterWindow());
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    // --- for tests -----------------------------------------------------------------------------------

    FailureWindows windows() {
        return windows;
    }

    RecentErrors errors() {
        return errors;
    }

    int holdCount() {
        return holds.size();
    }
}
