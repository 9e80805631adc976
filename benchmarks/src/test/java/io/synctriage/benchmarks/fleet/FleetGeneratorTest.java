package io.synctriage.benchmarks.fleet;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.PatternKind;

/**
 * The fleet generator at smoke size: deterministic, the counts the spec asks for, a manifest that matches
 * the records, and — checked by {@link FleetRulesCheck}, a reference reading of decision-tree.md's fleet
 * rules — every planted incident shows its pattern while the background forms none.
 */
public class FleetGeneratorTest {

    private static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
    private static final FleetSpec SPEC = FleetSpec.smoke(NOW);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();

    private static Path dir;
    private static FleetManifest manifest;
    private static List<String> lines;

    @BeforeClass
    public static void generate() throws IOException {
        dir = TMP.newFolder("smoke").toPath();
        manifest = FleetGenerator.generate(SPEC, dir);
        lines = Files.readAllLines(dir.resolve(FleetGenerator.NDJSON_FILE), StandardCharsets.UTF_8);
    }

    @Test
    public void theSameSpecGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        FleetManifest second = new FleetGenerator(SPEC).write(again);
        assertArrayEquals(Files.readAllBytes(dir.resolve(FleetGenerator.NDJSON_FILE)), again.toByteArray());
        assertEquals(manifest.sha256(), second.sha256());
        assertEquals(manifest.incidents(), second.incidents());
        assertEquals(manifest.sampleAccounts(), second.sampleAccounts());

        FleetManifest other = new FleetGenerator(SPEC.withSeed(SPEC.seed() + 1)).write(new ByteArrayOutputStream());
        assertNotEquals(manifest.sha256(), other.sha256());
        assertEquals(manifest.count("records"), manifest.count("account") + manifest.count("events"));
    }

    @Test
    public void theManifestWrittenIsTheManifestRead() throws IOException {
        FleetManifest read = FleetManifest.read(dir.resolve(FleetManifest.FILE));
        assertEquals(manifest, read);
    }

    @Test
    public void countsAreTheSpecs() throws IOException {
        int n = SPEC.accounts();
        assertEquals(manifest.count("records"), lines.size());
        assertEquals(SPEC.events(), manifest.count("events"));
        Set<String> ids = new HashSet<>();
        Set<String> emails = new HashSet<>();
        Set<String> domains = new HashSet<>();
        Map<ProviderFamily, Integer> families = new EnumMap<>(ProviderFamily.class);
        int v3 = 0;
        int consumer = 0;
        for (int i = 0; i < n; i++) {
            JsonNode r = JSON.readTree(lines.get(i));
            assertEquals("line " + (i + 1), "account", r.path("kind").asText());
            assertFalse("no state in the first snapshot: " + r, r.has("sync_state") || r.path("grant_status").isTextual());
            assertTrue("unique id", ids.add(r.path("id").asText()));
            String email = r.path("email").asText();
            assertTrue("unique email " + email, emails.add(email));
            String domain = email.substring(email.indexOf('@') + 1);
            domains.add(domain);
            consumer += FleetLayout.isConsumerDomain(domain) ? 1 : 0;
            families.merge(ProviderFamily.ofProvider(r.path("provider").asText(), null), 1, Integer::sum);
            v3 += r.has("grant_status") ? 1 : 0;
        }
        assertEquals(SPEC.domains(), domains.size());
        assertEquals(4, families.size());
        assertTrue("v2 and v3 accounts: " + v3, v3 > n / 10 && v3 < n / 2);
        assertEquals(FleetLayout.CONSUMER_ACCOUNT_SHARE, consumer / (double) n, 0.01);

        long start = SPEC.start().getEpochSecond();
        long now = SPEC.now().getEpochSecond();
        long previous = start;
        int events = 0;
        int finalStates = 0;
        Map<String, Integer> kinds = new HashMap<>();
        for (int i = n; i < lines.size(); i++) {
            JsonNode r = JSON.readTree(lines.get(i));
            String kind = r.path("kind").asText();
            kinds.merge(kind, 1, Integer::sum);
            if (kind.equals("account")) {
                // after the events only the states no notification gave
                assertTrue(r.path("sync_state").asText().equals("running") || r.path("grant_status").asText().equals("valid"));
                assertTrue(ids.contains(r.path("id").asText()));
                finalStates++;
                continue;
            }
            assertEquals("line " + (i + 1) + ": the account records come first", 0, finalStates);
            long at = time(r);
            assertTrue("line " + (i + 1) + " in time order", at >= previous);
            assertTrue("line " + (i + 1) + " inside the window", at >= start && at < now);
            previous = at;
            events++;
        }
        assertEquals(SPEC.events(), events);
        assertEquals(manifest.count("final_state"), finalStates);
        assertEquals(manifest.count("webhook"), (long) kinds.get("webhook"));
        assertEquals(manifest.count("auth_log"), (long) kinds.get("auth_log"));
        assertEquals(manifest.count("sync_log"), (long) kinds.get("sync_log"));
        assertEquals(SPEC.events(), kinds.get("webhook") + kinds.get("auth_log") + kinds.get("sync_log"));
    }

    @Test
    public void everyScenarioIsPlantedPerKindTimesWithMembersOfItsScope() throws IOException {
        Map<String, String> domainOf = new HashMap<>();
        Map<String, ProviderFamily> familyOf = new HashMap<>();
        for (int i = 0; i < SPEC.accounts(); i++) {
            JsonNode r = JSON.readTree(lines.get(i));
            String email = r.path("email").asText();
            domainOf.put(r.path("id").asText(), email.substring(email.indexOf('@') + 1));
            familyOf.put(r.path("id").asText(), ProviderFamily.ofProvider(r.path("provider").asText(), null));
        }
        assertEquals(Scenario.values().length * SPEC.perKind(), manifest.incidents().size());
        Map<Scenario, Integer> per = new EnumMap<>(Scenario.class);
        Set<String> members = new HashSet<>();
        for (PlantedIncident p : manifest.incidents()) {
            per.merge(p.scenario(), 1, Integer::sum);
            assertEquals(p.scenario().kind(), p.kind());
            assertNotNull(p.cause());
            assertFalse(p.members().isEmpty());
            for (String m : p.members()) {
                assertTrue(p.id() + ": one incident per account", members.add(m));
                assertEquals(p.id(), p.family(), familyOf.get(m));
                if (p.domainScoped()) {
                    assertEquals(p.id(), p.domain(), domainOf.get(m));
                }
            }
            if (!p.domainScoped()) {
                assertNull(p.domain());
            }
            assertEquals(p.kind() == PatternKind.RECURRING || p.kind() == PatternKind.SCHEDULE,
                    p.periodSeconds() != null);
            assertTrue(!p.firstAt().isAfter(p.lastAt()));
            if (p.kind() == PatternKind.PROVIDER_WIDE) {
                assertEquals("one member per domain", p.members().size(), p.domains().size());
                assertTrue(p.domains().size() >= 3);
            }
        }
        for (Scenario s : Scenario.values()) {
            assertEquals(s.name(), SPEC.perKind(), (int) per.get(s));
        }
        for (String id : manifest.sampleAccounts()) {
            assertFalse("the sample holds no member", members.contains(id));
            assertTrue(domainOf.containsKey(id));
        }
    }

    @Test
    public void plantedIncidentsShowTheirPatternAndTheBackgroundNone() throws IOException {
        FleetRulesCheck.Result result = FleetRulesCheck.check(dir.resolve(FleetGenerator.NDJSON_FILE), manifest);
        assertTrue(String.join("\n", result.violations()), result.ok());
        assertEquals(SPEC.accounts(), result.accounts());
        assertEquals(manifest.count("failures"), result.failures());
        assertTrue("background failures exist", manifest.count("background_failures") > 0);
    }

    /** The reference check is not vacuous: two background accounts of one domain failing together are caught. */
    @Test
    public void theCheckCatchesABackgroundSameMoment() throws IOException {
        Set<String> members = new HashSet<>();
        manifest.incidents().forEach(p -> members.addAll(p.members()));
        Map<String, List<String>> v2ByDomain = new HashMap<>();
        for (int i = 0; i < SPEC.accounts(); i++) {
            JsonNode r = JSON.readTree(lines.get(i));
            String email = r.path("email").asText();
            String domain = email.substring(email.indexOf('@') + 1);
            if (!r.has("grant_status") && !members.contains(r.path("id").asText())
                    && !FleetLayout.isConsumerDomain(domain)) {
                v2ByDomain.computeIfAbsent(domain, d -> new ArrayList<>()).add(r.path("id").asText());
            }
        }
        List<String> pair = v2ByDomain.values().stream().filter(l -> l.size() >= 2).findFirst().orElseThrow();
        long at = SPEC.now().getEpochSecond() - 3_600;
        List<String> mutated = new ArrayList<>(lines);
        for (int k = 0; k < 2; k++) {
            mutated.add("{\"kind\":\"webhook\",\"date\":" + (at + 300 * k) + ",\"object\":\"account\",\"type\":"
                    + "\"account.invalid\",\"object_data\":{\"account_id\":\"" + pair.get(k) + "\",\"id\":\""
                    + pair.get(k) + "\",\"object\":\"account\"}}");
        }
        Path file = dir.resolve("mutated.ndjson");
        Files.write(file, mutated, StandardCharsets.UTF_8);
        FleetRulesCheck.Result result = FleetRulesCheck.check(file, manifest);
        assertTrue(result.violations().toString(),
                result.violations().stream().anyMatch(v -> v.startsWith("same moment not planted")));
    }

    private static long time(JsonNode r) {
        if (r.has("timestamp")) {
            return Instant.parse(r.get("timestamp").asText()).getEpochSecond();
        }
        if (r.has("deltas")) {
            return r.get("deltas").get(0).get("date").asLong();
        }
        return r.has("date") ? r.get("date").asLong() : r.get("time").asLong();
    }
}
