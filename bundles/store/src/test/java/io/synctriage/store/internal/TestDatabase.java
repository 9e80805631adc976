package io.synctriage.store.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * A fresh, empty database for one test: an H2 file in a temp dir, or a new schema in the test PostgreSQL;
 * behind a HikariCP pool, as in the distribution (pax-jdbc-config, pool=hikari). Without a pool every
 * transaction would open a connection: on H2 that reopens the database file, on PostgreSQL it forks a backend.
 */
abstract class TestDatabase implements AutoCloseable {

    static HikariDataSource pool(DataSource raw, String name) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(raw);
        config.setPoolName(name);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        return new HikariDataSource(config);
    }

    abstract DataSource dataSource();

    @Override
    public abstract void close();

    static TestDatabase h2() {
        try {
            File dir = Files.createTempDirectory("synctriage-store-test").toFile();
            return new H2(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class H2 extends TestDatabase {
        final File dir;
        private final HikariDataSource ds;

        H2(File dir) {
            this.dir = dir;
            JdbcDataSource raw = new JdbcDataSource();
            raw.setURL(url(dir));
            raw.setUser("sa");
            raw.setPassword("");
            ds = pool(raw, "h2-test");
        }

        /** The same URL shape as etc/org.ops4j.datasource-synctriage.cfg. */
        static String url(File dir) {
            return "jdbc:h2:file:" + new File(dir, "evidence").getAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=30000";
        }

        @Override
        DataSource dataSource() {
            return ds;
        }

        @Override
        public void close() {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException ignored) {
                // already closed
            }
            ds.close();
            File[] files = dir.listFiles();
            if (files != null) {
                for (File f : files) {
                    f.delete();
                }
            }
            dir.delete();
        }
    }

    static final String PG_URL = System.getProperty("synctriage.postgresUrl", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = System.getProperty("synctriage.postgresUser", "postgres");

    /** Why PostgreSQL cannot be used, or null when it can. */
    static String postgresUnavailable() {
        PGSimpleDataSource ds = pgDataSource(null);
        ds.setConnectTimeout(3);
        try (Connection c = ds.getConnection()) {
            return c.isValid(3) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static PGSimpleDataSource pgDataSource(String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(PG_URL);
        ds.setUser(PG_USER);
        if (schema != null) {
            ds.setCurrentSchema(schema);
        }
        return ds;
    }

    /** A new schema synctriage_test_&lt;random&gt;, dropped on close: parallel runs never collide. */
    static TestDatabase postgres() {
        String schema = "synctriage_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = pgDataSource(null).getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema + " on " + PG_URL + ": " + e.getMessage(), e);
        }
        HikariDataSource ds = pool(pgDataSource(schema), "pg-test");
        return new TestDatabase() {
            @Override
            DataSource dataSource() {
                return ds;
            }

            @Override
            public void close() {
                ds.close();
                try (Connection c = pgDataSource(null).getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                } catch (SQLException e) {
                    throw new IllegalStateException("cannot drop schema " + schema + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
