package io.synctriage.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The two databases the store is tested on. The schema and every query are the same SQL on both; the
 * dialect only adds what makes each one correct under its own concurrency and durability model.
 */
enum Dialect {
    /**
     * Embedded H2 (file mode). Only one JVM can open the file and all writes of a store go through its
     * single writer thread, so no other transaction can insert a delivery key between the NOT EXISTS check
     * and the insert.
     */
    H2("", 1000),
    /**
     * PostgreSQL, possibly shared by several Synctriage nodes: two nodes may insert the same delivery key
     * at once, which ON CONFLICT DO NOTHING turns into "skipped, counted as duplicate" instead of a unique
     * violation that would abort the whole transaction.
     */
    POSTGRESQL(" ON CONFLICT (delivery_key) DO NOTHING", 1);

    private final String insertIgnoreSuffix;
    private final int identityCache;

    Dialect(String insertIgnoreSuffix, int identityCache) {
        this.insertIgnoreSuffix = insertIgnoreSuffix;
        this.identityCache = identityCache;
    }

    /**
     * The CACHE of the tables' identity sequences (V5__identity_cache.sql says why each value): on H2 every
     * refill of the cache is a disk commit of its own; on PostgreSQL a cache is per session and would break
     * the commit order of the positions.
     */
    int identityCache() {
        return identityCache;
    }

    /** Appended to the notification INSERT … SELECT … WHERE NOT EXISTS. */
    String insertIgnoreSuffix() {
        return insertIgnoreSuffix;
    }

    /**
     * Makes the queries of one read transaction planned for their actual parameters. pgjdbc turns a statement
     * into a server-side prepared one after five uses, and PostgreSQL then switches to a generic plan when it
     * looks no dearer: for "failures of this domain between $1 and $2" the generic plan guesses a narrow time
     * range and walks the time index over the whole look-back month of the fleet's notifications, instead of
     * the domain's few accounts (measured at 100,000 accounts: 1.8 ms generic vs 0.3 ms custom, growing with
     * the fleet). Planning each query costs well under a millisecond. PostgreSQL 12 and later; H2 has no plan cache
     * of this kind.
     */
    void planForParameters(Connection c) throws SQLException {
        if (this == POSTGRESQL && c.getMetaData().getDatabaseMajorVersion() >= 12) {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL plan_cache_mode = force_custom_plan");
            }
        }
    }

    static Dialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("h2")) {
            return H2;
        }
        throw new SQLException("unsupported database '" + c.getMetaData().getDatabaseProductName()
                + "': the evidence store runs on H2 or PostgreSQL");
    }

    /**
     * Makes a committed transaction survive a crash of the process. H2 (MVStore) by default writes
     * committed changes to its file from a background thread up to 500 ms later: a SIGKILL loses
     * everything committed in that window (measured: 200 acknowledged single-row commits, then
     * {@code Runtime.halt}: the reopened file did not even contain the table). WRITE_DELAY 0 writes every
     * commit to the file before COMMIT returns. The setting is persistent in the database file; the store
     * sets it on every start so that an operator's JDBC URL cannot silently weaken "nothing acknowledged is
     * ever lost". PostgreSQL's default (fsync, synchronous_commit=on) already is durable.
     */
    void makeDurable(Connection c) throws SQLException {
        if (this == H2) {
            try (Statement s = c.createStatement()) {
                s.execute("SET WRITE_DELAY 0");
            }
        }
    }
}
