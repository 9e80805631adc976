package io.synctriage.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * P2 check: what the store holds of one bench-webhooks.sh run, read straight from the distribution's H2 file
 * once the distribution is stopped (H2 locks the file while it runs). Counts the rows of the run's accounts
 * ({@code bench<run>n*}, see {@link WebhookBodies}) in {@code notifications}, {@code account_history} and
 * {@code accounts}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.synctriage.benchmarks.StoredNotifications \
 *     --db DIST/data/synctriage/evidence --run R</pre>
 *
 * Prints {@code STORED notifications=… history=… accounts=…}.
 */
public final class StoredNotifications {

    static final String USAGE = "StoredNotifications --db <file path without .mv.db> --run <run id>";

    /** Row counts of one run. */
    record Counts(long notifications, long history, long accounts) {
        String line() {
            return "STORED notifications=" + notifications + " history=" + history + " accounts=" + accounts;
        }
    }

    private StoredNotifications() {
    }

    public static void main(String[] argv) throws SQLException {
        Args args = Args.parseOrExit(argv, Set.of("db", "run"), USAGE);
        System.out.println(count(Path.of(args.required("db")), WebhookBodies.runId(args.required("run"))).line());
    }

    static Counts count(Path db, String run) throws SQLException {
        // IFEXISTS: a wrong path must fail, not create an empty database that counts 0.
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + db.toAbsolutePath() + ";IFEXISTS=TRUE", "sa", "")) {
            String like = WebhookBodies.accountPrefix(run) + "%";
            return new Counts(count(c, "notifications", like), count(c, "account_history", like),
                    count(c, "accounts", like));
        }
    }

    private static long count(Connection c, String table, String like) throws SQLException {
        String column = "accounts".equals(table) ? "id" : "account_id";
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE " + column + " LIKE ?")) {
            ps.setString(1, like);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
