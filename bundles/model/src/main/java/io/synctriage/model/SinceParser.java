package io.synctriage.model;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code since} parameter: a point in time as the evidence bundle spells times (ISO-8601 with {@code Z} or
 * an offset, without one it is UTC, a bare date is midnight UTC; or epoch seconds), or a look-back from now
 * ({@code 7d}, {@code 12h}, {@code 30m}, {@code 90s}, {@code 2w}, or ISO-8601 {@code P7D} / {@code PT12H}) — the
 * spelling of {@code GET /api/v1/fleet/incidents?since=} and of the shell's {@code --since}. Reached through
 * {@link IncidentQuery#parseSince(String, Instant)}: one reader for both surfaces.
 */
final class SinceParser {

    /** What a {@code since} may be, for error messages. */
    static final String FORMS = "an ISO-8601 time (2026-05-01T00:00:00Z), epoch seconds or a look-back such as 7d, "
            + "12h or 30m";

    private static final Pattern LOOK_BACK =
            Pattern.compile("(\\d{1,9})\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)");
    private static final Pattern EPOCH = Pattern.compile("\\d+(\\.\\d+)?");
    /** Epoch values from here on are milliseconds, as in the evidence normaliser: no evidence is from year 5138. */
    private static final double EPOCH_MILLIS_FROM = 1e11;

    private SinceParser() {
    }

    /**
     * @param value the parameter, trimmed and not blank
     * @param now   the moment a look-back counts from
     * @throws IllegalArgumentException with a message for a person when it is none of the accepted forms
     */
    static Instant parse(String value, Instant now) {
        String s = value.trim();
        try {
            if (EPOCH.matcher(s).matches()) {
                double epoch = Double.parseDouble(s);
                if (epoch >= EPOCH_MILLIS_FROM) {
                    return Instant.ofEpochMilli((long) epoch);
                }
                long seconds = (long) epoch;
                return Instant.ofEpochSecond(seconds, (long) ((epoch - seconds) * 1e9));
            }
            Matcher lookBack = LOOK_BACK.matcher(s.toLowerCase(Locale.ROOT));
            if (lookBack.matches()) {
                return now.minus(unit(lookBack.group(2)).multipliedBy(Long.parseLong(lookBack.group(1))));
            }
            if (s.length() > 1 && (s.charAt(0) == 'P' || s.charAt(0) == 'p')) {
                return now.minus(Duration.parse(s));
            }
            return isoTime(s);
        } catch (DateTimeException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + value + "' is not " + FORMS);
        }
    }

    private static Duration unit(String unit) {
        switch (unit.charAt(0)) {
            case 's':
                return Duration.ofSeconds(1);
            case 'm':
                return Duration.ofMinutes(1);
            case 'h':
                return Duration.ofHours(1);
            case 'd':
                return Duration.ofDays(1);
            default:
                return Duration.ofDays(7);
        }
    }

    private static Instant isoTime(String s) {
        // In a query string an unencoded "+" of an offset arrives as a space: "…T10:00:00 02:00" meant "+02:00".
        String t = s.indexOf('T') > 0 ? s.replace(' ', '+') : s.replaceFirst(" ", "T").replace(' ', '+');
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException ignored) {
            // no offset: UTC, below
        }
        try {
            return LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // a bare date, below
        }
        return LocalDate.parse(t, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
