package io.synctriage.store.internal;

import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates and migrates the schema with Flyway: versioned SQL scripts under
 * {@code io/synctriage/store/migration} (V1__…, V2__…), applied once each, recorded in the
 * {@code flyway_schema_history} table, checksummed (an edited, already-applied script stops the start
 * instead of silently diverging). Several nodes starting against one PostgreSQL serialise on Flyway's lock.
 * The scripts are the same for both databases; a value that must differ is a placeholder set from the
 * {@link Dialect} ({@code ${identity_cache}}).
 */
final class Migrations {

    static final String LOCATION = "classpath:io/synctriage/store/migration";

    private Migrations() {
    }

    /** Brings the schema of {@code dataSource} (its default schema) to the latest version; returns what ran. */
    static MigrateResult migrate(DataSource dataSource, Dialect dialect) {
        ClassLoader own = Migrations.class.getClassLoader();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // In OSGi the thread context class loader is whatever the caller had (SCR's, Karaf's…). Flyway is
        // embedded in this bundle: its ServiceLoader lookups of database plugins and its classpath scan of
        // the migration scripts must use this bundle's class loader, given explicitly and as TCCL for the
        // code paths inside Flyway that consult the TCCL.
        thread.setContextClassLoader(own);
        try {
            return Flyway.configure(own)
                    .dataSource(dataSource)
                    .locations(LOCATION)
                    .placeholders(Map.of("identity_cache", Integer.toString(dialect.identityCache())))
                    .table("flyway_schema_history")
                    // A schema that already holds unrelated tables (a shared PostgreSQL database) is fine: it
                    // is baselined at version 0, below V1, so every script still runs. Without this Flyway
                    // refuses any non-empty schema that has no history table.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .validateOnMigrate(true)
                    .cleanDisabled(true)
                    .load()
                    .migrate();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
