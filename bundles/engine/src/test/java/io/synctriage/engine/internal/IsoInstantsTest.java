package io.synctriage.engine.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.Test;

/** The fast path must answer exactly what the strict ISO parser answers, or leave the text to it. */
public class IsoInstantsTest {

    /** The strict parser's answer, or null where it rejects the text. */
    private static Instant reference(String s) {
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Test
    public void parsesTheCommonShapes() {
        assertEquals(Instant.parse("2026-03-20T14:31:58Z"), IsoInstants.parseCommon("2026-03-20T14:31:58Z"));
        assertEquals(Instant.parse("2026-03-20T14:31:58.120Z"), IsoInstants.parseCommon("2026-03-20T14:31:58.12Z"));
        assertEquals(Instant.parse("2026-03-20T14:31:58.123456789Z"),
                IsoInstants.parseCommon("2026-03-20T14:31:58.123456789Z"));
        assertEquals(Instant.parse("2026-03-20T12:01:58Z"), IsoInstants.parseCommon("2026-03-20T14:31:58+02:30"));
        assertEquals(Instant.parse("2026-03-21T00:31:58Z"), IsoInstants.parseCommon("2026-03-20T14:31:58-10:00"));
        assertEquals(Instant.parse("2024-02-29T23:59:59Z"), IsoInstants.parseCommon("2024-02-29T23:59:59Z"));
    }

    @Test
    public void leavesEverythingElseToTheFullParser() {
        for (String s : List.of("2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "2026-13-01T10:00:00Z",
                "2026-00-01T10:00:00Z", "2026-01-00T10:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T10:60:00Z",
                "2026-01-01T10:00:60Z", "2026-01-01t10:00:00Z", "2026-01-01T10:00:00z", "2026-01-01 10:00:00Z",
                "2026-01-01T10:00Z", "2026-01-01T10:00:00", "2026-01-01T10:00:00.Z", "2026-01-01T10:00:00.1234567890Z",
                "2026-01-01T10:00:00+18:00", "2026-01-01T10:00:00+0200", "2026-01-01T10:00:00+02:00:30",
                "2026-01-01T10:00:00+02", "+2026-01-01T10:00:00Z", "2026-1-01T10:00:00Z", "2026-01-01T10:00:00ZZ",
                "2026-01-01T10:00:00+ab:00", "2026-01-01T1a:00:00Z")) {
            Instant fast = IsoInstants.parseCommon(s);
            if (fast != null) {
                assertEquals(s, reference(s), fast);
            }
        }
        assertNull(IsoInstants.parseCommon("2026-02-30T10:00:00Z"));
        assertNull(IsoInstants.parseCommon("2026-01-01T24:00:00Z"));
    }

    /** The date arithmetic is LocalDate's, on every day of years that test the leap rules, and day 0-32 of each month. */
    @Test
    public void epochDaysAreLocalDates() {
        for (int year : new int[] {0, 1, 3, 4, 100, 399, 400, 1582, 1600, 1900, 1969, 1970, 2000, 2024, 2025, 2026, 2100, 9999}) {
            for (int month = 1; month <= 12; month++) {
                for (int day = 0; day <= 32; day++) {
                    String s = String.format("%04d-%02d-%02dT12:34:56Z", year, month, day);
                    java.time.LocalDate date;
                    try {
                        date = java.time.LocalDate.of(year, month, day);
                    } catch (java.time.DateTimeException e) {
                        assertNull(s, IsoInstants.parseCommon(s));
                        continue;
                    }
                    assertEquals(s, date.toEpochDay(), IsoInstants.epochDay(year, month, day));
                    assertEquals(s, reference(s), IsoInstants.parseCommon(s));
                }
            }
        }
    }

    /** Random mutations of valid timestamps: never an answer the strict parser would not give. */
    @Test
    public void neverDisagreesWithTheStrictParser() {
        Random random = new Random(42);
        String alphabet = "0123456789-:T.Z+zt ";
        List<String> seeds = new ArrayList<>(List.of("2026-03-20T14:31:58Z", "2026-03-20T14:31:58.5Z",
                "2026-03-20T14:31:58+05:45", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-17:59"));
        int fast = 0;
        for (int round = 0; round < 200_000; round++) {
            char[] c = seeds.get(random.nextInt(seeds.size())).toCharArray();
            for (int k = random.nextInt(3); k >= 0; k--) {
                c[random.nextInt(c.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String s = new String(c);
            Instant got = IsoInstants.parseCommon(s);
            if (got != null) {
                fast++;
                assertEquals(s, reference(s), got);
            }
        }
        assertTrue("the fast path must take some of the mutations", fast > 1000);
    }
}
