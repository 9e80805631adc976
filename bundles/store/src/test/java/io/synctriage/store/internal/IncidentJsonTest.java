package io.synctriage.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.Test;

import io.synctriage.model.EvidenceItem;
import io.synctriage.model.IncidentMember;

public class IncidentJsonTest {

    @Test
    public void theFastInstantParserAgreesWithInstantParseOnWhatInstantToStringWrites() {
        Random random = new Random(42);
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            long second = (long) (random.nextDouble() * max);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nanos);
            assertEquals(t.toString(), t, IncidentJson.parseUtc(t.toString()));
        }
        assertEquals(Instant.parse("2024-02-29T23:59:59.5Z"), IncidentJson.parseUtc("2024-02-29T23:59:59.5Z"));
    }

    @Test
    public void theFastInstantParserLeavesEverythingElseToInstantParse() {
        for (String s : List.of("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
                "2026-01-01T00:00:00", "2026-01-01T00:00:00+01:00", "2026-01-01T00:00:00.Z",
                "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z", "+12026-01-01T00:00:00Z", "2026-1-01T00:00:00Z")) {
            assertNull(s, IncidentJson.parseUtc(s));
        }
    }

    @Test
    public void detailsSurviveTheRoundTripAndDamageIsReported() {
        IncidentJson.Details d = new IncidentJson.Details(
                List.of(new IncidentMember("a", null, "office365", Instant.parse("2026-05-12T10:00:00.123456Z"), null, 3,
                        "AADSTS50173", 86_400L)),
                List.of("AADSTS50173"), List.of("contoso.com"),
                List.of(new EvidenceItem("auth_log", Instant.parse("2026-05-12T10:00:00Z"), "line \"quoted\"")));
        assertEquals(d, IncidentJson.read(IncidentJson.write(d)));
        assertEquals(new IncidentJson.Details(List.of(), List.of(), List.of(), List.of()), IncidentJson.read("{}"));
        assertThrows(IllegalArgumentException.class, () -> IncidentJson.read("{\"members\":["));
        assertThrows(IllegalArgumentException.class,
                () -> IncidentJson.read("{\"members\":[{\"account_id\":\"a\",\"failed_at\":\"yesterday\"}]}"));
    }
}
