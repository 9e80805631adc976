package io.synctriage.model;

/** The answer to one decision-tree question in a {@link TraceStep}. */
public enum Answer {
    YES, NO, SKIPPED, UNKNOWN;

    /** The wire form used by the contract: {@code yes}, {@code no}, {@code skipped}, {@code unknown}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
