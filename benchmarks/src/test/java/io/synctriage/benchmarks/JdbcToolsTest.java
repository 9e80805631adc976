package io.synctriage.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Smoke-size runs of the P2 JDBC tools: the baseline and the stored-row count, on a real H2 file. */
public class JdbcToolsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void theSchemaIsTheStoresMigrationsInVersionOrder() {
        List<String> scripts = StoreSchema.scripts();
        assertEquals("V1__evidence_store.sql", scripts.get(0));
        assertTrue(scripts.toString(), scripts.contains("V2__api_call_response.sql"));
    }

    @Test
    public void theBaselineStoresEveryDeliveryAndReportsARate() throws Exception {
        Path db = tmp.getRoot().toPath().resolve("baseline");
        JdbcInsertBaseline.Result r = JdbcInsertBaseline.run(db, 0, 300, 64, 20);
        assertEquals(300, r.deliveries());
        assertTrue(r.line(), r.deliveriesPerSecond() > 0);
        assertTrue(r.line(), r.line().startsWith("BASELINE deliveries=300 batch=64 "));
        try (Connection c = DriverManager.getConnection(JdbcInsertBaseline.url(db), "sa", "")) {
            for (String table : List.of("accounts", "notifications", "account_history")) {
                try (var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    assertEquals(table, 320, rs.getLong(1)); // 20 warm-up + 300 timed
                }
            }
        }
        // a later segment appends (new ids), segment 0 starts over
        JdbcInsertBaseline.run(db, 1, 100, 64, 10);
        assertEquals(430, accounts(db));
        JdbcInsertBaseline.run(db, 0, 50, 64, 0);
        assertEquals(50, accounts(db));
    }

    private static long accounts(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection(JdbcInsertBaseline.url(db), "sa", "");
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM accounts")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    public void storedNotificationsCountsOnlyTheRunsRows() throws Exception {
        Path db = tmp.getRoot().toPath().resolve("evidence");
        JdbcInsertBaseline.run(db, 0, 10, 4, 0); // rows of other accounts, which must not count
        try (Connection c = DriverManager.getConnection(JdbcInsertBaseline.url(db), "sa", "")) {
            c.setAutoCommit(false);
            JdbcInsertBaseline.insert(c, WebhookBodies.accountPrefix("r1"), 7, 3);
            JdbcInsertBaseline.insert(c, WebhookBodies.accountPrefix("r11"), 5, 3);
        }
        assertEquals(new StoredNotifications.Counts(7, 7, 7), StoredNotifications.count(db, "r1"));
        assertEquals(new StoredNotifications.Counts(5, 5, 5), StoredNotifications.count(db, "r11"));
    }
}
