package io.synctriage.engine.internal;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Random;

import org.junit.Test;

import io.synctriage.model.Peer;

/** The allocation-free peer comparisons of S2 answer exactly what comparing the derived strings answers. */
public class FleetAnalysisTest {

    @Test
    public void withinEqualsComparingTheDuration() {
        Random random = new Random(13);
        long[] seconds = {0, 1, -1, 1799, 1800, 1801, -1800, -1801, 86_400, 1_774_017_130L, -62_000_000_000L};
        int[] nanos = {0, 1, 999_999_999, 500_000_000};
        for (int round = 0; round < 200_000; round++) {
            java.time.Instant t = java.time.Instant.ofEpochSecond(1_774_017_130L + random.nextInt(7200) - 3600,
                    nanos[random.nextInt(nanos.length)]);
            java.time.Instant at = random.nextBoolean()
                    ? t.plusSeconds(seconds[random.nextInt(seconds.length)]).plusNanos(nanos[random.nextInt(nanos.length)])
                    : java.time.Instant.ofEpochSecond(random.nextLong() % 10_000_000_000L, random.nextInt(1_000_000_000));
            java.time.Duration window = java.time.Duration.ofSeconds(random.nextInt(4000), random.nextBoolean() ? 0
                    : nanos[random.nextInt(nanos.length)]);
            assertEquals(at + " " + t + " " + window, java.time.Duration.between(at, t).abs().compareTo(window) <= 0,
                    FleetAnalysis.within(at, t, window));
        }
    }

    @Test
    public void domainAndEmailComparisonsEqualTheDefinitions() {
        String[] pieces = {"a", "B", "@", "@", ".", "-", " ", "\t", "x.io", "EXAMPLE.com", "example.com", "\u0130", "\u212A",
            "\u00e9", "\u00c9", "k", "i"};
        String[] candidates = {"example.com", "x.io", "b", "a@example.com", "ab@x.io", "k", "i\u0307", "\u00e9", "a@b"};
        Random random = new Random(7);
        for (int round = 0; round < 100_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(6); i >= 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String email = random.nextInt(20) == 0 ? null : sb.toString();
            Peer p = new Peer("p", email, null, null, null, null, null, List.of());
            String wanted = random.nextBoolean() && p.domain() != null ? p.domain()
                    : random.nextBoolean() && p.normalizedEmail() != null ? p.normalizedEmail()
                    : candidates[random.nextInt(candidates.length)];
            assertEquals("[" + email + "] domain " + wanted, wanted.equals(p.domain()), FleetAnalysis.hasDomain(p, wanted));
            assertEquals("[" + email + "] email " + wanted, wanted.equals(p.normalizedEmail()),
                    FleetAnalysis.hasNormalizedEmail(p, wanted));
        }
    }
}
