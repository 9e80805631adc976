package io.synctriage.engine.internal;

import java.time.Instant;

/**
 * A fast path for the one timestamp shape nearly every evidence bundle uses:
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM)}. {@code DateTimeFormatter} parsing (a field map,
 * a resolver, exceptions for each rejected form) was the largest cost of normalising a bundle, which
 * has a hundred or more timestamps; so was {@code LocalDate.of} itself, whose date arithmetic is done
 * here directly.
 *
 * <p>It answers only what {@code ISO_OFFSET_DATE_TIME} (strict) answers the same way; for anything
 * else (lower-case letters, missing seconds, an invalid date such as February 30, hour 24, leap
 * seconds, offsets with seconds) it returns null and the caller's full parser decides, with its
 * errors.
 */
final class IsoInstants {

    /** Days from 0000-01-01 to 1970-01-01 (as in {@code LocalDate}). */
    private static final long DAYS_0000_TO_1970 = (146_097L * 5L) - (30L * 365L + 7L);
    /** Days of a common year before the first of each month (index 1-12). */
    private static final int[] DAYS_BEFORE = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    /** Length of each month (index 1-12) in a common year. */
    private static final int[] LENGTH_OF_MONTH = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private IsoInstants() {
    }

    /** The instant of {@code s} in the common shape, or null when {@code s} is not exactly in that shape. */
    static Instant parseCommon(String s) {
        int n = s.length();
        // "2026-03-20T14:31:58Z" is the shortest form: 20 characters
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int century = twoDigits(s, 0);
        int yearOfCentury = twoDigits(s, 2);
        int month = twoDigits(s, 5);
        int day = twoDigits(s, 8);
        int hour = twoDigits(s, 11);
        int minute = twoDigits(s, 14);
        int second = twoDigits(s, 17);
        if ((century | yearOfCentury | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59
                || second > 59) {
            return null;
        }
        int year = century * 100 + yearOfCentury;
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || i < n && isDigit(s.charAt(i))) {
                return null; // no digit, or more than nine
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = twoDigits(s, i + 1);
            int om = twoDigits(s, i + 4);
            if (oh < 0 || om < 0 || oh > 17 || om > 59) {
                return null; // ±18:00 is the limit; let the full parser judge the edge
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        // February 30 is rejected like the strict parser rejects it; years are 0000-9999 here, all valid
        if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month)) {
            return null;
        }
        long seconds = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        // most timestamps have no fraction: the one-argument form skips normalising the nanos
        return nanos == 0 ? Instant.ofEpochSecond(seconds) : Instant.ofEpochSecond(seconds, nanos);
    }

    /**
     * Days from 1970-01-01 to a valid date of a non-negative year: {@code LocalDate.toEpochDay}'s
     * arithmetic, without building the LocalDate (its field validation was most of a parse).
     */
    static long epochDay(int year, int month, int day) {
        // int arithmetic (years 0-9999): divisions by constants become multiplications
        int total = 365 * year + ((year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400) + DAYS_BEFORE[month]
                + day - 1;
        if (month > 2 && isLeapYear(year)) {
            total++;
        }
        return total - DAYS_0000_TO_1970;
    }

    private static int lengthOfMonth(int year, int month) {
        return month == 2 && isLeapYear(year) ? 29 : LENGTH_OF_MONTH[month];
    }

    /** The proleptic ISO rule of {@code IsoChronology.isLeapYear}. */
    private static boolean isLeapYear(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /**
     * The number written by the two ASCII digits at {@code s[i]}, or a negative number if either is not
     * a digit. Without branches: a timestamp has seven such pairs and a bundle a hundred timestamps.
     */
    private static int twoDigits(String s, int i) {
        int tens = s.charAt(i) - '0';
        int units = s.charAt(i + 1) - '0';
        // (d | (9 - d)) is negative exactly when d is not 0-9
        return (tens | (9 - tens) | units | (9 - units)) < 0 ? -1 : tens * 10 + units;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
