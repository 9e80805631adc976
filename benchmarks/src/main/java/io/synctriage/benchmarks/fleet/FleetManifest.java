package io.synctriage.benchmarks.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.PatternKind;

/**
 * What a generated fleet holds (the {@code manifest.json} next to {@code fleet.ndjson}): the spec, the
 * record counts, the SHA-256 of the NDJSON, every planted incident (what the fleet tracker must find) and
 * a sample of non-member accounts for the stored-diagnosis latency.
 *
 * @param spec           the spec it was generated from
 * @param counts         record counts by kind and other figures (records, events, background_failures…)
 * @param sha256         hex SHA-256 of the NDJSON file
 * @param incidents      the planted incidents
 * @param sampleAccounts account ids that belong to no planted incident (a third of them failed in the
 *                       background)
 */
public record FleetManifest(FleetSpec spec, Map<String, Long> counts, String sha256, List<PlantedIncident> incidents,
                            List<String> sampleAccounts) {

    public static final String FILE = "manifest.json";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public FleetManifest {
        counts = Map.copyOf(counts);
        incidents = List.copyOf(incidents);
        sampleAccounts = List.copyOf(sampleAccounts);
    }

    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("generator", FleetGenerator.class.getName());
        root.put("format", 1);
        ObjectNode s = root.putObject("spec");
        s.put("accounts", spec.accounts());
        s.put("domains", spec.domains());
        s.put("events", spec.events());
        s.put("days", spec.days());
        s.put("now", spec.now().toString());
        s.put("start", spec.start().toString());
        s.put("seed", spec.seed());
        s.put("per_kind", spec.perKind());
        ObjectNode c = root.putObject("counts");
        new java.util.TreeMap<>(counts).forEach(c::put);
        root.put("sha256", sha256);
        ArrayNode list = root.putArray("incidents");
        for (PlantedIncident p : incidents) {
            ObjectNode o = list.addObject();
            o.put("id", p.id());
            o.put("scenario", p.scenario().name());
            o.put("kind", p.kind().name());
            o.put("cause", p.cause().name());
            o.put("domain", p.domain());
            ArrayNode domains = o.putArray("domains");
            p.domains().forEach(domains::add);
            o.put("family", p.family().id());
            ArrayNode members = o.putArray("members");
            p.members().forEach(members::add);
            if (p.periodSeconds() == null) {
                o.putNull("period_seconds");
            } else {
                o.put("period_seconds", p.periodSeconds());
            }
            o.put("first_at", p.firstAt().toString());
            o.put("last_at", p.lastAt().toString());
            o.put("failures", p.failures());
            o.put("description", p.description());
        }
        ArrayNode sample = root.putArray("sample_accounts");
        sampleAccounts.forEach(sample::add);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static FleetManifest read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        JsonNode s = root.path("spec");
        FleetSpec spec = new FleetSpec(s.path("accounts").asInt(), s.path("domains").asInt(), s.path("events").asLong(),
                s.path("days").asInt(), Instant.parse(s.path("now").asText()), s.path("seed").asLong(),
                s.path("per_kind").asInt());
        Map<String, Long> counts = new LinkedHashMap<>();
        root.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        List<PlantedIncident> incidents = new ArrayList<>();
        for (JsonNode o : root.path("incidents")) {
            List<String> domains = new ArrayList<>();
            o.path("domains").forEach(d -> domains.add(d.asText()));
            List<String> members = new ArrayList<>();
            o.path("members").forEach(m -> members.add(m.asText()));
            incidents.add(new PlantedIncident(o.path("id").asText(), Scenario.valueOf(o.path("scenario").asText()),
                    PatternKind.valueOf(o.path("kind").asText()), Cause.valueOf(o.path("cause").asText()),
                    o.path("domain").isNull() ? null : o.path("domain").asText(), domains,
                    ProviderFamily.fromId(o.path("family").asText()), members,
                    o.path("period_seconds").isNull() ? null : o.path("period_seconds").asLong(),
                    Instant.parse(o.path("first_at").asText()), Instant.parse(o.path("last_at").asText()),
                    o.path("failures").asInt(), o.path("description").asText()));
        }
        List<String> sample = new ArrayList<>();
        root.path("sample_accounts").forEach(a -> sample.add(a.asText()));
        return new FleetManifest(spec, counts, root.path("sha256").asText(), incidents, sample);
    }
}
