package io.synctriage.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;

/**
 * P2 baseline: how fast plain JDBC stores the rows of signed webhook deliveries into the distribution's H2,
 * with none of the product around it. Per delivery (as the store writes an {@code account.invalid} delta for a
 * new account, see {@link WebhookBodies}): one {@code accounts} row, one {@code notifications} row and one
 * {@code account_history} row; a JDBC batch of {@code --batch} deliveries per statement and one COMMIT per
 * batch, in one thread.
 *
 * <p>The database is a new H2 file (the store's schema, {@link StoreSchema}) opened with the distribution's
 * data-source settings ({@code WRITE_DELAY=0}: every commit is written to the file before it returns, as the
 * store requires for "200 after commit"). bench-webhooks.sh puts it next to the distribution's own
 * {@code data/synctriage/evidence.mv.db}, on the same disk.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.synctriage.benchmarks.JdbcInsertBaseline \
 *     --db DIR/jdbc-baseline [--deliveries 50000] [--batch 64] [--warmup 5000] [--segment 0]</pre>
 *
 * Prints {@code BASELINE deliveries=… batch=… seconds=… deliveries_per_s=… rows_per_s=…}.
 */
public final class JdbcInsertBaseline {

    static final String USAGE = "JdbcInsertBaseline --db <file path without .mv.db> [--deliveries n] [--batch n] [--warmup n] "
            + "[--segment n: 0 creates the database, n > 0 appends]";
    static final int ROWS_PER_DELIVERY = 3;

    private static final String INSERT_ACCOUNT = "INSERT INTO accounts (id, email, domain, provider, family, auth_type, "
            + "state, state_at, billing_state, linked_at, created_at, last_activity_at, inbox_count, api_version, "
            + "snapshot_at, first_seen_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_NOTIFICATION = "INSERT INTO notifications (delivery_key, type, occurred_at, "
            + "ordered_at, account_id, email, provider, error, message, notification_id, reauthentication, "
            + "grant_updated_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_HISTORY = "INSERT INTO account_history (account_id, state, previous_state, "
            + "changed_at, source, trigger_type, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** What one timed run measured. */
    record Result(int deliveries, int batch, double seconds) {
        double deliveriesPerSecond() {
            return deliveries / seconds;
        }

        String line() {
            return String.format(Locale.ROOT, "BASELINE deliveries=%d batch=%d seconds=%.3f deliveries_per_s=%.0f rows_per_s=%.0f",
                    deliveries, batch, seconds, deliveriesPerSecond(), deliveriesPerSecond() * ROWS_PER_DELIVERY);
        }
    }

    private JdbcInsertBaseline() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parseOrExit(argv, Set.of("db", "deliveries", "batch", "warmup", "segment"), USAGE);
        int deliveries = args.positiveInt("deliveries", 50_000);
        int batch = args.positiveInt("batch", 64);
        int warmup = args.nonNegativeInt("warmup", Math.min(5_000, deliveries / 5));
        int segment = args.nonNegativeInt("segment", 0);
        Result r = run(Path.of(args.required("db")), segment, deliveries, batch, warmup);
        System.out.println(r.line());
    }

    /**
     * Warms up, then times the deliveries. Segment 0 creates a new database at {@code db} (its files are
     * replaced); a later segment appends to it, so that timed runs interleaved with the webhook runs of
     * bench-webhooks.sh see the table grow as the store's does.
     */
    static Result run(Path db, int segment, int deliveries, int batch, int warmup) throws SQLException, IOException {
        Path dir = db.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = db.getFileName().toString();
        if (segment == 0) {
            Files.deleteIfExists(dir.resolve(name + ".mv.db"));
            Files.deleteIfExists(dir.resolve(name + ".trace.db"));
        } else if (!Files.exists(dir.resolve(name + ".mv.db"))) {
            throw new IllegalArgumentException("segment " + segment + " appends to " + db + ", which does not exist");
        }
        try (Connection c = DriverManager.getConnection(url(db), "sa", "")) {
            if (segment == 0) {
                StoreSchema.create(c);
            }
            try (Statement s = c.createStatement()) {
                s.execute("SET WRITE_DELAY 0");
            }
            c.setAutoCommit(false);
            // Warm-up rows (other ids) let this new JVM's JIT compile H2's insert path first, as the
            // distribution's was by bench-webhooks.sh's warm-up; they stay, as the warm-up deliveries stay in the store.
            if (warmup > 0) {
                insert(c, "jdbc" + segment + "w", warmup, batch);
            }
            long start = System.nanoTime();
            insert(c, "jdbc" + segment + "n", deliveries, batch);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(deliveries, batch, seconds);
        }
    }

    static String url(Path db) {
        return "jdbc:h2:file:" + db.toAbsolutePath() + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Inserts the rows of {@code deliveries} deliveries for the accounts {@code <idPrefix><k>}, committing per batch. */
    static void insert(Connection c, String idPrefix, int deliveries, int batch) throws SQLException {
        try (PreparedStatement account = c.prepareStatement(INSERT_ACCOUNT);
             PreparedStatement notification = c.prepareStatement(INSERT_NOTIFICATION);
             PreparedStatement history = c.prepareStatement(INSERT_HISTORY)) {
            long date = Instant.now().getEpochSecond();
            for (int k = 0; k < deliveries; k++) {
                String id = idPrefix + k;
                OffsetDateTime occurred = OffsetDateTime.ofInstant(Instant.ofEpochSecond(date), ZoneOffset.UTC);
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                bindAccount(account, id, occurred, now);
                account.addBatch();
                bindNotification(notification, id, date, occurred, now);
                notification.addBatch();
                bindHistory(history, id, occurred, now);
                history.addBatch();
                if ((k + 1) % batch == 0 || k + 1 == deliveries) {
                    // the store's order: the account first, then what names it
                    account.executeBatch();
                    notification.executeBatch();
                    history.executeBatch();
                    c.commit();
                }
            }
        }
    }

    private static void bindAccount(PreparedStatement ps, String id, OffsetDateTime stateAt, OffsetDateTime now)
            throws SQLException {
        ps.setString(1, id);
        for (int i = 2; i <= 6; i++) { // email, domain, provider, family, auth_type: a v2 delta does not say
            ps.setNull(i, Types.VARCHAR);
        }
        ps.setString(7, "invalid");
        ps.setObject(8, stateAt);
        ps.setNull(9, Types.VARCHAR);
        ps.setNull(10, Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setNull(11, Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setNull(12, Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setNull(13, Types.INTEGER);
        ps.setInt(14, 2);
        ps.setNull(15, Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setObject(16, now);
        ps.setObject(17, now);
    }

    private static void bindNotification(PreparedStatement ps, String id, long date, OffsetDateTime occurred,
                                         OffsetDateTime now) throws SQLException {
        ps.setString(1, "v2:" + id + ":account.invalid:" + date);
        ps.setString(2, "account.invalid");
        ps.setObject(3, occurred);
        ps.setObject(4, occurred);
        ps.setString(5, id);
        for (int i = 6; i <= 10; i++) { // email, provider, error, message, notification_id
            ps.setNull(i, Types.VARCHAR);
        }
        ps.setNull(11, Types.BOOLEAN);
        ps.setNull(12, Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setObject(13, now);
    }

    private static void bindHistory(PreparedStatement ps, String id, OffsetDateTime changedAt, OffsetDateTime now)
            throws SQLException {
        ps.setString(1, id);
        ps.setString(2, "invalid");
        ps.setNull(3, Types.VARCHAR);
        ps.setObject(4, changedAt);
        ps.setString(5, "notification");
        ps.setString(6, "account.invalid");
        ps.setObject(7, now);
    }
}
