package io.synctriage.model;

import java.time.Instant;

/**
 * Filters for listing incidents; null means "any". Strings compare case-insensitively.
 *
 * @param since    only incidents whose {@code lastAt} is at or after this
 * @param domain   incidents with this domain (a provider-wide incident matches when one of its
 *                 {@code domains} is this one)
 * @param provider provider attribute or family id
 * @param cause    the incident's cause
 * @param status   open or closed
 * @param limit    at most this many (1..1000)
 * @param cursor   the {@link IncidentPage#next()} of the previous page, or null for the first
 * @since 1.2
 */
public record IncidentQuery(Instant since, String domain, String provider, Cause cause, IncidentStatus status,
                            int limit, String cursor) {

    public IncidentQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be in 1..1000, got " + limit);
        }
    }

    /** What a {@code since} may be, for error messages. */
    public static final String SINCE_FORMS = SinceParser.FORMS;

    /**
     * Reads a {@code since} as both surfaces accept it: an ISO-8601 time (with {@code Z} or an offset; without
     * one UTC; a bare date is midnight UTC), epoch seconds (milliseconds from 1e11 on), or a look-back from
     * {@code now} ({@code 7d}, {@code 12h}, {@code 30m}, {@code 90s}, {@code 2w}, ISO-8601 {@code P7D}).
     *
     * @throws IllegalArgumentException with a message for a person when it is none of these
     */
    public static Instant parseSince(String value, Instant now) {
        return SinceParser.parse(value, now);
    }
}
