package io.synctriage.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers successful credential checks for a short time.
 *
 * <p>Why: HTTP Basic sends the password with every request, and a JAAS login is far costlier than
 * the work behind most requests (Karaf's properties module re-reads {@code users.properties} and may
 * hash the password). The diagnosis endpoint must serve thousands of requests per second; a login on
 * each would dominate. The price is that a changed password or removed user still works for up to
 * the TTL.
 *
 * <p>Keys are salted SHA-256 hashes of user and password, so the cache never holds a password: a
 * heap dump shows neither the password nor an unsalted hash that could be looked up. Only successes
 * are cached; failures always go to JAAS.
 */
final class AuthCache {

    /** Bounds memory when many distinct valid credentials are used within one TTL. */
    static final int MAX_ENTRIES = 10_000;

    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final byte[] salt = new byte[16];
    private final ConcurrentHashMap<String, Long> expiries = new ConcurrentHashMap<>();

    /**
     * @param ttlNanos  how long a success is reused; {@code <= 0} disables the cache
     * @param nanoClock monotonic time ({@link System#nanoTime()} outside tests)
     */
    AuthCache(long ttlNanos, LongSupplier nanoClock) {
        this.ttlNanos = ttlNanos;
        this.nanoClock = nanoClock;
        new SecureRandom().nextBytes(salt);
    }

    boolean enabled() {
        return ttlNanos > 0;
    }

    /** True when these credentials were checked successfully less than the TTL ago. */
    boolean isFresh(String user, String password) {
        if (!enabled()) {
            return false;
        }
        String key = key(user, password);
        Long expiry = expiries.get(key);
        if (expiry == null) {
            return false;
        }
        if (nanoClock.getAsLong() - expiry < 0) {
            return true;
        }
        expiries.remove(key, expiry);
        return false;
    }

    /** Records a successful check of these credentials. */
    void remember(String user, String password) {
        if (!enabled()) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (expiries.size() >= MAX_ENTRIES) {
            expiries.values().removeIf(expiry -> now - expiry >= 0);
            if (expiries.size() >= MAX_ENTRIES) {
                // Still full of live entries: start over rather than grow; the next requests just log in again.
                expiries.clear();
            }
        }
        expiries.put(key(user, password), now + ttlNanos);
    }

    /** Entries held now (live or not yet purged). */
    int size() {
        return expiries.size();
    }

    private String key(String user, String password) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt);
            byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
            // Length prefix: ("ab", "c") and ("a", "bc") must not share a key.
            digest.update(new byte[] {(byte) (userBytes.length >>> 24), (byte) (userBytes.length >>> 16),
                    (byte) (userBytes.length >>> 8), (byte) userBytes.length});
            digest.update(userBytes);
            digest.update(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
