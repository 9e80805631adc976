package io.synctriage.benchmarks.fleet;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.synctriage.model.ProviderFamily;

/**
 * Compares the incidents the server found ({@code GET /api/v1/fleet/incidents}, every page) with the
 * planted ones of the manifest.
 *
 * <p>A planted incident is found when one found incident has its kind, its cause, its scope (the domain of
 * a domain pattern; no domain and the same provider family for a provider-wide or schedule pattern) and
 * all its members. Several planted incidents may be found in one incident: the tracker keys a
 * provider-wide incident by family and a schedule by family and cause, so planted groups that follow each
 * other within its working window are one incident with all their members. A found incident that matches
 * no planted one is a fragment when it holds some members of planted incidents of its kind, cause and scope
 * (a planted incident split, or reported again while it grew), else false; an account in a found incident
 * that no planted incident of its kind, cause and scope has is a foreign member (a background failure that
 * joined).
 */
final class IncidentComparison {

    /** One planted incident that was not found, and the nearest found one, if any. */
    record Missing(PlantedIncident planted, String nearest) {
    }

    /** One found incident that is not planted. */
    record False(String id, String kind, String cause, String scope, int members, String summary) {
    }

    /**
     * The outcome.
     *
     * @param outOfWindow planted incidents not found whose last failure is older than the window the caller
     *                    asked to require (none unless a window was given)
     * @param fragments   found incidents that hold part of the members of planted incidents of their kind, cause
     *                    and scope but all of none (a planted incident split, or reported again while it grew)
     */
    record Result(int planted, int found, int foundIncidents, Map<Scenario, int[]> byScenario, List<Missing> missing,
                  List<Missing> outOfWindow, List<False> falseIncidents, List<False> fragments, List<String> foreignMembers,
                  int periodsChecked, int periodsWithin, List<String> periodMismatches, List<String> foundTwice,
                  boolean kindReported) {
        boolean ok() {
            return missing.isEmpty() && falseIncidents.isEmpty() && fragments.isEmpty() && foreignMembers.isEmpty();
        }
    }

    private IncidentComparison() {
    }

    /**
     * @param requiredAfter planted incidents whose last failure is before this are not required (reported
     *                      apart when not found); null: every planted incident is required
     */
    static Result compare(List<PlantedIncident> planted, List<JsonNode> found, java.time.Instant requiredAfter) {
        boolean kindReported = found.stream().allMatch(f -> f.hasNonNull("kind"));
        Map<Scenario, int[]> byScenario = new EnumMap<>(Scenario.class);
        List<Missing> missing = new ArrayList<>();
        List<Missing> outOfWindow = new ArrayList<>();
        int periodsChecked = 0;
        int periodsWithin = 0;
        List<String> periodMismatches = new ArrayList<>();
        List<String> foundTwice = new ArrayList<>();
        int foundCount = 0;
        for (PlantedIncident p : planted) {
            int[] counts = byScenario.computeIfAbsent(p.scenario(), s -> new int[2]);
            counts[0]++;
            JsonNode match = null;
            List<String> all = new ArrayList<>();
            for (JsonNode f : found) {
                if (matches(p, f, kindReported)) {
                    match = match == null ? f : match;
                    all.add(f.path("id").asText());
                }
            }
            if (all.size() > 1) {
                foundTwice.add(p.id() + " " + p.scenario() + " is in " + all.size() + " found incidents: " + all);
            }
            if (match == null) {
                boolean required = requiredAfter == null || !p.lastAt().isBefore(requiredAfter);
                (required ? missing : outOfWindow).add(new Missing(p, nearest(p, found)));
                continue;
            }
            counts[1]++;
            foundCount++;
            if (p.periodSeconds() != null && match.hasNonNull("period_seconds")) {
                periodsChecked++;
                double period = match.get("period_seconds").asDouble();
                if (Math.abs(period - p.periodSeconds()) <= 0.15 * p.periodSeconds()) {
                    periodsWithin++;
                } else {
                    periodMismatches.add(p.id() + " " + p.scenario() + ": planted " + p.periodSeconds() + " s, "
                            + match.path("id").asText() + " reports " + match.get("period_seconds").asLong() + " s");
                }
            } else if (p.periodSeconds() != null) {
                periodsChecked++;
                periodMismatches.add(p.id() + " " + p.scenario() + ": planted " + p.periodSeconds() + " s, "
                        + match.path("id").asText() + " reports none");
            }
        }
        List<False> falseIncidents = new ArrayList<>();
        List<False> fragments = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        for (JsonNode f : found) {
            // the planted incidents of its kind, cause and scope: their members are the accounts it may hold
            Set<String> compatibleMembers = new HashSet<>();
            boolean matched = false;
            for (PlantedIncident p : planted) {
                if (compatible(p, f, kindReported)) {
                    p.members().forEach(m -> compatibleMembers.add(m.toLowerCase(Locale.ROOT)));
                    matched |= matches(p, f, kindReported);
                }
            }
            int held = 0;
            for (JsonNode a : f.path("accounts")) {
                if (compatibleMembers.contains(a.path("id").asText().toLowerCase(Locale.ROOT))) {
                    held++;
                }
            }
            // in a false incident every account is out of place: it counts as false, not account by account
            if (held > 0) {
                for (JsonNode a : f.path("accounts")) {
                    if (!compatibleMembers.contains(a.path("id").asText().toLowerCase(Locale.ROOT))) {
                        foreign.add(f.path("id").asText() + " (" + f.path("kind").asText("?") + " "
                                + f.path("cause").asText("?") + "): " + a.path("id").asText() + " <"
                                + a.path("email").asText() + "> failed " + a.path("failed_at").asText());
                    }
                }
            }
            if (!matched) {
                False entry = new False(f.path("id").asText(), f.path("kind").asText(null), f.path("cause").asText(null),
                        scope(f), f.path("accounts").size(), f.path("summary").asText(""));
                (held > 0 ? fragments : falseIncidents).add(entry);
            }
        }
        return new Result(planted.size(), foundCount, found.size(), byScenario, missing, outOfWindow, falseIncidents,
                fragments, foreign, periodsChecked, periodsWithin, periodMismatches, foundTwice, kindReported);
    }

    /** Same kind (when the answer tells it), cause and scope; membership aside. */
    static boolean compatible(PlantedIncident p, JsonNode f, boolean kindReported) {
        if (kindReported && !p.kind().name().equalsIgnoreCase(f.path("kind").asText().replace('-', '_'))) {
            return false;
        }
        return p.cause().name().equals(f.path("cause").asText()) && scopeMatches(p, f);
    }

    static boolean matches(PlantedIncident p, JsonNode f, boolean kindReported) {
        if (!compatible(p, f, kindReported)) {
            return false;
        }
        Set<String> ids = memberIds(f);
        return p.members().stream().allMatch(m -> ids.contains(m.toLowerCase(Locale.ROOT)));
    }

    private static boolean scopeMatches(PlantedIncident p, JsonNode f) {
        String domain = f.hasNonNull("domain") ? f.get("domain").asText() : null;
        if (p.domainScoped()) {
            return p.domain().equalsIgnoreCase(domain);
        }
        return domain == null && family(f) == p.family();
    }

    static ProviderFamily family(JsonNode f) {
        if (f.hasNonNull("family")) {
            return ProviderFamily.fromId(f.get("family").asText());
        }
        return f.hasNonNull("provider") ? ProviderFamily.ofProvider(f.get("provider").asText(), null) : null;
    }

    private static Set<String> memberIds(JsonNode f) {
        Set<String> ids = new HashSet<>();
        for (JsonNode a : f.path("accounts")) {
            ids.add(a.path("id").asText().toLowerCase(Locale.ROOT));
        }
        return ids;
    }

    /** What was found instead: the found incident holding most of the members, told in one line. */
    private static String nearest(PlantedIncident p, List<JsonNode> found) {
        JsonNode best = null;
        long bestShared = 0;
        for (JsonNode f : found) {
            Set<String> ids = memberIds(f);
            long shared = p.members().stream().filter(m -> ids.contains(m.toLowerCase(Locale.ROOT))).count();
            if (shared > bestShared) {
                best = f;
                bestShared = shared;
            }
        }
        if (best == null) {
            return "no incident holds any of its " + p.members().size() + " member(s)";
        }
        return best.path("id").asText() + " " + best.path("kind").asText("?") + " " + best.path("cause").asText("?")
                + " " + scope(best) + " holds " + bestShared + "/" + p.members().size() + " member(s)";
    }

    private static String scope(JsonNode f) {
        if (f.hasNonNull("domain")) {
            return "domain " + f.get("domain").asText();
        }
        ProviderFamily fam = family(f);
        return "family " + (fam == null ? "?" : fam.id()) + " over " + f.path("domains").size() + " domain(s)";
    }
}
