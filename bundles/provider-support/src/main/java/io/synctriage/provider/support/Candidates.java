package io.synctriage.provider.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.synctriage.model.Alternative;
import io.synctriage.model.Cause;
import io.synctriage.model.spi.Level;

/**
 * Turns classified lines into candidate causes: a provider's {@link Resolver} says what each line
 * means for this account (applying its context rules), and the lines that mean the same thing are
 * grouped; the group's deciding line is its latest one before T.
 */
public final class Candidates {

    /** What one line means for the diagnosed account. */
    public record Resolution(Cause cause, Level level, double confidence, List<Alternative> alternatives,
                             String variant, String step) {
        public Resolution {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(level, "level");
            alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
        }

        /** The plain meaning of a row: specific → SPECIFIC, heuristic → HEURISTIC; info rows mean nothing (null). */
        public static Resolution of(Signature s, String step) {
            if (s.level() == SignatureLevel.INFO || s.cause() == null) {
                return null;
            }
            Level level = s.level() == SignatureLevel.SPECIFIC ? Level.SPECIFIC : Level.HEURISTIC;
            return new Resolution(s.cause(), level, s.confidence(), s.alternatives(), null, step);
        }

        public Resolution withCause(Cause c, double conf, List<Alternative> alts) {
            return new Resolution(c, level, conf, alts, variant, step);
        }

        public Resolution withVariant(String v) {
            return new Resolution(cause, level, confidence, alternatives, v, step);
        }
    }

    /** A provider's context rules: what a line means for this account, or null when nothing. */
    @FunctionalInterface
    public interface Resolver {
        Resolution resolve(Hit hit);
    }

    /** Lines that mean the same cause at the same level, oldest first. */
    public record Candidate(Resolution resolution, List<Hit> hits) {
        public Candidate {
            hits = List.copyOf(hits);
            if (hits.isEmpty()) {
                throw new IllegalArgumentException("a candidate needs a line");
            }
        }

        /** The deciding line: the latest before T. */
        public Hit latest() {
            return hits.get(hits.size() - 1);
        }

        public Instant at() {
            return latest().at();
        }

        public Cause cause() {
            return resolution.cause();
        }

        public Level level() {
            return resolution.level();
        }

        public int count() {
            return hits.size();
        }

        /** The deciding row (of the deciding line). */
        public Signature signature() {
            return latest().best();
        }
    }

    private Candidates() {
    }

    /**
     * Groups the hits (oldest first, as {@link LogScan#hits()} gives them) by what they resolve to.
     * The result is ordered by level (PATTERN, SPECIFIC, HEURISTIC), then by deciding line, latest first.
     */
    public static List<Candidate> group(List<Hit> hits, Resolver resolver) {
        Map<List<Object>, List<Hit>> lines = new LinkedHashMap<>();
        Map<List<Object>, Resolution> meaning = new LinkedHashMap<>();
        for (Hit h : hits) {
            Resolution r = resolver.resolve(h);
            if (r == null) {
                continue;
            }
            List<Object> key = java.util.Arrays.asList(r.cause(), r.level(), r.variant(), r.step());
            lines.computeIfAbsent(key, k -> new ArrayList<>()).add(h);
            // The latest line's reading wins (its confidence/alternatives may depend on the line).
            meaning.put(key, r);
        }
        List<Candidate> out = new ArrayList<>();
        for (Map.Entry<List<Object>, List<Hit>> e : lines.entrySet()) {
            out.add(new Candidate(meaning.get(e.getKey()), e.getValue()));
        }
        out.sort(Comparator.comparing(Candidate::level)
                .thenComparing(Candidate::at, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Comparator.comparingDouble((Candidate c) -> c.resolution().confidence()).reversed()));
        return out;
    }
}
