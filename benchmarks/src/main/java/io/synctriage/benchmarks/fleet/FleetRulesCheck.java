package io.synctriage.benchmarks.fleet;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.PatternKind;

/**
 * A small reference detector: applies the fleet rules of decision-tree.md "Definitions" to a generated
 * NDJSON file as a reader of that file would (from the records alone, not from the generator's plan) and
 * reports every pattern that is not exactly a planted incident, and every planted incident that does not
 * show its pattern. It is deliberately stricter than the rules where that costs nothing (a 60-minute
 * provider-wide window instead of 30, ±25 % for a recurring period instead of ±10 %), so that background
 * data that passes here forms no pattern under any reasonable reading of them.
 */
public final class FleetRulesCheck {

    static final long MIN = 60;
    static final long HOUR = 3_600;
    static final long DAY = 86_400;

    private static final Pattern CLIENT_CREDENTIALS = Pattern.compile(
            "invalid_client|deleted_client|unauthorized_client|AADSTS(?:7000222|7000215|70002|700016|7000112|70001)(?!\\d)");
    private static final Pattern SERVER_OR_NETWORK = Pattern.compile("(?i)(?<!\\d)50[0234](?!\\d)|\\[UNAVAILABLE]"
            + "|\\[SERVERBUG]|backendError|server error|Status=11[014](?!\\d)|timed? ?out|connection refused|connection reset");
    private static final Pattern INACTIVITY = Pattern.compile("AADSTS(?:700082|70008)(?!\\d)");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One failure as a reader of the records sees it. */
    record Failure(String account, long at, String text) {
    }

    /** What the reader knows of one account. */
    static final class Account {
        String email;
        String domain;
        ProviderFamily family;
        Long linkedAt;
        Long lastActivityAt;
        final List<Long> reauths = new ArrayList<>();
        final List<Failure> failures = new ArrayList<>();
        final List<long[]> errorLineTimes = new ArrayList<>();
        final List<String> errorLineTexts = new ArrayList<>();
    }

    /** The result: what was checked and what is wrong. */
    public record Result(int accounts, int failures, int planted, List<String> violations) {
        public boolean ok() {
            return violations.isEmpty();
        }
    }

    private final Map<String, Account> accounts = new HashMap<>();

    private FleetRulesCheck() {
    }

    /** Reads {@code ndjson} and checks it against {@code manifest}. */
    public static Result check(Path ndjson, FleetManifest manifest) throws IOException {
        FleetRulesCheck c = new FleetRulesCheck();
        try (BufferedReader in = Files.newBufferedReader(ndjson, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    c.read(JSON.readTree(line));
                }
            }
        }
        return c.verify(manifest);
    }

    // ------------------------------------------------------------------------------------- reading

    private void read(JsonNode r) {
        switch (r.path("kind").asText()) {
            case "account" -> {
                Account a = account(r.path("id").asText());
                if (r.hasNonNull("email")) {
                    a.email = r.get("email").asText().toLowerCase(Locale.ROOT);
                    a.domain = a.email.substring(a.email.indexOf('@') + 1);
                }
                if (r.hasNonNull("provider")) {
                    a.family = ProviderFamily.ofProvider(r.get("provider").asText(), null);
                }
                if (r.hasNonNull("linked_at")) {
                    a.linkedAt = java.time.Instant.parse(r.get("linked_at").asText()).getEpochSecond();
                } else if (r.hasNonNull("created_at")) {
                    a.linkedAt = r.get("created_at").asLong();
                }
                if (r.hasNonNull("last_activity_at")) {
                    a.lastActivityAt = java.time.Instant.parse(r.get("last_activity_at").asText()).getEpochSecond();
                }
            }
            case "webhook" -> {
                if (r.has("deltas")) {
                    for (JsonNode d : r.get("deltas")) {
                        v2(d);
                    }
                } else if (r.has("specversion")) {
                    JsonNode o = r.path("data").path("object");
                    notification(o.path("grant_id").asText(), r.path("type").asText(), r.path("time").asLong(),
                            text(o), o.has("reauthentication_flag") ? o.get("reauthentication_flag").asBoolean() : null);
                } else {
                    v2(r);
                }
            }
            case "auth_log", "sync_log" -> {
                boolean error = r.hasNonNull("error") || "error".equals(r.path("level").asText())
                        || "warning".equals(r.path("level").asText());
                if (error) {
                    Account a = account(r.path("account_id").asText());
                    a.errorLineTimes.add(new long[] {java.time.Instant.parse(r.get("timestamp").asText()).getEpochSecond()});
                    a.errorLineTexts.add(text(r));
                }
            }
            default -> throw new IllegalArgumentException("unexpected record kind: " + r);
        }
    }

    private void v2(JsonNode d) {
        notification(d.path("object_data").path("account_id").asText(), d.path("type").asText(), d.path("date").asLong(),
                text(d), null);
    }

    private void notification(String id, String type, long at, String text, Boolean reauthFlag) {
        Account a = account(id);
        switch (type) {
            case "account.invalid", "account.stopped", "account.sync_error", "grant.expired" ->
                    a.failures.add(new Failure(id, at, text));
            case "account.connected", "account.running", "grant.created" -> a.reauths.add(at);
            case "grant.updated" -> {
                if (!Boolean.FALSE.equals(reauthFlag)) {
                    a.reauths.add(at);
                }
            }
            default -> {
            }
        }
    }

    private static String text(JsonNode n) {
        String e = n.hasNonNull("error") ? n.get("error").asText() : "";
        String m = n.hasNonNull("message") ? n.get("message").asText() : "";
        String joined = (e + " " + m).trim();
        return joined.isEmpty() ? null : joined;
    }

    private Account account(String id) {
        return accounts.computeIfAbsent(id, k -> new Account());
    }

    // ----------------------------------------------------------------------------------- verifying

    private Result verify(FleetManifest manifest) {
        List<String> v = new ArrayList<>();
        Map<String, PlantedIncident> memberOf = new HashMap<>();
        for (PlantedIncident p : manifest.incidents()) {
            for (String m : p.members()) {
                if (!accounts.containsKey(m) || accounts.get(m).email == null) {
                    v.add(p.id() + ": member " + m + " has no account record");
                } else if (memberOf.put(m, p) != null) {
                    v.add(p.id() + ": member " + m + " is planted twice");
                }
            }
        }
        if (!v.isEmpty()) {
            return new Result(accounts.size(), 0, manifest.incidents().size(), v);
        }
        List<Failure> all = new ArrayList<>();
        for (Account a : accounts.values()) {
            all.addAll(a.failures);
        }
        all.sort(Comparator.comparingLong(Failure::at));

        sameMoment(all, memberOf, manifest, v);
        recurring(all, memberOf, manifest, v);
        providerWide(all, memberOf, manifest, v);
        schedules(all, memberOf, manifest, v);
        flapping(memberOf, manifest, v);
        return new Result(accounts.size(), all.size(), manifest.incidents().size(), v);
    }

    private void sameMoment(List<Failure> all, Map<String, PlantedIncident> memberOf, FleetManifest manifest,
                            List<String> v) {
        Map<String, List<Failure>> byDomain = byDomain(all);
        for (Map.Entry<String, List<Failure>> e : byDomain.entrySet()) {
            List<Failure> fs = e.getValue();
            for (int i = 0; i < fs.size(); i++) {
                for (int j = i + 1; j < fs.size() && fs.get(j).at() - fs.get(i).at() <= 30 * MIN; j++) {
                    Failure x = fs.get(i);
                    Failure y = fs.get(j);
                    if (x.account().equals(y.account())) {
                        continue;
                    }
                    PlantedIncident p = memberOf.get(x.account());
                    if (p == null || p != memberOf.get(y.account()) || p.kind() != PatternKind.SAME_MOMENT) {
                        v.add("same moment not planted: " + e.getKey() + " " + x + " / " + y);
                    }
                }
            }
        }
        for (PlantedIncident p : planted(manifest, PatternKind.SAME_MOMENT)) {
            List<Failure> fs = failuresOf(p);
            long span = fs.get(fs.size() - 1).at() - fs.get(0).at();
            if (p.members().size() < 2 || span > 30 * MIN || !p.members().stream().allMatch(m -> p.domain()
                    .equals(accounts.get(m).domain))) {
                v.add(p.id() + ": not a same-moment cluster (" + p.members().size() + " accounts over " + span + " s)");
            }
        }
    }

    private void recurring(List<Failure> all, Map<String, PlantedIncident> memberOf, FleetManifest manifest,
                           List<String> v) {
        for (Map.Entry<String, List<Failure>> e : byDomain(all).entrySet()) {
            List<Long> intervals = new ArrayList<>();
            for (Failure f : e.getValue()) {
                Long iv = interval(f);
                if (iv != null && iv <= 30 * DAY) {
                    intervals.add(iv);
                }
            }
            int agreeing = largestAgreeing(intervals, 0.25);
            boolean planted = e.getValue().stream().allMatch(f -> {
                PlantedIncident p = memberOf.get(f.account());
                return p != null && p.kind() == PatternKind.RECURRING && p.domain().equals(e.getKey());
            });
            if (agreeing >= 3 && !planted) {
                v.add("recurring pattern not planted: " + e.getKey() + " (" + agreeing + " intervals agree)");
            }
        }
        for (PlantedIncident p : planted(manifest, PatternKind.RECURRING)) {
            List<Long> intervals = new ArrayList<>();
            for (Failure f : failuresOf(p)) {
                intervals.add(interval(f));
            }
            if (largestAgreeing(intervals, 0.10) < 3 || p.periodSeconds() > 30 * DAY) {
                v.add(p.id() + ": intervals do not agree within ±10 %: " + intervals);
            }
        }
    }

    private void providerWide(List<Failure> all, Map<String, PlantedIncident> memberOf, FleetManifest manifest,
                              List<String> v) {
        for (ProviderFamily family : ProviderFamily.values()) {
            for (Pattern kind : List.of(CLIENT_CREDENTIALS, SERVER_OR_NETWORK)) {
                List<Failure> fs = new ArrayList<>();
                for (Failure f : all) {
                    Account a = accounts.get(f.account());
                    String sig = signature(f);
                    if (a.family == family && !FleetLayout.isConsumerDomain(a.domain) && sig != null
                            && kind.matcher(sig).find()) {
                        fs.add(f);
                    }
                }
                for (int i = 0; i < fs.size(); i++) {
                    Set<String> domains = new HashSet<>();
                    int j = i;
                    for (; j < fs.size() && fs.get(j).at() - fs.get(i).at() <= 60 * MIN; j++) {
                        domains.add(accounts.get(fs.get(j).account()).domain);
                    }
                    if (domains.size() >= 3) {
                        for (int k = i; k < j; k++) {
                            PlantedIncident p = memberOf.get(fs.get(k).account());
                            if (p == null || p.kind() != PatternKind.PROVIDER_WIDE || p.family() != family) {
                                v.add("provider-wide window not planted: " + family.id() + " " + fs.get(k));
                            }
                        }
                    }
                }
            }
        }
        for (PlantedIncident p : planted(manifest, PatternKind.PROVIDER_WIDE)) {
            List<Failure> fs = failuresOf(p);
            Pattern kind = p.cause() == io.synctriage.model.Cause.OAUTH_CLIENT_CREDENTIALS_INVALID ? CLIENT_CREDENTIALS
                    : SERVER_OR_NETWORK;
            Set<String> domains = new TreeSet<>();
            for (Failure f : fs) {
                String sig = signature(f);
                if (sig == null || !kind.matcher(sig).find()) {
                    v.add(p.id() + ": member failure without a " + p.cause() + " error: " + f);
                }
                domains.add(accounts.get(f.account()).domain);
            }
            long span = fs.get(fs.size() - 1).at() - fs.get(0).at();
            if (domains.size() < 3 || span > 30 * MIN) {
                v.add(p.id() + ": " + domains.size() + " domains over " + span + " s is not provider-wide");
            }
        }
    }

    private void schedules(List<Failure> all, Map<String, PlantedIncident> memberOf, FleetManifest manifest,
                           List<String> v) {
        for (Failure f : all) {
            Account a = accounts.get(f.account());
            PlantedIncident p = memberOf.get(f.account());
            Long iv = interval(f);
            if (a.family == ProviderFamily.GOOGLE && iv != null && Math.abs(iv - 7 * DAY) <= 12 * HOUR
                    && (p == null || p.scenario() != Scenario.SCHEDULE_GOOGLE_APP_TESTING_MODE)) {
                v.add("Testing-mode schedule not planted: " + f);
            }
            String sig = signature(f);
            boolean idleCode = sig != null && INACTIVITY.matcher(sig).find();
            boolean idle = a.lastActivityAt != null && f.at() - a.lastActivityAt >= 60 * DAY;
            if (a.family == ProviderFamily.MICROSOFT && (idleCode || idle)
                    && (p == null || p.scenario() != Scenario.SCHEDULE_REFRESH_TOKEN_INACTIVE)) {
                v.add("inactivity not planted: " + f);
            }
        }
        for (PlantedIncident p : manifest.incidents()) {
            if (p.scenario() == Scenario.SCHEDULE_GOOGLE_APP_TESTING_MODE) {
                for (Failure f : failuresOf(p)) {
                    Long iv = interval(f);
                    if (iv == null || Math.abs(iv - 7 * DAY) > 12 * HOUR) {
                        v.add(p.id() + ": not 7 days ± 12 h after the authorisation: " + f);
                    }
                }
            } else if (p.scenario() == Scenario.SCHEDULE_REFRESH_TOKEN_INACTIVE) {
                for (Failure f : failuresOf(p)) {
                    Account a = accounts.get(f.account());
                    String sig = signature(f);
                    if (a.lastActivityAt == null || f.at() - a.lastActivityAt < 90 * DAY || sig == null
                            || !INACTIVITY.matcher(sig).find()) {
                        v.add(p.id() + ": not 90 idle days with AADSTS700082: " + f);
                    }
                }
            }
            if (p.kind() == PatternKind.SCHEDULE && p.members().size() < 2) {
                v.add(p.id() + ": a schedule needs at least 2 accounts");
            }
        }
    }

    private void flapping(Map<String, PlantedIncident> memberOf, FleetManifest manifest, List<String> v) {
        Set<String> flapping = new HashSet<>();
        for (Map.Entry<String, Account> e : accounts.entrySet()) {
            if (flaps(e.getValue()) >= 2) {
                flapping.add(e.getKey());
            }
        }
        for (String id : flapping) {
            PlantedIncident p = memberOf.get(id);
            if (p == null || p.kind() != PatternKind.FLAPPING) {
                v.add("flapping account not planted: " + id);
            }
        }
        for (PlantedIncident p : planted(manifest, PatternKind.FLAPPING)) {
            if (!flapping.contains(p.members().get(0))) {
                v.add(p.id() + ": its account does not fail within an hour after 2 re-authentications");
            }
        }
    }

    /** How many times the account failed within an hour after a re-authentication, with no failure between. */
    private static int flaps(Account a) {
        int n = 0;
        List<Long> fails = a.failures.stream().map(Failure::at).sorted().toList();
        for (long f : fails) {
            Long r = a.reauths.stream().filter(x -> x < f).max(Long::compare).orElse(null);
            if (r != null && f - r <= HOUR && fails.stream().noneMatch(x -> x > r && x < f)) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------------------------- helpers

    /** Seconds from the account's latest (re)authentication at or before the failure, or null. */
    private Long interval(Failure f) {
        Account a = accounts.get(f.account());
        Long best = a.linkedAt != null && a.linkedAt <= f.at() ? a.linkedAt : null;
        for (long r : a.reauths) {
            if (r <= f.at() && (best == null || r > best)) {
                best = r;
            }
        }
        return best == null ? null : f.at() - best;
    }

    /** The error text of the notification, else the account's error line nearest before it (10 min). */
    private String signature(Failure f) {
        if (f.text() != null) {
            return f.text();
        }
        Account a = accounts.get(f.account());
        String best = null;
        long bestGap = Long.MAX_VALUE;
        for (int i = 0; i < a.errorLineTimes.size(); i++) {
            long gap = Math.abs(f.at() - a.errorLineTimes.get(i)[0]);
            if (gap <= 10 * MIN && gap < bestGap) {
                bestGap = gap;
                best = a.errorLineTexts.get(i);
            }
        }
        return best;
    }

    /** The largest number of values within ±tolerance of one of them. */
    private static int largestAgreeing(List<Long> values, double tolerance) {
        int best = 0;
        for (long c : values) {
            int n = 0;
            for (long x : values) {
                if (Math.abs(x - c) <= tolerance * c) {
                    n++;
                }
            }
            best = Math.max(best, n);
        }
        return best;
    }

    private Map<String, List<Failure>> byDomain(List<Failure> all) {
        Map<String, List<Failure>> out = new HashMap<>();
        for (Failure f : all) {
            String d = accounts.get(f.account()).domain;
            if (d != null && !FleetLayout.isConsumerDomain(d)) {
                out.computeIfAbsent(d, k -> new ArrayList<>()).add(f);
            }
        }
        return out;
    }

    private List<Failure> failuresOf(PlantedIncident p) {
        List<Failure> out = new ArrayList<>();
        for (String m : p.members()) {
            out.addAll(accounts.get(m).failures);
        }
        out.sort(Comparator.comparingLong(Failure::at));
        return out;
    }

    private static List<PlantedIncident> planted(FleetManifest manifest, PatternKind kind) {
        return manifest.incidents().stream().filter(p -> p.kind() == kind).toList();
    }
}
