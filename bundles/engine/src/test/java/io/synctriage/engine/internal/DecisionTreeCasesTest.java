package io.synctriage.engine.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.synctriage.model.Diagnosis;
import io.synctriage.model.Evidence;
import io.synctriage.model.Steps;
import io.synctriage.model.TraceStep;

/**
 * Table-driven tests over the decision tree: every file in {@code src/test/resources/cases} is a
 * bundle plus what the engine (with no provider bundle installed) must answer. A case may add the
 * fleet {@code incidents} the store would hand over with the account (a posted bundle has none).
 */
@RunWith(Parameterized.class)
public class DecisionTreeCasesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(name = "{0}")
    public static List<Object[]> cases() throws IOException, URISyntaxException {
        Path dir = Paths.get(DecisionTreeCasesTest.class.getResource("/cases").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted()
                    .map(p -> new Object[] {p.getFileName().toString().replace(".json", ""), p})
                    .collect(Collectors.toList());
        }
    }

    private final String name;
    private final Path file;

    public DecisionTreeCasesTest(String name, Path file) {
        this.name = name;
        this.file = file;
    }

    @Test
    @SuppressWarnings("unchecked")
    public void diagnosesAsExpected() throws Exception {
        Map<String, Object> c;
        try (InputStream in = Files.newInputStream(file)) {
            c = JSON.readValue(in, Map.class);
        }
        Map<String, Object> bundle = (Map<String, Object>) c.get("bundle");
        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        Evidence ev = new EvidenceNormalizer(Clock.systemUTC()).normalize(bundle);
        if (c.containsKey("incidents")) {
            ev = TestIncidents.with(ev, TestIncidents.parse((List<?>) c.get("incidents")));
        }
        Diagnosis d = new TriageEngine(EngineSettings.defaults()).diagnose(ev, f -> null);
        String why = name + " → " + d.cause() + "\n" + render(d.trace()) + "\nmissing " + d.missing();

        assertEquals(why, expect.get("cause"), d.cause().name());
        if (expect.containsKey("actor")) {
            assertEquals(why, expect.get("actor"), d.actor() == null ? null : d.actor().name());
        }
        assertEquals(d.cause().actor(), d.actor());
        // Every trace starts with S1..S6 in procedure order.
        List<String> first = new ArrayList<>();
        for (int i = 0; i < Math.min(6, d.trace().size()); i++) {
            first.add(d.trace().get(i).step());
        }
        assertEquals(why, Steps.PROCEDURE, first);
        Map<String, String> steps = (Map<String, String>) expect.getOrDefault("steps", Map.of());
        for (Map.Entry<String, String> e : steps.entrySet()) {
            TraceStep s = d.trace().stream().filter(t -> t.step().equals(e.getKey())).findFirst().orElseThrow();
            assertEquals(why + "\nstep " + e.getKey(), e.getValue(), s.answer().toString());
        }
        for (String m : (List<String>) expect.getOrDefault("missing_contains", List.of())) {
            assertTrue(why + "\nmissing should contain " + m, d.missing().contains(m));
        }
        for (String m : (List<String>) expect.getOrDefault("missing_excludes", List.of())) {
            assertTrue(why + "\nmissing should not contain " + m, !d.missing().contains(m));
        }
        Map<String, String> details = (Map<String, String>) expect.getOrDefault("detail_contains", Map.of());
        for (Map.Entry<String, String> e : details.entrySet()) {
            TraceStep s = d.trace().stream().filter(t -> t.step().equals(e.getKey())).findFirst().orElseThrow();
            assertTrue(why + "\nstep " + e.getKey() + " should say: " + e.getValue(), s.detail().contains(e.getValue()));
        }
        // "source: text" of an evidence item of the diagnosis
        for (String item : (List<String>) expect.getOrDefault("evidence_contains", List.of())) {
            assertTrue(why + "\nevidence " + d.evidence() + " should contain " + item,
                    d.evidence().stream().anyMatch(e -> (e.source() + ": " + e.text()).contains(item)));
        }
        if (expect.containsKey("summary_contains")) {
            assertTrue(why + "\n" + d.summary(), d.summary().contains((String) expect.get("summary_contains")));
        }
        if (expect.containsKey("state_change_at")) {
            assertEquals(why, Instant.parse((String) expect.get("state_change_at")), d.stateChangeAt());
        }
        assertNotNull(d.summary());
        assertTrue(why, d.confidence() >= 0 && d.confidence() <= 1);
        assertTrue(why, !d.remediation().isEmpty());
        if (expect.containsKey("period")) {
            // a recurring pattern reports its estimated period in S3 and in the summary
            String period = (String) expect.get("period");
            assertTrue(why, d.trace().get(2).detail().contains("recurring"));
            assertTrue(why, d.trace().get(2).detail().contains(period));
            assertTrue(why + "\n" + d.summary(), d.summary().contains(period));
        }
    }

    static String render(List<TraceStep> trace) {
        StringBuilder sb = new StringBuilder();
        for (TraceStep t : trace) {
            sb.append("  ").append(t.step()).append(" = ").append(t.answer()).append(": ").append(t.detail()).append('\n');
        }
        return sb.toString();
    }
}
