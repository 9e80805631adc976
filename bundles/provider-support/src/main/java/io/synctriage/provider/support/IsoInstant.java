package io.synctriage.provider.support;

import java.time.Instant;

/**
 * {@link Instant#toString()} for the instants evidence has (1970 to 9999), written directly: the JDK
 * formats through {@code DateTimeFormatter.ISO_INSTANT} (a LocalDateTime, a StringBuilder and a printer
 * chain per call), and every finding and code step quotes its time. Other instants are left to the JDK.
 */
final class IsoInstant {

    /** 10000-01-01T00:00:00Z: from there on the JDK writes a five-digit year with a sign. */
    private static final long YEAR_10000 = 253_402_300_800L;
    private static final long DAYS_0000_TO_1970 = (146_097L * 5L) - (30L * 365L + 7L);
    private static final long DAYS_PER_CYCLE = 146_097L;

    private IsoInstant() {
    }

    /** Exactly {@code t.toString()}. */
    static String format(Instant t) {
        long seconds = t.getEpochSecond();
        if (seconds < 0 || seconds >= YEAR_10000) {
            return t.toString();
        }
        long epochDay = seconds / 86_400;
        int secondOfDay = (int) (seconds % 86_400);
        // LocalDate.ofEpochDay's arithmetic, for days on and after 1970-01-01 (no negative adjustment)
        long zeroDay = epochDay + DAYS_0000_TO_1970 - 60; // from 0000-03-01: the leap day ends a cycle
        long year = (400 * zeroDay + 591) / DAYS_PER_CYCLE;
        long dayOfYear = zeroDay - (365 * year + year / 4 - year / 100 + year / 400);
        if (dayOfYear < 0) {
            year--;
            dayOfYear = zeroDay - (365 * year + year / 4 - year / 100 + year / 400);
        }
        int marchMonth0 = ((int) dayOfYear * 5 + 2) / 153;
        int month = (marchMonth0 + 2) % 12 + 1;
        int day = (int) dayOfYear - (marchMonth0 * 306 + 5) / 10 + 1;
        year += marchMonth0 / 10;

        int nano = t.getNano();
        // ISO_INSTANT writes the fraction in groups of three digits, as many as it needs
        int fraction = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        char[] out = new char[20 + (fraction == 0 ? 0 : fraction + 1)];
        digits(out, 0, (int) year, 4);
        out[4] = '-';
        digits(out, 5, month, 2);
        out[7] = '-';
        digits(out, 8, day, 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        if (fraction > 0) {
            out[19] = '.';
            digits(out, 20, nano / pow10(9 - fraction), fraction);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    /** Writes {@code value} as {@code width} decimal digits, zero-padded, at {@code out[at]}. */
    private static void digits(char[] out, int at, int value, int width) {
        int v = value;
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    private static int pow10(int n) {
        int p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
