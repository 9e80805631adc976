package io.synctriage.model.spi;

/**
 * Precedence of a {@link Finding} (decision-tree.md, Precedence 2-4). An app-side action (1) is
 * only ever found by the engine's S1.
 */
public enum Level {
    /** A fleet pattern that names its own cause (e.g. the Google Testing-mode schedule). */
    PATTERN,
    /** A specific provider error code or string that maps to one cause. */
    SPECIFIC,
    /** A single-account heuristic (inbox count, repeated errors, UIDVALIDITY resyncs...). */
    HEURISTIC
}
