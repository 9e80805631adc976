package io.synctriage.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.synctriage.model.Cause;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.spi.FleetFailure;
import io.synctriage.model.spi.IncidentCandidate;
import io.synctriage.model.spi.PatternKind;

/**
 * The tracker's working set of incidents: the open ones and those closed within the look-back (which a
 * recurrence reopens), merged by {@link IncidentCandidate#key()}. Merging is idempotent: a candidate whose
 * failures are all counted already changes nothing, so replaying the feed after a restart adds no member twice.
 */
final class IncidentBook {

    /** What a merge did. */
    enum Outcome { CREATED, REOPENED, JOINED, UNCHANGED }

    private final Duration quietPeriod;
    private final Map<String, TrackedIncident> byId = new HashMap<>();
    /** The latest incident of each key. */
    private final Map<String, TrackedIncident> byKey = new HashMap<>();
    private long lastNumber;

    IncidentBook(Duration quietPeriod) {
        this.quietPeriod = quietPeriod;
    }

    void load(List<Incident> incidents, long lastIncidentNumber) {
        byId.clear();
        byKey.clear();
        lastNumber = lastIncidentNumber;
        for (Incident i : incidents) {
            TrackedIncident t = TrackedIncident.of(i);
            byId.put(t.id, t);
            TrackedIncident other = byKey.get(t.key);
            if (other == null || other.lastAt == null || (t.lastAt != null && t.lastAt.isAfter(other.lastAt))) {
                byKey.put(t.key, t);
            }
            lastNumber = Math.max(lastNumber, numberOf(t.id));
        }
    }

    /** The merged incident and what happened to it. */
    record Merge(TrackedIncident incident, Outcome outcome) {
    }

    Merge merge(IncidentCandidate c, Instant now) {
        if (c.members().isEmpty()) {
            return new Merge(null, Outcome.UNCHANGED);
        }
        String key = c.key();
        TrackedIncident t = byKey.get(key);
        Outcome outcome = Outcome.JOINED;
        if (t == null) {
            t = new TrackedIncident(nextId(), key, c.kind(), c.domain(), c.cause(), c.family());
            byId.put(t.id, t);
            byKey.put(key, t);
            outcome = Outcome.CREATED;
        } else {
            Instant earliestNew = null;
            Instant latestNew = null;
            for (FleetFailure f : c.members()) {
                if (!t.hasFailure(f)) {
                    earliestNew = earliestNew == null || f.at().isBefore(earliestNew) ? f.at() : earliestNew;
                    latestNew = latestNew == null || f.at().isAfter(latestNew) ? f.at() : latestNew;
                }
            }
            Duration quiet = t.quietPeriod(quietPeriod);
            // open, but quiet for longer than its quiet period before these failures (both in one batch):
            // it closed in between, whenever the batch boundaries fell
            if (t.status == IncidentStatus.OPEN && earliestNew != null && t.lastAt != null
                    && earliestNew.isAfter(t.lastAt.plus(quiet))) {
                close(t, now);
            }
            if (t.status == IncidentStatus.CLOSED && latestNew != null && t.closedAt != null
                    && latestNew.isAfter(t.closedAt)) {
                t.status = IncidentStatus.OPEN;
                t.closedAt = null;
                t.reopenCount++;
                outcome = Outcome.REOPENED;
            }
        }
        boolean changed = apply(t, c);
        if (t.status == IncidentStatus.CLOSED && t.lastAt != null) {
            // a failure that arrived late (before it closed) joins without reopening; the closing moves with it
            Instant closeAt = t.lastAt.plus(t.quietPeriod(quietPeriod));
            if (t.closedAt == null || closeAt.isAfter(t.closedAt)) {
                t.closedAt = closeAt;
                changed = true;
            }
        }
        if (changed || outcome != Outcome.JOINED) {
            t.dirty = true;
            t.updatedAt = now;
        }
        return new Merge(t, outcome == Outcome.JOINED && !changed ? Outcome.UNCHANGED : outcome);
    }

    private static boolean apply(TrackedIncident t, IncidentCandidate c) {
        boolean changed = false;
        for (FleetFailure f : c.members()) {
            changed |= t.addFailure(f, interval(c, f));
        }
        Cause cause = refined(t.kind, t.cause, c.cause());
        if (cause != t.cause) {
            t.cause = cause;
            changed = true;
        }
        if (c.periodSeconds() != null && !c.periodSeconds().equals(t.periodSeconds)) {
            t.periodSeconds = c.periodSeconds();
            changed = true;
        }
        if (c.toleranceSeconds() != null && !c.toleranceSeconds().equals(t.toleranceSeconds)) {
            t.toleranceSeconds = c.toleranceSeconds();
            changed = true;
        }
        if (t.family != null && c.family() != t.family) {
            t.family = null; // members span families now
            changed = true;
        }
        return changed;
    }

    /**
     * The cause after a merge. Refinement only sharpens: a candidate that names the generic pattern cause
     * (its failures in this window logged no admin code) does not undo a specific cause the incident's
     * members named before — e.g. codes imported after the webhooks, or a replay without them.
     */
    static Cause refined(PatternKind kind, Cause current, Cause candidate) {
        if (candidate == null) {
            return current;
        }
        Cause generic = switch (kind) {
            case SAME_MOMENT -> Cause.ADMIN_DISCONNECTED;
            case RECURRING -> Cause.DOMAIN_SESSION_POLICY;
            case FLAPPING -> Cause.UNDETERMINED;
            default -> null;
        };
        if (generic != null && candidate == generic && current != null && current != generic) {
            return current;
        }
        return candidate;
    }

    /** A member's interval: from its (re)authentication — or, for inactivity, its last use — to the failure. */
    private static Long interval(IncidentCandidate c, FleetFailure f) {
        if (c.kind() != PatternKind.RECURRING && c.kind() != PatternKind.SCHEDULE) {
            return null;
        }
        if (c.cause() == Cause.REFRESH_TOKEN_INACTIVE) {
            return InactivityDetector.idleSeconds(f);
        }
        return f.secondsSinceReauth();
    }

    /** Closes the open incidents that have been quiet for their quiet period; returns them. */
    List<TrackedIncident> closeQuiet(Instant now) {
        List<TrackedIncident> closed = new ArrayList<>();
        for (TrackedIncident t : byId.values()) {
            if (t.status == IncidentStatus.OPEN && t.lastAt != null
                    && now.isAfter(t.lastAt.plus(t.quietPeriod(quietPeriod)))) {
                close(t, now);
                closed.add(t);
            }
        }
        return closed;
    }

    private void close(TrackedIncident t, Instant now) {
        t.status = IncidentStatus.CLOSED;
        // when it became quiet, not when the tracker noticed: the same answer whatever the polling
        t.closedAt = t.lastAt.plus(t.quietPeriod(quietPeriod));
        t.dirty = true;
        t.updatedAt = now;
    }

    List<TrackedIncident> dirty() {
        List<TrackedIncident> out = new ArrayList<>();
        for (TrackedIncident t : byId.values()) {
            if (t.dirty) {
                out.add(t);
            }
        }
        return out;
    }

    static void markSaved(List<TrackedIncident> saved) {
        saved.forEach(t -> t.dirty = false);
    }

    /** Forgets saved closed incidents whose last failure left the look-back: a recurrence opens a new one. */
    void evict(Instant cutoff) {
        byId.values().removeIf(t -> t.status == IncidentStatus.CLOSED && !t.dirty && t.lastAt != null
                && t.lastAt.isBefore(cutoff));
        byKey.values().removeIf(t -> !byId.containsKey(t.id));
    }

    int size() {
        return byId.size();
    }

    private String nextId() {
        lastNumber++;
        return String.format("inc-%06d", lastNumber);
    }

    private static long numberOf(String id) {
        if (id != null && id.startsWith("inc-")) {
            try {
                return Long.parseLong(id.substring(4));
            } catch (NumberFormatException notOurs) {
                return 0;
            }
        }
        return 0;
    }
}
