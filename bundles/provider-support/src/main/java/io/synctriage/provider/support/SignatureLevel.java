package io.synctriage.provider.support;

import java.util.Locale;

/** How strongly a signature row names its cause (the {@code level} column). */
public enum SignatureLevel {
    /** A specific provider code or string that maps to one cause (decision-tree precedence 3). */
    SPECIFIC,
    /** Points at a cause only under conditions the check verifies (repetition, no auth error...). */
    HEURISTIC,
    /** Tells the kind of failure only; names no cause (generic or transient codes). */
    INFO;

    /** The table spelling: {@code specific}, {@code heuristic}, {@code info}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
