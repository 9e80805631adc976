package io.synctriage.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * P2 input: N distinct, signed Nylas API v2 webhook deliveries, one per line as
 * {@code <X-Nylas-Signature>\t<body>} (the body is one line of JSON). wrk's Lua cannot compute an HMAC, so
 * bench-webhooks.sh generates them here and its Lua script ({@code wrk/webhooks.lua}) cycles through them.
 *
 * <p>Each delivery is one {@code account.invalid} delta for a new account {@code bench<run>n<k>}: the store
 * inserts the account, the notification (delivery key {@code v2:bench<run>n<k>:account.invalid:<date>}) and one
 * state-history row — the rows {@link JdbcInsertBaseline} inserts, and {@link StoredNotifications} counts by
 * the {@code bench<run>n} prefix afterwards.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.synctriage.benchmarks.WebhookBodies \
 *     --secret S --count N --run R --out FILE [--first K]</pre>
 */
public final class WebhookBodies {

    static final String USAGE = "WebhookBodies --secret <client.secret> --count <n> --run <run id, [a-z0-9]+> --out <file> "
            + "[--first <k>: number of the first delivery, to continue a run in another file]";

    private WebhookBodies() {
    }

    public static void main(String[] argv) throws IOException {
        Args args = Args.parseOrExit(argv, Set.of("secret", "count", "run", "out", "first"), USAGE);
        String run = runId(args.required("run"));
        int count = args.positiveInt("count", 1);
        int first = args.nonNegativeInt("first", 0);
        Path out = Path.of(args.required("out"));
        long date = Instant.now().getEpochSecond();
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            Mac mac = mac(args.required("secret"));
            for (int k = first; k < first + count; k++) {
                String body = body(accountId(run, k), date);
                w.write(HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8))));
                w.write('\t');
                w.write(body);
                w.write('\n');
            }
        }
        System.out.println("WEBHOOKS count=" + count + " run=" + run + " file=" + out);
    }

    /** The run id goes into account ids and delivery keys: lower-case letters and digits only. */
    static String runId(String run) {
        if (!run.matches("[a-z0-9]{1,20}")) {
            throw new IllegalArgumentException("--run must be 1-20 lower-case letters or digits, got '" + run + "'");
        }
        return run;
    }

    /** The account of delivery {@code k} of a run; every delivery names a new one. */
    static String accountId(String run, int k) {
        return "bench" + run + "n" + k;
    }

    /** The account-id prefix shared by every delivery of a run (what {@link StoredNotifications} counts). */
    static String accountPrefix(String run) {
        return "bench" + run + "n";
    }

    /** A v2 delivery as Nylas sends it: one {@code account.invalid} delta. */
    static String body(String accountId, long date) {
        return "{\"deltas\":[{\"date\":" + date + ",\"object\":\"account\",\"type\":\"account.invalid\","
                + "\"object_data\":{\"namespace_id\":\"" + accountId + "\",\"account_id\":\"" + accountId
                + "\",\"object\":\"account\",\"attributes\":null,\"id\":\"" + accountId + "\",\"metadata\":null}}]}";
    }

    /** HMAC-SHA256 keyed with the secret as the receiver reads it from its cfg (trimmed, UTF-8). */
    static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.trim().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
