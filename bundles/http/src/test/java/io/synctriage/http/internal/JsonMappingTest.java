package io.synctriage.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.synctriage.model.Answer;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.TraceStep;

public class JsonMappingTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static JsonNode write(Object value) throws Exception {
        return PLAIN.readTree(JsonMapping.MAPPER.writeValueAsString(value));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static Diagnosis sample() throws Exception {
        return FakeDiagnoser.caSigninFrequency(new FakeDiagnoser().normalize(Map.of("account",
                Map.of("id", "7wm2qp9lqsk5ey7xk4gh0v8zt", "email", "alice@contoso.com", "sync_state", "invalid"))));
    }

    @Test
    public void diagnosisHasTheContractShape() throws Exception {
        JsonNode json = write(sample());

        assertEquals(List.of("account_id", "email", "state", "cause", "actor", "confidence", "summary", "remediation",
                "evidence", "alternatives", "trace", "missing", "next_steps", "checks", "provider", "state_change_at"),
                names(json));
        assertEquals("CA_SIGNIN_FREQUENCY", json.path("cause").asText());
        assertEquals("MAIL_ADMIN", json.path("actor").asText());
        assertEquals(0.9, json.path("confidence").asDouble(), 0.0);
        assertEquals("2026-11-20T09:01:00Z", json.path("state_change_at").asText());
        assertEquals(List.of("source", "timestamp", "text"), names(json.path("evidence").path(0)));
        assertEquals("2026-11-20T08:58:30Z", json.path("evidence").path(0).path("timestamp").asText());
        assertEquals(List.of("cause", "confidence"), names(json.path("alternatives").path(0)));
        assertEquals("DOMAIN_SESSION_POLICY", json.path("alternatives").path(0).path("cause").asText());
        assertEquals(List.of("step", "answer", "detail", "evidence"), names(json.path("trace").path(0)));
        assertEquals(List.of("no", "unknown", "skipped", "yes", "yes"),
                List.of(json.at("/trace/0/answer").asText(), json.at("/trace/1/answer").asText(),
                        json.at("/trace/2/answer").asText(), json.at("/trace/3/answer").asText(),
                        json.at("/trace/4/answer").asText()));
        assertEquals("auth_log", json.at("/trace/4/evidence/0/source").asText());
        assertEquals(List.of("provider", "bundle", "version"), names(json.path("checks")));
        assertEquals("io.synctriage.provider.microsoft", json.at("/checks/bundle").asText());
    }

    @Test
    public void undeterminedHasANullActorAndNullsAreWritten() throws Exception {
        Diagnosis undetermined = FakeDiagnoser.undetermined(
                new FakeDiagnoser().normalize(Map.of("account", Map.of("id", "acc-1"))));
        JsonNode json = write(undetermined);

        assertTrue(json.has("actor"));
        assertTrue(json.path("actor").isNull());
        assertEquals("UNDETERMINED", json.path("cause").asText());
        assertTrue(json.path("email").isNull());
        assertTrue(json.path("state_change_at").isNull());
        assertTrue(json.at("/evidence/0/timestamp").isNull());
        assertTrue(json.at("/checks/provider").isNull());
        assertEquals(List.of("provider", "bundle", "version"), names(json.path("checks")));
    }

    @Test
    public void enumsUseTheirWireForm() throws Exception {
        assertEquals("\"skipped\"", JsonMapping.MAPPER.writeValueAsString(Answer.SKIPPED));
        assertEquals("\"eas\"", JsonMapping.MAPPER.writeValueAsString(ProviderFamily.EAS));
        assertEquals("{\"step\":\"S4_AUTH_TYPE\",\"answer\":\"yes\",\"detail\":\"d\",\"evidence\":[]}",
                JsonMapping.MAPPER.writeValueAsString(TraceStep.of("S4_AUTH_TYPE", Answer.YES, "d")));
    }

    @Test
    public void instantsAreIsoStrings() throws Exception {
        assertEquals("{\"source\":\"sync_log\",\"timestamp\":\"2026-11-20T08:58:00.125Z\",\"text\":\"t\"}",
                JsonMapping.MAPPER.writeValueAsString(
                        new EvidenceItem("sync_log", Instant.parse("2026-11-20T08:58:00.125Z"), "t")));
    }

    @Test
    public void instantsAreWrittenAsIsoInstantFormatsThem() throws Exception {
        long[] seconds = {0, 1, 59, 60, 3599, 86_399, 86_400, 951_782_400L /* 2000-02-29 */, 1_795_165_260L,
            4_107_542_400L /* 2100-03-01 */, 253_402_300_799L /* 9999-12-31T23:59:59 */, 253_402_300_800L, -1,
            -86_400, -62_167_219_200L /* 0000-01-01 */, -62_167_219_201L, Instant.MAX.getEpochSecond(),
            Instant.MIN.getEpochSecond()};
        int[] nanos = {0, 1, 10, 999, 1_000, 1_000_000, 100_000_000, 120_000_000, 123_000_000, 123_400_000,
            123_456_000, 123_456_700, 999_999_999};
        for (long s : seconds) {
            for (int n : nanos) {
                assertIso(Instant.ofEpochSecond(s, n));
            }
        }
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long s = random.nextLong() % 300_000_000_000L;
            int n = random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000) / (int) Math.pow(10, random.nextInt(9));
            assertIso(Instant.ofEpochSecond(s, n));
        }
    }

    private static void assertIso(Instant instant) throws Exception {
        assertEquals("\"" + DateTimeFormatter.ISO_INSTANT.format(instant) + "\"",
                JsonMapping.MAPPER.writeValueAsString(instant));
    }

    @Test
    public void readsBodiesAsPlainValues() throws Exception {
        Object value = JsonMapping.EVIDENCE_READER.readValue(
                "{\"a\": [1, 2.5, true, null, \"s\", {\"b\": 1795165260}]}");
        Map<?, ?> map = (Map<?, ?>) value;
        List<?> list = (List<?>) map.get("a");
        assertEquals(Integer.valueOf(1), list.get(0));
        assertEquals(Double.valueOf(2.5), list.get(1));
        assertEquals(Boolean.TRUE, list.get(2));
        assertEquals(null, list.get(3));
        assertEquals("s", list.get(4));
        assertEquals(Map.of("b", 1795165260), list.get(5));
    }
}
