package io.synctriage.benchmarks.fleet;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.synctriage.model.Cause;
import io.synctriage.model.spi.PatternKind;

/**
 * The fleet benchmark of the benchmarks issue: generates a synthetic fleet ({@link FleetGenerator}), loads it
 * into a running Synctriage ({@link FleetLoader}), waits for the fleet tracker, then measures
 * {@code GET /api/v1/fleet/incidents} and stored diagnoses and compares the incidents found with the
 * planted ones. Prints one table; exits 1 when a planted incident is missing or a found one is false, 2 on
 * an error. {@code benchmarks/bench-fleet.sh} starts a fresh distribution around it.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.synctriage.benchmarks.fleet.FleetBenchmark \
 *      [--scale smoke|full] [--db h2] [--base-url http://localhost:8282] [--data-dir /tmp/…] …
 * </pre>
 */
public final class FleetBenchmark {

    private static final Set<String> VALUED = Set.of("scale", "db", "base-url", "user", "password", "data-dir", "now",
            "seed", "per-kind", "accounts", "domains", "events", "chunk-lines", "concurrency", "event-concurrency",
            "settle-quiet",
            "settle-max", "incident-calls", "diag-samples", "diag-clients", "diag-max-seconds", "out", "window-days");
    private static final Set<String> FLAGS = Set.of("skip-load", "check-data", "generate-only", "help");

    private static final String USAGE = String.join("\n",
            "usage: FleetBenchmark [options]",
            "  --scale smoke|full       fleet size preset (default smoke: 2,000 accounts / 100 domains / 20,000 events;",
            "                           full: 1,000,000 / 50,000 / 10,000,000)",
            "  --accounts N --domains N --events N --per-kind N --seed N   override the preset",
            "  --now ISO-8601           end of the 90-day window (default: today 00:00 UTC)",
            "  --data-dir DIR           where fleet.ndjson and manifest.json go (default /tmp/synctriage-fleet-<scale>);",
            "                           reused when they match the spec",
            "  --base-url URL           the running Synctriage (default http://localhost:8282)",
            "  --user U --password P    HTTP Basic credentials (default karaf / karaf)",
            "  --db LABEL               the database the server runs on, for the report (default h2)",
            "  --chunk-lines N          NDJSON lines per POST (default 2000)",
            "  --concurrency N          POSTs in flight for the account records (default 3)",
            "  --event-concurrency N    POSTs in flight for the events (default 1: committed in time order, as the",
            "                           fleet tracker reads them; more reorders up to N chunks of history)",
            "  --settle-quiet S         incidents unchanged this many seconds = settled (default 20; full 60)",
            "  --settle-max S           give up waiting after this many seconds (default 900; full 7200)",
            "  --incident-calls N       timed calls per incident query (default 20)",
            "  --diag-samples N         stored diagnoses to time (default 2000), --diag-clients N (default 4);",
            "  --diag-max-seconds S     stop timing diagnoses after S seconds (default 900), reporting how many ran",
            "  --out FILE               the results as JSON (default DATA-DIR/result-<db>.json)",
            "  --window-days N          require only the planted incidents of the last N days (before the run); older",
            "                           ones not found are listed apart (default: all are required)",
            "  --skip-load              measure and compare against an already loaded server",
            "  --check-data             check the generated data with the reference rules first",
            "  --generate-only          generate (or reuse) the data and stop");

    private final Options o;
    private final PrintStream out;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final List<String[]> rows = new ArrayList<>();

    private FleetBenchmark(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("FleetBenchmark: " + e.getMessage() + "\n" + USAGE);
            status = 2;
        } catch (IOException e) {
            System.err.println("FleetBenchmark failed: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("FleetBenchmark failed: " + e);
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    /** Runs the benchmark; 0 all planted incidents found and none false, 1 otherwise. */
    static int run(String[] args, PrintStream out) throws Exception {
        Options o = Options.parse(args, VALUED, FLAGS);
        if (o.has("help")) {
            out.println(USAGE);
            return 0;
        }
        return new FleetBenchmark(o, out).run();
    }

    private int run() throws Exception {
        String scale = o.get("scale", "smoke");
        boolean full = scale.equals("full");
        Instant now = o.has("now") ? Instant.parse(o.get("now", null)) : Instant.now().truncatedTo(ChronoUnit.DAYS);
        FleetSpec preset = FleetSpec.ofScale(scale, now);
        FleetSpec spec = new FleetSpec(o.integer("accounts", preset.accounts()), o.integer("domains", preset.domains()),
                o.number("events", preset.events()), preset.days(), now, o.number("seed", preset.seed()),
                o.integer("per-kind", preset.perKind()));
        Path dir = Path.of(o.get("data-dir", "/tmp/synctriage-fleet-" + scale));
        String db = o.get("db", "h2");

        FleetManifest manifest = data(spec, dir);
        Path ndjson = dir.resolve(FleetGenerator.NDJSON_FILE);
        if (o.has("check-data")) {
            long t0 = System.nanoTime();
            FleetRulesCheck.Result check = FleetRulesCheck.check(ndjson, manifest);
            row("reference rules on the data", check.ok() ? "no unplanned pattern, every planted one shows ("
                    + check.failures() + " failures, " + secs(System.nanoTime() - t0) + ")"
                    : check.violations().size() + " violation(s), first: " + check.violations().get(0));
            if (!check.ok()) {
                check.violations().stream().limit(20).forEach(v -> out.println("  " + v));
                return 2;
            }
        }
        if (o.has("generate-only")) {
            printTable(spec, manifest, db, null);
            return 0;
        }

        URI base = URI.create(o.get("base-url", "http://localhost:8282"));
        FleetApi api = new FleetApi(base, o.get("user", "karaf"), o.get("password", "karaf"), Duration.ofMinutes(10));
        awaitUp(api);
        requireIncidentsEndpoint(api);

        Instant since = spec.start().minus(Duration.ofDays(1));
        FleetLoader loader = new FleetLoader(api, o.integer("chunk-lines", 2000), o.integer("concurrency", 3),
                o.integer("event-concurrency", 1), out);
        if (!o.has("skip-load")) {
            out.printf("Loading %s (%,d records) into %s …%n", ndjson, manifest.count("records"), api.base());
            FleetLoader.LoadResult load = loader.load(ndjson, manifest.count("records"));
            results.put("ingest_records", load.records());
            results.put("ingest_seconds", load.nanos() / 1e9);
            results.put("ingest_records_per_second", load.perSecond());
            results.put("ingest_requests", load.requests());
            results.put("ingest_retries", load.retries());
            row("ingest (POST /api/v1/evidence)", String.format("%,d records in %s = %,.0f records/s (%,d requests of "
                    + "≤ %,d lines, %d in flight for accounts, %d for events, %,d retried after 429/503)", load.records(),
                    secs(load.nanos()), load.perSecond(), load.requests(), o.integer("chunk-lines", 2000),
                    o.integer("concurrency", 3), o.integer("event-concurrency", 1), load.retries()));
            if (load.duplicates() > 0) {
                row("  warning", load.duplicates() + " notifications were already stored: the store was not empty");
            }
        }
        // also after a restart on a loaded store (--skip-load): the tracker resumes from its saved cursors
        Duration quiet = Duration.ofSeconds(o.number("settle-quiet", full ? 60 : 20));
        Duration max = Duration.ofSeconds(o.number("settle-max", full ? 7200 : 900));
        out.println("Waiting until the incidents stop changing …");
        FleetLoader.SettleResult settle = loader.awaitSettled(since, quiet, Duration.ofSeconds(5), max);
        results.put("incidents_settled_seconds", settle.nanos() / 1e9);
        results.put("incidents_settled", settle.settled());
        row("incidents settled", String.format("%,d incidents, unchanged %s after the %s%s", settle.incidents(),
                secs(settle.nanos()), o.has("skip-load") ? "start" : "last record was acknowledged",
                settle.settled() ? "" : " (NOT settled: gave up after " + max.toSeconds() + " s)"));

        measureIncidentQueries(api, manifest, since);
        List<JsonNode> found = api.allIncidents(Map.of("since", FleetApi.since(since)), 1000, null);
        measureDiagnoses(api, manifest);
        Instant requiredAfter = o.has("window-days")
                ? Instant.now().minus(Duration.ofDays(o.number("window-days", 30))) : null;
        IncidentComparison.Result cmp = IncidentComparison.compare(manifest.incidents(), found, requiredAfter);
        report(cmp);
        printTable(spec, manifest, db, cmp);
        writeResults(dir, db, spec, cmp);
        return cmp.ok() ? 0 : 1;
    }

    // ----------------------------------------------------------------------------------------- data

    private FleetManifest data(FleetSpec spec, Path dir) throws IOException {
        Path ndjson = dir.resolve(FleetGenerator.NDJSON_FILE);
        Path manifestFile = dir.resolve(FleetManifest.FILE);
        if (Files.exists(manifestFile) && Files.exists(ndjson)) {
            FleetManifest m = FleetManifest.read(manifestFile);
            if (m.spec().equals(spec) && Files.size(ndjson) == m.count("bytes")) {
                row("generate", String.format("reused %s (%,d records, %,.0f MB)", ndjson, m.count("records"),
                        m.count("bytes") / 1e6));
                return m;
            }
        }
        out.printf("Generating the fleet into %s …%n", dir);
        long t0 = System.nanoTime();
        FleetManifest m = FleetGenerator.generate(spec, dir);
        long nanos = System.nanoTime() - t0;
        results.put("generate_seconds", nanos / 1e9);
        row("generate", String.format("%,d records (%,d events), %,.0f MB in %s", m.count("records"), m.count("events"),
                m.count("bytes") / 1e6, secs(nanos)));
        return m;
    }

    // ----------------------------------------------------------------------------------- preconditions

    private void awaitUp(FleetApi api) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode h = api.health();
            if (h != null && "UP".equals(h.path("status").asText())) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IOException("Synctriage at " + api.base() + " is not UP (GET /api/v1/health) after 2 minutes");
    }

    private void requireIncidentsEndpoint(FleetApi api) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = api.get("api/v1/fleet/incidents?limit=1");
        if (r.statusCode() == 404) {
            throw new IOException("GET /api/v1/fleet/incidents answered 404: the fleet incidents are not installed "
                    + "in the distribution at " + api.base());
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET /api/v1/fleet/incidents answered " + r.statusCode() + ": "
                    + FleetApi.excerpt(r.body()));
        }
    }

    // ------------------------------------------------------------------------------------ incidents

    private void measureIncidentQueries(FleetApi api, FleetManifest manifest, Instant since)
            throws IOException, InterruptedException {
        int calls = o.integer("incident-calls", 20);
        String s = FleetApi.since(since);
        PlantedIncident sameMoment = manifest.incidents().stream()
                .filter(p -> p.kind() == PatternKind.SAME_MOMENT).findFirst().orElseThrow();
        Map<String, Map<String, String>> queries = new LinkedHashMap<>();
        queries.put("default (no parameters, first page)", Map.of());
        queries.put("since=window start, all pages", Map.of("since", s));
        queries.put("status=open, all pages", Map.of("since", s, "status", "open"));
        queries.put("cause=ADMIN_DISCONNECTED, all pages", Map.of("since", s, "cause", Cause.ADMIN_DISCONNECTED.name()));
        queries.put("domain=<a planted domain>, all pages", Map.of("since", s, "domain", sameMoment.domain()));
        queries.put("provider=google, all pages", Map.of("since", s, "provider", "google"));
        Map<String, Object> timings = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> q : queries.entrySet()) {
            boolean allPages = !q.getValue().isEmpty();
            List<Long> requests = new ArrayList<>();
            List<Long> totals = new ArrayList<>();
            int incidents = 0;
            for (int c = -2; c < calls; c++) { // two warm-up calls
                List<Long> pages = new ArrayList<>();
                long t0 = System.nanoTime();
                if (allPages) {
                    incidents = api.allIncidents(q.getValue(), 1000, pages).size();
                } else {
                    FleetApi.Page page = api.incidents(q.getValue());
                    pages.add(page.nanos());
                    incidents = page.incidents().size();
                }
                if (c >= 0) {
                    requests.addAll(pages);
                    totals.add(System.nanoTime() - t0);
                }
            }
            requests.sort(null);
            totals.sort(null);
            long median = percentile(requests, 0.5);
            long max = requests.get(requests.size() - 1);
            String pagesNote = allPages ? String.format(", %d page(s) of ≤ 1000, all pages median %s",
                    requests.size() / calls, ms(percentile(totals, 0.5))) : "";
            row("GET incidents: " + q.getKey(), String.format("median %s, max %s per request (%d calls, %,d incidents%s)",
                    ms(median), ms(max), calls, incidents, pagesNote));
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("median_ms", median / 1e6);
            t.put("max_ms", max / 1e6);
            t.put("incidents", incidents);
            t.put("requests", requests.size());
            timings.put(q.getKey(), t);
        }
        results.put("incident_queries", timings);
    }

    // ------------------------------------------------------------------------------------ diagnoses

    private void measureDiagnoses(FleetApi api, FleetManifest manifest) throws Exception {
        int samples = o.integer("diag-samples", 2000);
        int clients = o.integer("diag-clients", 4);
        long budget = System.nanoTime() + Duration.ofSeconds(o.number("diag-max-seconds", 900)).toNanos();
        Map<String, PlantedIncident> expected = new LinkedHashMap<>();
        for (PlantedIncident p : manifest.incidents()) {
            for (String m : p.members()) {
                expected.put(m, p);
            }
        }
        // half members (when there are enough), half accounts of no incident; drawn with replacement
        SplittableRandom rnd = new SplittableRandom(manifest.spec().seed());
        List<String> members = new ArrayList<>(expected.keySet());
        List<String> others = manifest.sampleAccounts();
        List<String> ids = new ArrayList<>(samples);
        for (int i = 0; i < samples; i++) {
            boolean member = (i % 2 == 0 && !members.isEmpty()) || others.isEmpty();
            ids.add(member ? members.get(rnd.nextInt(members.size())) : others.get(rnd.nextInt(others.size())));
        }
        int warmUp = Math.min(50, samples / 10);
        long[] nanos = new long[samples];
        int[] status = new int[samples];
        String[] cause = new String[samples];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    int i;
                    while (System.nanoTime() < budget && (i = next.getAndIncrement()) < samples) {
                        String path = "api/v1/accounts/" + URLEncoder.encode(ids.get(i), StandardCharsets.UTF_8)
                                + "/diagnosis";
                        long s = System.nanoTime();
                        HttpResponse<byte[]> r = api.get(path);
                        nanos[i] = System.nanoTime() - s;
                        status[i] = r.statusCode();
                        if (r.statusCode() == 200) {
                            cause[i] = FleetApi.JSON.readTree(r.body()).path("cause").asText(null);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long wall = System.nanoTime() - t0;
        List<Long> measured = new ArrayList<>();
        List<Long> memberNanos = new ArrayList<>();
        List<Long> otherNanos = new ArrayList<>();
        Map<Integer, Integer> errors = new TreeMap<>();
        Map<Scenario, Map<String, Integer>> causesByScenario = new TreeMap<>();
        int memberCalls = 0;
        int memberAgree = 0;
        int done = 0;
        for (int i = 0; i < samples; i++) {
            if (status[i] == 0) {
                continue; // not sent: the time budget ran out
            }
            done++;
            if (status[i] != 200) {
                errors.merge(status[i], 1, Integer::sum);
            }
            PlantedIncident want = expected.get(ids.get(i));
            if (want != null && status[i] == 200) {
                memberCalls++;
                memberAgree += want.cause().name().equals(cause[i]) ? 1 : 0;
                causesByScenario.computeIfAbsent(want.scenario(), x -> new TreeMap<>())
                        .merge(want.cause().name().equals(cause[i]) ? "=" : String.valueOf(cause[i]), 1, Integer::sum);
            }
            if (i >= warmUp) {
                measured.add(nanos[i]);
                (want != null ? memberNanos : otherNanos).add(nanos[i]);
            }
        }
        if (measured.isEmpty()) {
            row("stored diagnosis GET /api/v1/accounts/{id}/diagnosis", "no diagnosis beyond the warm-up completed "
                    + "within --diag-max-seconds (" + done + " done)");
            return;
        }
        measured.sort(null);
        memberNanos.sort(null);
        otherNanos.sort(null);
        long p50 = percentile(measured, 0.50);
        long p90 = percentile(measured, 0.90);
        long p99 = percentile(measured, 0.99);
        long max = measured.get(measured.size() - 1);
        row("stored diagnosis GET /api/v1/accounts/{id}/diagnosis", String.format("p50 %s, p90 %s, p99 %s, max %s "
                + "(%,d calls by %d clients after %d warm-up, %,.0f/s, errors %s%s)", ms(p50), ms(p90), ms(p99), ms(max),
                measured.size(), clients, warmUp, done / (wall / 1e9), errors.isEmpty() ? "none" : errors,
                done < samples ? String.format("; only %,d of %,d within --diag-max-seconds", done, samples) : ""));
        row("  members of a planted incident / other accounts", String.format("p50 %s / %s, p99 %s / %s",
                ms(percentile(memberNanos, 0.5)), ms(percentile(otherNanos, 0.5)), ms(percentile(memberNanos, 0.99)),
                ms(percentile(otherNanos, 0.99))));
        row("  member diagnoses naming their incident's cause", memberAgree + " / " + memberCalls);
        causesByScenario.forEach((sc, causes) -> {
            int agree = causes.getOrDefault("=", 0);
            int total = causes.values().stream().mapToInt(Integer::intValue).sum();
            if (agree < total) {
                StringBuilder other = new StringBuilder();
                causes.entrySet().stream().filter(e -> !e.getKey().equals("="))
                        .sorted((a, b) -> b.getValue() - a.getValue()).limit(3)
                        .forEach(e -> other.append(other.length() == 0 ? "" : ", ").append(e.getKey()).append(" ")
                                .append(e.getValue()));
                row("    " + sc.name(), agree + " / " + total + " (others: " + other + ")");
            }
        });
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("p50_ms", p50 / 1e6);
        d.put("p90_ms", p90 / 1e6);
        d.put("p99_ms", p99 / 1e6);
        d.put("max_ms", max / 1e6);
        d.put("calls", measured.size());
        d.put("clients", clients);
        d.put("errors", errors.values().stream().mapToInt(Integer::intValue).sum());
        d.put("member_calls", memberCalls);
        d.put("member_cause_agrees", memberAgree);
        results.put("stored_diagnosis", d);
    }

    // --------------------------------------------------------------------------------------- report

    private void report(IncidentComparison.Result cmp) {
        row("planted incidents found", String.format("%d / %d (in %d incident(s) found by the server%s)", cmp.found(),
                cmp.planted(), cmp.foundIncidents(), cmp.kindReported() ? "" : "; the answer has no \"kind\": not compared"));
        if (!cmp.outOfWindow().isEmpty()) {
            row("  not found, older than --window-days (not required)", Integer.toString(cmp.outOfWindow().size()));
        }
        if (!cmp.missing().isEmpty()) {
            Instant monthAgo = Instant.now().minus(Duration.ofDays(30));
            long old = cmp.missing().stream().filter(m -> m.planted().lastAt().isBefore(monthAgo)).count();
            row("  missing whose last failure is over 30 days old", old + " of " + cmp.missing().size());
        }
        row("false incidents (not planted)", Integer.toString(cmp.falseIncidents().size()));
        row("fragments (part of a planted incident, reported apart)", Integer.toString(cmp.fragments().size()));
        row("foreign members (background accounts in a planted incident)", Integer.toString(cmp.foreignMembers().size()));
        row("periods within ±15 % of the planted one", cmp.periodsWithin() + " / " + cmp.periodsChecked());
        cmp.periodMismatches().stream().limit(10).forEach(m -> row("  period", m));
        row("planted incidents found in more than one incident", Integer.toString(cmp.foundTwice().size()));
        cmp.foundTwice().stream().limit(10).forEach(m -> row("  twice", m));
        results.put("planted", cmp.planted());
        results.put("found", cmp.found());
        results.put("found_incidents", cmp.foundIncidents());
        results.put("false_incidents", cmp.falseIncidents().size());
        results.put("fragments", cmp.fragments().size());
        results.put("foreign_members", cmp.foreignMembers().size());
        results.put("found_in_more_than_one_incident", cmp.foundTwice().size());
    }

    private void printTable(FleetSpec spec, FleetManifest manifest, String db, IncidentComparison.Result cmp) {
        out.println();
        out.printf("Fleet benchmark — scale %s, database %s%n", o.get("scale", "smoke"), db);
        out.printf("fleet: %,d accounts over %,d domains, %,d events from %s to %s; %d planted incidents (%d per "
                        + "scenario, %,d member accounts), %,d background failures%n", spec.accounts(), spec.domains(),
                spec.events(), spec.start(), spec.now(), manifest.incidents().size(), spec.perKind(),
                manifest.count("planted_accounts"), manifest.count("background_failures"));
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        out.println("| " + pad("measure", width) + " | result");
        out.println("|-" + "-".repeat(width) + "-|-------");
        for (String[] r : rows) {
            out.println("| " + pad(r[0], width) + " | " + r[1]);
        }
        if (cmp == null) {
            return;
        }
        out.println();
        out.println("| scenario | planted | found |");
        out.println("|---|---|---|");
        cmp.byScenario().forEach((s, c) -> out.printf("| %s | %d | %d |%n", s.name(), c[0], c[1]));
        printMissing("Missing", cmp.missing());
        printMissing("Not found and older than --window-days (not required)", cmp.outOfWindow());
        printIncidents("False incidents", cmp.falseIncidents());
        printIncidents("Fragments", cmp.fragments());
        if (!cmp.foreignMembers().isEmpty()) {
            out.println();
            out.println("Foreign members (first 25):");
            cmp.foreignMembers().stream().limit(25).forEach(f -> out.println("  " + f));
        }
        out.println();
        out.println(cmp.ok() ? "RESULT: every planted incident found, no false incident."
                : "RESULT: MISMATCH — see above.");
    }

    private void printIncidents(String title, List<IncidentComparison.False> list) {
        if (list.isEmpty()) {
            return;
        }
        out.println();
        out.println(title + " (first 25):");
        list.stream().limit(25).forEach(f -> out.printf("  %s %s %s %s, %d account(s): %s%n", f.id(), f.kind(),
                f.cause(), f.scope(), f.members(), f.summary()));
    }

    private void printMissing(String title, List<IncidentComparison.Missing> list) {
        if (list.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        out.println();
        out.println(title + " (first 25):");
        list.stream().limit(25).forEach(m -> out.printf("  %s %s %s %s, last failure %d days ago: %s — nearest: %s%n",
                m.planted().id(), m.planted().kind(), m.planted().cause(),
                m.planted().domain() != null ? m.planted().domain() : m.planted().family().id(),
                Duration.between(m.planted().lastAt(), now).toDays(), m.planted().description(), m.nearest()));
    }

    private void writeResults(Path dir, String db, FleetSpec spec, IncidentComparison.Result cmp) throws IOException {
        ObjectNode root = FleetApi.JSON.createObjectNode();
        root.put("scale", o.get("scale", "smoke"));
        root.put("db", db);
        root.put("base_url", o.get("base-url", "http://localhost:8282"));
        root.put("measured_at", Instant.now().toString());
        root.put("accounts", spec.accounts());
        root.put("domains", spec.domains());
        root.put("events", spec.events());
        root.put("now", spec.now().toString());
        root.set("results", FleetApi.JSON.valueToTree(results));
        root.put("ok", cmp.ok());
        Path file = Path.of(o.get("out", dir.resolve("result-" + db + ".json").toString()));
        FleetManifest.JSON.writeValue(file.toFile(), root);
        out.println("Results: " + file);
    }

    // -------------------------------------------------------------------------------------- helpers

    private void row(String measure, String result) {
        rows.add(new String[] {measure, result});
        out.println("  " + measure + ": " + result);
    }

    private static long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static String ms(long nanos) {
        double ms = nanos / 1e6;
        return ms < 10 ? String.format("%.1f ms", ms) : String.format("%,.0f ms", ms);
    }

    private static String secs(long nanos) {
        double s = nanos / 1e9;
        return s < 100 ? String.format("%.1f s", s) : String.format("%,.0f s (%.1f min)", s, s / 60);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
