package io.synctriage.engine.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A fast path for the one timestamp shape nearly every evidence bundle uses:
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM)}. {@code DateTimeFormatter} parsing (a field map,
 * a resolver, exceptions for each rejected form) was the largest cost of normalising a bundle, which
 * has a hundred or more timestamps.
 *
 * <p>It answers only what {@code ISO_OFFSET_DATE_TIME} (strict) answers the same way; for anything
 * else (lower-case letters, missing seconds, an invalid date such as February 30, hour 24, leap
 * seconds, offsets with seconds) it returns null and the caller's full parser decides, with its
 * errors.
 */
final class IsoInstants {

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
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
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
            int oh = digits(s, i + 1, i + 3);
            int om = digits(s, i + 4, i + 6);
            if (oh < 0 || om < 0 || oh > 17 || om > 59) {
                return null; // ±18:00 is the limit; let the full parser judge the edge
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay(); // rejects February 30 like the strict parser
        } catch (DateTimeException e) {
            return null;
        }
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The non-negative number written by the ASCII digits in [from, to), or -1 if one is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
