package io.synctriage.itests;

import static io.synctriage.itests.Nylas.delta;
import static io.synctriage.itests.Nylas.grantExpired;
import static io.synctriage.itests.Nylas.sign;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;

/**
 * "200 means stored", checked the hard way: THE BUILT DISTRIBUTION runs as a child process ({@code bin/karaf
 * server}, as an operator starts it), receives signed webhook deliveries from several client threads, and its
 * JVM is killed with SIGKILL the instant the last {@code 200} arrives: no shutdown hook, no orderly close of
 * the database, no flush. After a restart every acknowledged delivery must be in the store, and a redelivery
 * of one of them must be recognised as a duplicate.
 *
 * <p>A plain JUnit test (run by Failsafe), not Pax Exam: Pax Exam owns its container's lifecycle and can only
 * stop it politely. Unix only (the start script, SIGKILL).
 */
public class DurabilityIT {

    static final String CLIENT_SECRET = "durability-v2-client-secret-5f1a7";
    static final String WEBHOOK_SECRET = "durability-v3-webhook-secret-8c2e0";

    /** v2 deliveries, one {@code account.invalid} delta each, for as many distinct accounts. */
    static final int V2_DELIVERIES = 200;
    /** v3 {@code grant.expired} notifications, each for its own grant. */
    static final int V3_NOTIFICATIONS = 10;
    /** Concurrent senders: deliveries are in flight together, so the store's group commit is exercised. */
    static final int SENDERS = 8;

    /** Until health, the webhook receiver and the store answer. Boot takes ~10 s here; a busy CI box more. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** A delivery answered 503 (the store still binding at boot) is sent again, as the platform would, until then. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    /** Exit status of a JVM killed by signal 9 as {@link Process#exitValue()} reports it (128 + signal). */
    static final int SIGKILL_EXIT = 128 + 9;

    private static final String HEALTH = "/api/v1/health";
    private static final String WEBHOOK = "/webhooks/nylas";
    private static final String ACCOUNTS = "/api/v1/accounts";
    private static final String AUTH = Http.basic(Http.USER, Http.PASSWORD);

    /** target/durability/&lt;run&gt;: the console output of each start, and the unpacked distribution. */
    private Path workDir;
    /** The distribution's home (KARAF_HOME) inside {@link #workDir}. */
    private Path home;
    private int httpPort;
    private Http http;
    private Process karaf;
    private Path consoleLog;
    private int starts;

    /** The unpacked distribution (50 MB) is removed when the test passed, kept for a post-mortem when it failed. */
    @Rule
    public final TestWatcher keepOnFailure = new TestWatcher() {
        @Override
        protected void succeeded(Description description) {
            if (home != null && !Boolean.getBoolean("synctriage.itest.keepRuntime")) {
                deleteTree(home);
            }
        }

        @Override
        protected void failed(Throwable e, Description description) {
            if (workDir != null) {
                System.err.println("DurabilityIT failed; console output and the distribution are kept in "
                        + workDir.toAbsolutePath());
            }
        }
    };

    @Before
    public void unpackAndConfigure() throws Exception {
        Assume.assumeFalse("needs bin/karaf and SIGKILL (Unix)",
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"));
        File distribution = Containers.requiredFile("synctriage.distribution");
        workDir = Path.of("target", "durability", UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(workDir);
        long t0 = System.nanoTime();
        home = unpack(distribution.toPath(), workDir);
        log("unpacked %s in %d ms", home, millisSince(t0));

        httpPort = Containers.freePort();
        http = new Http("http://127.0.0.1:" + httpPort);
        Path etc = home.resolve("etc");
        // SSH on a free loopback port: a developer's running Karaf (8101) or a parallel build must not clash.
        putProperty(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(Containers.freePort()));
        putProperty(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "127.0.0.1");
        // The `management` feature (JMX over RMI, 1099/44444) is not booted today; should it be, free ports too.
        Path management = etc.resolve("org.apache.karaf.management.cfg");
        if (Files.exists(management)) {
            putProperty(management, "rmiRegistryPort", String.valueOf(Containers.freePort()));
            putProperty(management, "rmiServerPort", String.valueOf(Containers.freePort()));
            putProperty(management, "rmiRegistryHost", "127.0.0.1");
            putProperty(management, "rmiServerHost", "127.0.0.1");
        }
        // Written before the first boot, as an operator would: the features' configfiles (override=false)
        // then keep these files and the defaults of the PIDs fill in the rest.
        putProperty(etc.resolve("io.synctriage.webhook.cfg"), "client.secret", CLIENT_SECRET);
        putProperty(etc.resolve("io.synctriage.webhook.cfg"), "webhook.secret", WEBHOOK_SECRET);
        // No demo fleet: the store must hold exactly what was delivered.
        putProperty(etc.resolve("io.synctriage.importer.cfg"), "demo.enabled", "false");
    }

    /** Never leaves a JVM behind, whatever happened (a failed assertion, a timeout). */
    @After
    public void killKaraf() throws InterruptedException {
        if (karaf != null && karaf.isAlive()) {
            karaf.descendants().forEach(ProcessHandle::destroyForcibly);
            karaf.destroyForcibly();
            if (!karaf.waitFor(30, TimeUnit.SECONDS)) {
                System.err.println("Karaf pid " + karaf.pid() + " did not exit within 30 s of SIGKILL");
            }
        }
    }

    @Test(timeout = 300_000)
    public void everyAcknowledgedDeliverySurvivesSigkill() throws Exception {
        start();
        log("first start: up after %d ms", awaitUp());
        ProcessHandle java = karaf.toHandle();
        assertTrue("bin/karaf execs java (KARAF_EXEC=exec), so SIGKILL hits the JVM itself, not a shell: "
                + java.info().command(), java.info().command().orElse("").endsWith("/java"));
        assertEquals("karaf.pid names the JVM that is killed", String.valueOf(java.pid()),
                Files.readString(home.resolve("karaf.pid"), UTF_8).trim());

        List<Delivery> deliveries = deliveries();
        AtomicInteger outstanding = new AtomicInteger(deliveries.size());
        AtomicLong lastAckAt = new AtomicLong();
        AtomicLong killedAt = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        long sendStart = System.nanoTime();
        try {
            for (Delivery delivery : deliveries) {
                senders.execute(() -> {
                    Http.Response response = null;
                    Exception error = null;
                    try {
                        response = deliver(delivery);
                    } catch (Exception e) {
                        error = e;
                    }
                    if (outstanding.decrementAndGet() == 0) {
                        // The last answer is in: kill at once, before anything else can flush.
                        lastAckAt.set(System.nanoTime());
                        karaf.destroyForcibly();
                        killedAt.set(System.nanoTime());
                    }
                    if (error != null) {
                        failures.add(delivery.accountId + ": " + error);
                    } else if (response.status() != 200 || !storedOnce(response)) {
                        failures.add(delivery.accountId + ": " + response);
                    }
                });
            }
        } finally {
            senders.shutdown();
        }
        assertTrue("deliveries finished", senders.awaitTermination(DELIVERY_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS));
        log("%d deliveries acknowledged by %d senders in %d ms; SIGKILL sent %d µs after the last 200",
                deliveries.size(), SENDERS, millisSince(sendStart), (killedAt.get() - lastAckAt.get()) / 1000);
        assertTrue("every delivery was acknowledged with 200 and stored once: " + failures, failures.isEmpty());

        assertTrue("the JVM died", karaf.waitFor(30, TimeUnit.SECONDS));
        assertEquals("killed by SIGKILL (exit 137), not shut down (0) or terminated (143); output:\n"
                + tail(consoleLog), SIGKILL_EXIT, karaf.exitValue());
        assertTrue("nothing of the killed instance is left running",
                java.descendants().noneMatch(ProcessHandle::isAlive));

        start();
        log("restart after SIGKILL: up after %d ms", awaitUp());

        Set<String> expected = new TreeSet<>();
        deliveries.forEach(d -> expected.add(d.accountId));
        Map<String, Map<String, Object>> stored = accounts();
        Set<String> lost = new TreeSet<>(expected);
        lost.removeAll(stored.keySet());
        assertTrue(lost.size() + " acknowledged deliveries lost by the SIGKILL: " + lost, lost.isEmpty());
        assertEquals("exactly the delivered accounts (demo fleet off)", expected, stored.keySet());
        for (Delivery delivery : deliveries) {
            Map<String, Object> account = stored.get(delivery.accountId);
            assertEquals("the state its notification gave (account.invalid / grant.expired): " + account, "invalid",
                    account.get("sync_state"));
            if (delivery.email != null) {
                assertEquals("the grant's email from its notification: " + account, delivery.email,
                        account.get("email"));
            }
        }

        // The delivery keys survived too: the platform redelivers what it is unsure about, stored once.
        for (Delivery again : List.of(deliveries.get(0), deliveries.get(deliveries.size() - 1))) {
            Map<String, Object> answer = Json.object(deliver(again).body());
            assertEquals("redelivery of " + again.accountId + " after the restart: " + answer, 0, answer.get("stored"));
            assertEquals("redelivery of " + again.accountId + " after the restart: " + answer, 1,
                    answer.get("duplicates"));
        }
        assertEquals("nothing stored twice", expected, accounts().keySet());
        Http.Response diagnosis = http.get(ACCOUNTS + "/" + deliveries.get(0).accountId + "/diagnosis", AUTH);
        assertEquals("the stored evidence is diagnosed: " + diagnosis, 200, diagnosis.status());
        assertEquals(diagnosis.body(), deliveries.get(0).accountId, Json.object(diagnosis.body()).get("account_id"));
    }

    // ------------------------------------------------------------------------------------------ deliveries

    /** One signed POST to the receiver: the account it is about, the email when the notification names one. */
    private record Delivery(String accountId, String email, String body, String signature) {
    }

    private static List<Delivery> deliveries() throws Exception {
        List<Delivery> all = new ArrayList<>(V2_DELIVERIES + V3_NOTIFICATIONS);
        long at = Instant.now().minus(2, ChronoUnit.HOURS).getEpochSecond();
        for (int i = 0; i < V2_DELIVERIES; i++) {
            String id = String.format(Locale.ROOT, "dur-v2-%03d", i);
            String body = "{\"deltas\":[" + delta("account.invalid", at + i, id) + "]}";
            all.add(new Delivery(id, null, body, sign(CLIENT_SECRET, body)));
        }
        Instant expiredAt = Instant.now().minus(90, ChronoUnit.MINUTES);
        for (int i = 0; i < V3_NOTIFICATIONS; i++) {
            String id = String.format(Locale.ROOT, "dur-v3-grant-%02d", i);
            String email = String.format(Locale.ROOT, "user%02d@durability-test.example", i);
            String body = grantExpired("ntf-dur-" + i, id, email, expiredAt.plusSeconds(i));
            all.add(new Delivery(id, email, body, sign(WEBHOOK_SECRET, body)));
        }
        return all;
    }

    /** POSTs a delivery; a 503 (store not bound yet, or busy) is sent again, as the platform retries non-200s. */
    private Http.Response deliver(Delivery delivery) throws Exception {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while (true) {
            Http.Response response = http.post(WEBHOOK, Map.of("Content-Type", "application/json",
                    "X-Nylas-Signature", delivery.signature), delivery.body.getBytes(UTF_8));
            if (response.status() != 503 || System.nanoTime() > deadline) {
                return response;
            }
            Thread.sleep(200);
        }
    }

    private static boolean storedOnce(Http.Response response) {
        try {
            return Integer.valueOf(1).equals(Json.object(response.body()).get("stored"));
        } catch (IOException | AssertionError notJson) {
            return false;
        }
    }

    /** The stored accounts by id (at most 1000, the API's page limit; the test stores 210). */
    private Map<String, Map<String, Object>> accounts() throws Exception {
        Http.Response response = http.get(ACCOUNTS + "?limit=1000", AUTH);
        assertEquals(response.toString(), 200, response.status());
        Map<String, Map<String, Object>> byId = new java.util.TreeMap<>();
        for (Object item : Json.list(Json.object(response.body()).get("accounts"), "accounts")) {
            Map<String, Object> account = Json.map(item, "account");
            byId.put(String.valueOf(account.get("id")), account);
        }
        return byId;
    }

    // --------------------------------------------------------------------------------------------- process

    /** {@code bin/karaf server}: no local console, output appended to target/durability/&lt;run&gt;/karaf-N.out. */
    private void start() throws IOException {
        starts++;
        consoleLog = workDir.resolve("karaf-" + starts + ".out");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin").resolve("karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        // Nothing of a developer's own Karaf or JVM settings: the distribution's bin/setenv decides.
        env.keySet().removeIf(name -> name.startsWith("KARAF_") || name.equals("JAVA_OPTS")
                || name.equals("EXTRA_JAVA_OPTS") || name.equals("SYNCTRIAGE_JAVA_OPTS"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // bin/karaf otherwise runs java as a child of its shell (to restart it on exit code 10): with exec the
        // process we hold IS the JVM, so destroyForcibly() (SIGKILL on Unix) hits Karaf and nothing else.
        env.put("KARAF_EXEC", "exec");
        // read by the shipped etc/org.ops4j.pax.web.cfg
        env.put("SYNCTRIAGE_HTTP_PORT", String.valueOf(httpPort));
        karaf = builder.start();
    }

    /** Waits, bounded, until health, the webhook receiver and the store answer; returns the milliseconds it took. */
    private long awaitUp() throws Exception {
        long start = System.nanoTime();
        long deadline = start + START_TIMEOUT.toNanos();
        while (true) {
            if (!karaf.isAlive()) {
                fail("Karaf exited with " + karaf.exitValue() + " before it was up; output:\n" + tail(consoleLog));
            }
            if (up()) {
                return millisSince(start);
            }
            if (System.nanoTime() > deadline) {
                fail("Karaf not up within " + START_TIMEOUT.toSeconds() + " s (health, webhook challenge, accounts); "
                        + "output:\n" + tail(consoleLog) + "\nkaraf.log:\n" + tail(home.resolve("data/log/karaf.log")));
            }
            Thread.sleep(250);
        }
    }

    private boolean up() throws InterruptedException {
        try {
            return http.get(HEALTH, null).status() == 200
                    && http.get(WEBHOOK + "?challenge=up", null).status() == 200
                    && http.get(ACCOUNTS + "?limit=1", AUTH).status() == 200;
        } catch (IOException notYet) {
            return false; // connection refused while Jetty starts
        }
    }

    // --------------------------------------------------------------------------------------------- helpers

    /** Unpacks with the system tar, which keeps the scripts' execute bits; returns the distribution's home. */
    private static Path unpack(Path tarGz, Path into) throws Exception {
        Path out = into.resolve("tar.out");
        Process tar = new ProcessBuilder("tar", "-xzf", tarGz.toString(), "-C", into.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!tar.waitFor(120, TimeUnit.SECONDS)) {
            tar.destroyForcibly();
            fail("tar did not unpack " + tarGz + " within 120 s");
        }
        assertEquals("tar -xzf " + tarGz + ": " + Files.readString(out, UTF_8), 0, tar.exitValue());
        try (Stream<Path> children = Files.list(into)) {
            List<Path> homes = children.filter(p -> Files.isExecutable(p.resolve("bin").resolve("karaf"))).toList();
            assertEquals("one distribution directory with an executable bin/karaf in " + into, 1, homes.size());
            return homes.get(0);
        }
    }

    /** Sets {@code key = value} in a .cfg file: replaces the key's line(s), or appends it; creates the file. */
    static void putProperty(Path file, String key, String value) throws IOException {
        Pattern line = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*$");
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, UTF_8)) : new ArrayList<>();
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (line.matcher(lines.get(i)).matches()) {
                lines.set(i, key + " = " + value);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(key + " = " + value);
        }
        Files.write(file, lines, UTF_8);
    }

    /** The last lines of a log, for failure messages. */
    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(" + file + " unreadable: " + e + ")";
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void log(String format, Object... args) {
        System.out.println("[DurabilityIT] " + String.format(Locale.ROOT, format, args));
    }
}
