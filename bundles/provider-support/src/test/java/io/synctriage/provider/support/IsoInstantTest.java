package io.synctriage.provider.support;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.util.Random;

import org.junit.Test;

public class IsoInstantTest {

    @Test
    public void writesWhatInstantToStringWrites() {
        Random random = new Random(31);
        long tenThousand = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();
        int[] nanos = {0, 1, 7, 10, 999, 1_000, 120_000, 999_999, 1_000_000, 5_000_000, 123_456_789, 500_000_000,
            999_999_999};
        for (int i = 0; i < 200_000; i++) {
            long seconds = switch (i % 4) {
                case 0 -> random.nextLong() % 2_000_000_000L; // around 1970, before it too
                case 1 -> Math.floorMod(random.nextLong(), tenThousand + 2 * 86_400L) - 86_400L;
                case 2 -> 1_700_000_000L + random.nextInt(200_000_000); // today's evidence
                default -> (random.nextInt(20_000) - 10_000) * 86_400L + random.nextInt(3) - 1; // day edges
            };
            int nano = i % 3 == 0 ? random.nextInt(1_000_000_000) : nanos[random.nextInt(nanos.length)];
            Instant t = Instant.ofEpochSecond(seconds, nano);
            assertEquals(t.toString(), IsoInstant.format(t));
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            "+10000-01-01T00:00:00Z", "2000-02-29T12:00:00Z", "2100-03-01T00:00:00Z", "1969-12-31T23:59:59Z",
            "-0001-01-01T00:00:00Z"}) {
            Instant t = Instant.parse(edge);
            assertEquals(t.toString(), IsoInstant.format(t));
        }
    }
}
