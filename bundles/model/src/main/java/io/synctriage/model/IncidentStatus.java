package io.synctriage.model;

/**
 * Whether an incident is still growing. An incident is {@code OPEN} while new accounts keep joining
 * it and {@code CLOSED} once the fleet has been quiet about it for the configured quiet period; a
 * closed incident that recurs is opened again (its {@link Incident#reopenCount()} goes up).
 *
 * @since 1.2
 */
public enum IncidentStatus {
    OPEN, CLOSED;

    /** The wire name: {@code open} / {@code closed}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a wire name, case-insensitively; null when it is none. */
    public static IncidentStatus ofWireName(String s) {
        if (s == null) {
            return null;
        }
        for (IncidentStatus v : values()) {
            if (v.name().equalsIgnoreCase(s.trim())) {
                return v;
            }
        }
        return null;
    }
}
