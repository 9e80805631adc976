package io.synctriage.store.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.synctriage.model.StateChange;

import io.synctriage.model.AccountEvent;
import io.synctriage.model.EvidenceRecord.Notification;

/**
 * "Nothing acknowledged is ever lost" on H2 file mode: a child JVM stores notifications one call at a
 * time, prints each key once store() returned, and dies with {@code Runtime.halt} (no shutdown hooks, no
 * close: what a SIGKILL leaves). Every acknowledged key must be in the reopened file.
 */
public class CrashDurabilityTest {

    static final int RECORDS = 200;

    @Test
    public void everyAcknowledgedNotificationSurvivesAnAbruptExit() throws Exception {
        File dir = Files.createTempDirectory("synctriage-crash").toFile();
        try {
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CrashDurabilityTest.class.getName(), dir.getAbsolutePath())
                    .redirectErrorStream(true).start();
            List<String> acked = new ArrayList<>();
            List<String> output = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("acked ")) {
                        acked.add(line.substring(6));
                    }
                }
            }
            assertTrue("child did not finish", child.waitFor(120, TimeUnit.SECONDS));
            assertEquals("child output: " + output, 9, child.exitValue());
            assertEquals("child output: " + output, RECORDS, acked.size());

            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL(TestDatabase.H2.url(dir));
            ds.setUser("sa");
            Set<String> stored = new HashSet<>();
            long lastPosition;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT delivery_key FROM notifications")) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
                try (ResultSet rs = s.executeQuery("SELECT MAX(seq) FROM account_history")) {
                    rs.next();
                    lastPosition = rs.getLong(1);
                }
                s.execute("SHUTDOWN");
            }
            for (String key : acked) {
                assertTrue("acknowledged but lost after the crash: " + key, stored.contains(key));
            }

            // The identity sequences record their high-water mark only every CACHE values
            // (V5__identity_cache.sql): after the crash they must resume above every position already used,
            // or the evidence feed would hand out a position twice.
            JdbcDataSource raw = new JdbcDataSource();
            raw.setURL(TestDatabase.H2.url(dir));
            raw.setUser("sa");
            try (HikariDataSource pool = TestDatabase.pool(raw, "after-crash")) {
                JdbcEvidenceStore store = new JdbcEvidenceStore(pool, StoreSettings.defaults(), Clock.systemUTC(), false);
                try {
                    store.store(List.of(new Notification(new AccountEvent("account.invalid",
                            Instant.parse("2026-05-13T10:00:00Z"), "acct-after", null, null, null, null, null, null, null),
                            "after-crash")));
                    List<StateChange> after = store.stateChangesAfter(lastPosition, 10);
                    assertEquals(List.of("acct-after"), after.stream().map(StateChange::accountId).toList());
                } finally {
                    store.close();
                }
            } // (closing the pool's last connection closes the H2 database)
        } finally {
            File[] files = dir.listFiles();
            if (files != null) {
                for (File f : files) {
                    f.delete();
                }
            }
            dir.delete();
        }
    }

    /** The child: store, acknowledge, die. */
    public static void main(String[] args) throws Exception {
        JdbcDataSource raw = new JdbcDataSource();
        raw.setURL(TestDatabase.H2.url(new File(args[0])));
        raw.setUser("sa");
        JdbcEvidenceStore store = new JdbcEvidenceStore(TestDatabase.pool(raw, "crash"), StoreSettings.defaults(),
                Clock.systemUTC(), false);
        Instant t = Instant.parse("2026-05-12T10:00:00Z");
        for (int i = 0; i < RECORDS; i++) {
            String key = "delivery-" + i;
            store.store(List.of(new Notification(new AccountEvent("account.invalid", t.plusSeconds(i), "acct-" + (i % 7),
                    null, null, null, null, null, null, null), key)));
            System.out.println("acked " + key);
            System.out.flush();
        }
        Runtime.getRuntime().halt(9);
    }
}
