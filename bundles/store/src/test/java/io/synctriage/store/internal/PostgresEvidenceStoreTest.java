package io.synctriage.store.internal;

import static org.junit.Assert.fail;

import org.junit.Assume;
import org.junit.BeforeClass;

/**
 * The store on PostgreSQL (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres},
 * trust authentication; override with {@code -Dsynctriage.postgresUrl=… -Dsynctriage.postgresUser=…}). Each
 * test runs in a fresh schema {@code synctriage_test_<random>}, dropped afterwards.
 *
 * <p>Without a reachable server the class is skipped with a message; with
 * {@code -Dsynctriage.requirePostgres=true} (CI) it fails instead.
 */
public class PostgresEvidenceStoreTest extends EvidenceStoreContract {

    @BeforeClass
    public static void requirePostgres() {
        String why = TestDatabase.postgresUnavailable();
        if (why == null) {
            return;
        }
        String message = "PostgreSQL at " + TestDatabase.PG_URL + " (user " + TestDatabase.PG_USER + ") is not reachable ("
                + why + ")";
        if (Boolean.getBoolean("synctriage.requirePostgres")) {
            fail(message + " and -Dsynctriage.requirePostgres=true: the PostgreSQL variant of the store tests must run");
        }
        System.out.println("SKIPPED: " + message + ". The store's PostgreSQL tests are skipped; start PostgreSQL 15 on "
                + "127.0.0.1:5432 with a database 'test' (trust auth) or set -Dsynctriage.postgresUrl / "
                + "-Dsynctriage.postgresUser, and run mvn -B verify -Dsynctriage.requirePostgres=true to make them mandatory.");
        Assume.assumeTrue(message, false);
    }

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres();
    }
}
