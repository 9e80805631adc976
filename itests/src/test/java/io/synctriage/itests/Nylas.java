package io.synctriage.itests;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook payloads as the email-sync platform sends them (v2 account deltas, v3 grant notifications) and
 * their {@code X-Nylas-Signature}. Shared by the tests that run inside a container (WebhookIT) and those that
 * drive a distribution from outside (DurabilityIT).
 */
final class Nylas {

    private Nylas() {
    }

    /** One v2 delta about an account ({@code account.invalid}, {@code account.stopped} …), date in epoch seconds. */
    static String delta(String type, long date, String accountId) {
        return "{\"date\":" + date + ",\"object\":\"account\",\"type\":\"" + type + "\",\"object_data\":{"
                + "\"namespace_id\":\"" + accountId + "\",\"account_id\":\"" + accountId + "\",\"object\":\"account\","
                + "\"attributes\":null,\"id\":\"" + accountId + "\",\"metadata\":null}}";
    }

    /** A v3 {@code grant.expired} notification of a Microsoft grant (idempotency key: the notification id). */
    static String grantExpired(String notificationId, String grantId, String email, Instant at) {
        return "{\"specversion\":\"1.0\",\"type\":\"grant.expired\",\"source\":\"/nylas/system\",\"id\":\""
                + notificationId + "\",\"time\":" + at.getEpochSecond() + ",\"data\":{\"application_id\":\"itest-app\","
                + "\"object\":{\"code\":25009,\"grant_id\":\"" + grantId + "\",\"integration_id\":\"itest-int\","
                + "\"provider\":\"microsoft\",\"email\":\"" + email + "\",\"grant_updated_at\":"
                + at.minus(20, ChronoUnit.HOURS).getEpochSecond() + "}}}";
    }

    /** Hex HMAC-SHA256 of the body's UTF-8 bytes, keyed with the secret: the {@code X-Nylas-Signature} value. */
    static String sign(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
        StringBuilder hex = new StringBuilder();
        for (byte b : mac.doFinal(body.getBytes(UTF_8))) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
