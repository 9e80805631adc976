package io.synctriage.engine.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.synctriage.model.ProviderFamily;
import io.synctriage.model.Subject;
import io.synctriage.model.spi.DiagnosisMemo;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Match;

/**
 * Classifies a logged failure: the provider check of the subject's family first (specific codes),
 * then the engine's generic signatures (kind only). A provider check that throws is reported, not
 * propagated: a broken or half-stopped provider bundle must degrade a diagnosis, never fail it.
 */
final class Classifier {

    /** The classification of one text. */
    record Classified(ErrorKind kind, List<Match> matches, String label) {
        static final Classified NONE = new Classified(null, List.of(), null);

        boolean isEmpty() {
            return kind == null && matches.isEmpty();
        }

        /**
         * The answer of the {@link io.synctriage.model.FailureClassifier} service: the provider's
         * matches, best first, then — only when none of them tells the error kind, exactly when a
         * diagnosis falls back to it — the generic signature (kind only, no cause, not specific).
         */
        List<Match> asMatches() {
            if (kind == null) {
                return matches;
            }
            for (Match m : matches) {
                if (m.kind() != null) {
                    return matches;
                }
            }
            Match generic = new Match(label, null, kind, false, GENERIC_CONFIDENCE, List.of());
            if (matches.isEmpty()) {
                return List.of(generic);
            }
            List<Match> out = new ArrayList<>(matches.size() + 1);
            out.addAll(matches);
            out.add(generic);
            return List.copyOf(out);
        }
    }

    /**
     * How sure a generic signature is of its kind: "HTTP 503" is surely a server error, but it names
     * no cause and a provider code would have been more telling, so it stays below specific codes.
     */
    static final double GENERIC_CONFIDENCE = 0.5;

    private final GenericSignals generic;
    private final Function<ProviderFamily, BoundCheck> checks;
    private final List<String> problems = new ArrayList<>();
    /**
     * One classification per distinct text and subject within a diagnosis: S2, S3, S5 and T all look at
     * the same lines, and classification is the costly part (regex tables). Subjects are compared by
     * identity (a peer's record equality would compare its whole event list).
     */
    private Map<Subject, Map<Object, Classified>> cache;
    /** The diagnosis's scratch space, handed to the provider checks with each text they classify. */
    private final DiagnosisMemo memo;

    Classifier(GenericSignals generic, Function<ProviderFamily, BoundCheck> checks, DiagnosisMemo memo) {
        this.generic = generic;
        this.checks = checks;
        this.memo = memo;
    }

    Classified classify(String error, String message, Subject subject) {
        if ((error == null || error.isEmpty()) && (message == null || message.isEmpty())) {
            return Classified.NONE;
        }
        if (cache == null) {
            // made on first use: most diagnoses classify only a handful of texts, many none at all
            cache = new IdentityHashMap<>(4);
        }
        Object key = LoggedText.key(error == null ? "" : error, message == null ? "" : message);
        Map<Object, Classified> known = cache.computeIfAbsent(subject, s -> new HashMap<>());
        Classified c = known.get(key);
        if (c == null) {
            c = classifyUncached(error, message, subject);
            known.put(key, c);
        }
        return c;
    }

    /**
     * A logged text as the cache keys it: error and message apart (an absent one as ""), without
     * joining them into one string for every lookup. The cache used to key by {@code error + '\0' +
     * message}; two texts are the same key exactly when those strings are equal, which for texts without
     * a NUL character means equal parts, and texts with one still get that joined string as their key.
     */
    private static final class LoggedText {
        private final String error;
        private final String message;
        private final int hash;

        static Object key(String error, String message) {
            if (error.indexOf('\u0000') >= 0 || message.indexOf('\u0000') >= 0) {
                return error + '\u0000' + message;
            }
            return new LoggedText(error, message);
        }

        private LoggedText(String error, String message) {
            this.error = error;
            this.message = message;
            this.hash = 31 * error.hashCode() + message.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LoggedText t && hash == t.hash && error.equals(t.error) && message.equals(t.message);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private Classified classifyUncached(String error, String message, Subject subject) {
        BoundCheck bound = subject.family() == null ? null : checks.apply(subject.family());
        return classifyOnce(generic, bound, error, message, subject, memo, (b, e) -> problem("provider checks for "
                + subject.family().id() + " failed to classify a log line: " + e));
    }

    /**
     * The one definition of "classify a logged failure", shared by diagnoses (through the cache above)
     * and by the {@link io.synctriage.model.FailureClassifier} service: the provider check of the
     * subject's family first, then the generic signatures for the error kind. Stateless and
     * thread-safe; allocates only what the classification itself needs.
     *
     * @param bound    the provider check of the subject's family bound right now, or null
     * @param memo     the diagnosis's scratch space for the provider check, or null outside a diagnosis
     * @param failures told when the provider check throws (the generic signatures still answer)
     */
    static Classified classifyOnce(GenericSignals generic, BoundCheck bound, String error, String message,
                                   Subject subject, DiagnosisMemo memo,
                                   BiConsumer<BoundCheck, RuntimeException> failures) {
        if ((error == null || error.isEmpty()) && (message == null || message.isEmpty())) {
            return Classified.NONE;
        }
        List<Match> matches = List.of();
        if (bound != null) {
            try {
                List<Match> m = memo == null ? bound.check().classify(error, message, subject)
                        : bound.check().classify(error, message, subject, memo);
                // copyOf keeps an immutable list as it is, and rejects null elements here, inside the guard
                matches = m == null ? List.of() : List.copyOf(m);
            } catch (RuntimeException e) {
                failures.accept(bound, e);
            }
        }
        ErrorKind kind = null;
        String label = null;
        for (Match m : matches) {
            if (m.kind() != null) {
                kind = m.kind();
                label = m.signature();
                break;
            }
        }
        if (kind == null) {
            String text = error == null || error.isEmpty() ? message
                    : message == null || message.isEmpty() ? error : error + " " + message;
            GenericSignals.Signal s = generic.first(text);
            if (s != null) {
                kind = s.kind();
                label = s.label();
            }
        }
        if (kind == null && matches.isEmpty()) {
            return Classified.NONE;
        }
        return new Classified(kind, matches, label);
    }

    BoundCheck checkFor(ProviderFamily family) {
        return family == null ? null : checks.apply(family);
    }

    void problem(String text) {
        if (!problems.contains(text)) {
            problems.add(text);
        }
    }

    List<String> problems() {
        return problems;
    }
}
