package io.synctriage.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.synctriage.model.FailureClassifier;
import io.synctriage.model.StateChange;
import io.synctriage.model.spi.FleetFailure;
import io.synctriage.model.spi.Match;

/**
 * Turns a stored state change into the {@link FleetFailure} the detectors see: the error it names, from
 * the change itself or from the account's errors logged shortly before it, classified by the engine's
 * {@link FailureClassifier} (the same classification a diagnosis uses, so that an incident and a stored
 * diagnosis name the same cause for the same codes). The best match wins: a specific cause first, then an
 * error kind, then a bare signature.
 */
final class FailureLinker {

    private static final Logger LOG = LoggerFactory.getLogger(FailureLinker.class);

    /** Logged texts are cut to this many characters in memory: the code that names a cause comes first. */
    static final int MAX_TEXT = 160;

    /**
     * What one text says, ranked: 3 a specific cause, 2 an error kind, 1 a signature only, 0 nothing.
     *
     * @param match the best match, or null
     * @param text  the text that gave it (error and message joined), or null
     */
    record Linked(Match match, String text, int rank) {
        static final Linked NONE = new Linked(null, null, 0);
    }

    private final FailureClassifier classifier;
    private final Duration errorWindow;
    /** State, trigger and provider spellings shared by every failure in memory. */
    private final Map<String, String> canonical = new HashMap<>();
    private long classifierFailures;

    FailureLinker(FailureClassifier classifier, Duration errorWindow) {
        this.classifier = classifier;
        this.errorWindow = errorWindow;
    }

    /**
     * The failure of this state change, linked to its own error or to the best of the account's lines
     * logged in {@code (max(at - error window, latest re-authentication), at]}.
     *
     * @param sameAccount a failure of the same account already in memory (its id and email strings are
     *                    shared), or null
     */
    FleetFailure link(StateChange sc, List<RecentErrors.Line> recent, FleetFailure sameAccount) {
        StateChange change = compact(sc, sameAccount == null ? null : sameAccount.change());
        Linked best = classify(change.error(), change.message(), change);
        for (int i = recent.size() - 1; i >= 0; i--) { // nearest before the failure first: it wins a tie
            RecentErrors.Line l = recent.get(i);
            if (explains(l.at, change)) {
                Linked c = classify(l, change);
                if (c.rank() > best.rank()) {
                    best = c;
                }
            }
        }
        return failure(change, best);
    }

    /** Whether an error logged at {@code at} may explain this failure. */
    boolean explains(Instant at, StateChange change) {
        if (at.isAfter(change.at()) || at.isBefore(change.at().minus(errorWindow))) {
            return false;
        }
        // an error logged before the latest re-authentication belongs to an earlier failure
        return change.reauthAt() == null || at.isAfter(change.reauthAt());
    }

    /** The window start for {@link RecentErrors#linesFor}: the error window before the failure. */
    Instant windowStart(Instant failureAt) {
        return failureAt.minus(errorWindow);
    }

    /** The failure with a better-ranked line, or null when the line does not improve it. */
    FleetFailure improve(FleetFailure current, RecentErrors.Line line) {
        if (!explains(line.at, current.change())) {
            return null;
        }
        Linked c = classify(line, current.change());
        return c.rank() > rank(current) ? failure(current.change(), c) : null;
    }

    static int rank(FleetFailure f) {
        return f.cause() != null ? 3 : f.kind() != null ? 2 : f.signature() != null ? 1 : 0;
    }

    private Linked classify(RecentErrors.Line line, StateChange subject) {
        if (!line.classified || line.classifiedFor != subject.family()) {
            line.linked = classify(line.error, line.message, subject);
            line.classifiedFor = subject.family();
            line.classified = true;
        }
        return line.linked;
    }

    private Linked classify(String error, String message, StateChange subject) {
        if (blank(error) && blank(message)) {
            return Linked.NONE;
        }
        List<Match> matches;
        try {
            matches = classifier.classify(error, message, subject);
        } catch (RuntimeException e) {
            // a broken provider check must cost a failure its signature, never stop the tracker
            if (classifierFailures++ % 1000 == 0) {
                LOG.warn("Failure classification failed ({} time(s) so far); the failure is kept without a signature",
                        classifierFailures, e);
            }
            return Linked.NONE;
        }
        Match best = best(matches);
        if (best == null) {
            return Linked.NONE;
        }
        int rank = best.cause() != null && best.specific() ? 3 : best.kind() != null ? 2 : best.signature() != null ? 1 : 0;
        return new Linked(best, join(error, message), rank);
    }

    /** A specific cause first, then the first that tells a kind, then the first (the classifier orders best first). */
    static Match best(List<Match> matches) {
        if (matches == null || matches.isEmpty()) {
            return null;
        }
        for (Match m : matches) {
            if (m != null && m.specific() && m.cause() != null) {
                return m;
            }
        }
        for (Match m : matches) {
            if (m != null && m.kind() != null) {
                return m;
            }
        }
        return matches.get(0);
    }

    private static FleetFailure failure(StateChange change, Linked l) {
        Match m = l.match();
        if (m == null) {
            return new FleetFailure(change, null, null, null, null);
        }
        // FleetFailure.cause is "the specific cause that error names": a heuristic's cause is only a guess
        return new FleetFailure(change, m.signature(), m.specific() ? m.cause() : null, m.kind(), l.text());
    }

    /**
     * A copy that holds no more than the detectors need: shared spellings, the account's id and email
     * strings shared with its earlier failure, texts cut.
     */
    private StateChange compact(StateChange sc, StateChange earlier) {
        String id = earlier != null && earlier.accountId().equals(sc.accountId()) ? earlier.accountId() : sc.accountId();
        String email = earlier != null && earlier.email() != null && earlier.email().equals(sc.email())
                ? earlier.email() : sc.email();
        Instant reauth = earlier != null && sc.reauthAt() != null && sc.reauthAt().equals(earlier.reauthAt())
                ? earlier.reauthAt() : sc.reauthAt();
        return new StateChange(sc.seq(), id, email, canonical(sc.provider()), sc.family(), sc.authType(),
                canonical(sc.state()), canonical(sc.previousState()), canonical(sc.trigger()), sc.at(), reauth,
                sc.lastActivityAt(), cut(sc.error()), cut(sc.message()));
    }

    private String canonical(String s) {
        if (s == null || s.length() > 40) {
            return s;
        }
        String known = canonical.get(s);
        if (known != null) {
            return known;
        }
        if (canonical.size() < 4096) { // spellings are few; a flood of odd values is not worth remembering
            canonical.put(s, s);
        }
        return s;
    }

    static String cut(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }

    static String join(String error, String message) {
        if (blank(error)) {
            return blank(message) ? null : cut(message);
        }
        return blank(message) ? cut(error) : cut(error + ": " + message);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
