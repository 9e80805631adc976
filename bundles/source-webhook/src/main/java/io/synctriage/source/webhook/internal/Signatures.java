package io.synctriage.source.webhook.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies {@code X-Nylas-Signature}: the hex HMAC-SHA256 of the raw request body, keyed with the API v2
 * client secret or the API v3 webhook secret. Holds the keys; never prints them ({@link #toString()}).
 */
final class Signatures {

    /** What a signature check found. Only {@link #V2} and {@link #V3} are accepted. */
    enum Outcome {
        /** Signed with the v2 client secret. */
        V2,
        /** Signed with the v3 webhook secret. */
        V3,
        /** No signature header. */
        MISSING,
        /** Not 64 hex digits. */
        MALFORMED,
        /** Well-formed, but neither key produced it (wrong secret, or a body changed on the way). */
        MISMATCH
    }

    private static final String HMAC = "HmacSHA256";
    private static final int HEX_LENGTH = 64;

    private final byte[] clientSecret;
    private final byte[] webhookSecret;

    private Signatures(byte[] clientSecret, byte[] webhookSecret) {
        this.clientSecret = clientSecret;
        this.webhookSecret = webhookSecret;
    }

    /** Blank secrets are "not configured": nothing signed with an empty key is accepted. */
    static Signatures of(String clientSecret, String webhookSecret) {
        return new Signatures(keyOf(clientSecret), keyOf(webhookSecret));
    }

    private static byte[] keyOf(String secret) {
        // Trimmed: a secret pasted into a cfg file easily picks up a trailing blank.
        return secret == null || secret.isBlank() ? null : secret.trim().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether at least one secret is set; without one every POST is refused. */
    boolean configured() {
        return clientSecret != null || webhookSecret != null;
    }

    /**
     * Checks {@code header} against the HMAC of each configured key over {@code body}. Both keys are
     * always computed and compared with {@link MessageDigest#isEqual} (constant time), so the answer time
     * says nothing about how much of a forged signature was right.
     */
    Outcome check(String header, byte[] body) {
        if (header == null || header.isBlank()) {
            return Outcome.MISSING;
        }
        byte[] given = decodeHex(header.trim());
        if (given == null) {
            return Outcome.MALFORMED;
        }
        boolean v2 = clientSecret != null && MessageDigest.isEqual(given, hmac(clientSecret, body));
        boolean v3 = webhookSecret != null && MessageDigest.isEqual(given, hmac(webhookSecret, body));
        if (v3) {
            return Outcome.V3;
        }
        return v2 ? Outcome.V2 : Outcome.MISMATCH;
    }

    /** The hex HMAC-SHA256 of {@code body} under {@code key}, as Nylas computes it (also used by the tests). */
    static String sign(String key, byte[] body) {
        byte[] mac = hmac(key.getBytes(StandardCharsets.UTF_8), body);
        StringBuilder hex = new StringBuilder(mac.length * 2);
        for (byte b : mac) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    private static byte[] hmac(byte[] key, byte[] body) {
        try {
            // Mac instances are not thread-safe; one per call costs microseconds.
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every Java SE platform: this cannot happen on a working JVM.
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** 64 hex digits (either case) → 32 bytes; anything else → null. */
    static byte[] decodeHex(String text) {
        if (text.length() != HEX_LENGTH) {
            return null;
        }
        String hex = text.toLowerCase(Locale.ROOT);
        byte[] out = new byte[HEX_LENGTH / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Signatures[client.secret " + (clientSecret == null ? "unset" : "set")
                + ", webhook.secret " + (webhookSecret == null ? "unset" : "set") + "]";
    }
}
