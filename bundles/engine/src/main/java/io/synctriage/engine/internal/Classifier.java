package io.synctriage.engine.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.synctriage.model.ProviderFamily;
import io.synctriage.model.Subject;
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
    }

    private final GenericSignals generic;
    private final Function<ProviderFamily, BoundCheck> checks;
    private final List<String> problems = new ArrayList<>();
    /**
     * One classification per distinct text and subject within a diagnosis: S2, S3, S5 and T all look at
     * the same lines, and classification is the costly part (regex tables). Subjects are compared by
     * identity (a peer's record equality would compare its whole event list).
     */
    private final Map<Subject, Map<String, Classified>> cache = new IdentityHashMap<>();

    Classifier(GenericSignals generic, Function<ProviderFamily, BoundCheck> checks) {
        this.generic = generic;
        this.checks = checks;
    }

    Classified classify(String error, String message, Subject subject) {
        if ((error == null || error.isEmpty()) && (message == null || message.isEmpty())) {
            return Classified.NONE;
        }
        String key = (error == null ? "" : error) + '\u0000' + (message == null ? "" : message);
        Map<String, Classified> known = cache.computeIfAbsent(subject, s -> new HashMap<>());
        Classified c = known.get(key);
        if (c == null) {
            c = classifyUncached(error, message, subject);
            known.put(key, c);
        }
        return c;
    }

    private Classified classifyUncached(String error, String message, Subject subject) {
        List<Match> matches = List.of();
        BoundCheck bound = subject.family() == null ? null : checks.apply(subject.family());
        if (bound != null) {
            try {
                List<Match> m = bound.check().classify(error, message, subject);
                matches = m == null ? List.of() : m;
            } catch (RuntimeException e) {
                problem("provider checks for " + subject.family().id() + " failed to classify a log line: " + e);
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
            String text = error == null ? message : message == null ? error : error + " " + message;
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
