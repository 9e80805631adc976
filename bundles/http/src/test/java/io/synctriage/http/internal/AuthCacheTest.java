package io.synctriage.http.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

public class AuthCacheTest {

    private final AtomicLong now = new AtomicLong(-5_000L);

    @Test
    public void remembersUntilExpiry() {
        AuthCache cache = new AuthCache(100, now::get);
        assertFalse(cache.isFresh("u", "p"));
        cache.remember("u", "p");
        assertTrue(cache.isFresh("u", "p"));
        now.addAndGet(99);
        assertTrue(cache.isFresh("u", "p"));
        now.addAndGet(1);
        assertFalse(cache.isFresh("u", "p"));
        assertTrue("expired entries are dropped when seen", cache.size() == 0);
    }

    @Test
    public void userAndPasswordBoundariesMatter() {
        AuthCache cache = new AuthCache(100, now::get);
        cache.remember("ab", "c");
        assertFalse(cache.isFresh("a", "bc"));
        assertTrue(cache.isFresh("ab", "c"));
    }

    @Test
    public void disabledCacheRemembersNothing() {
        AuthCache cache = new AuthCache(0, now::get);
        cache.remember("u", "p");
        assertFalse(cache.isFresh("u", "p"));
        assertTrue(cache.size() == 0);
    }

    @Test
    public void sizeIsBounded() {
        AuthCache cache = new AuthCache(1_000_000, now::get);
        for (int i = 0; i < AuthCache.MAX_ENTRIES + 50; i++) {
            cache.remember("user" + i, "p");
        }
        assertTrue(cache.size() <= AuthCache.MAX_ENTRIES);
        assertTrue("the newest entry is kept", cache.isFresh("user" + (AuthCache.MAX_ENTRIES + 49), "p"));
    }

    @Test
    public void expiredEntriesAreEvictedFirstWhenFull() {
        AuthCache cache = new AuthCache(100, now::get);
        for (int i = 0; i < AuthCache.MAX_ENTRIES - 1; i++) {
            cache.remember("old" + i, "p");
        }
        now.addAndGet(50);
        cache.remember("live", "p");
        now.addAndGet(60); // the old ones expired, "live" did not
        cache.remember("new", "p");
        assertTrue(cache.isFresh("live", "p"));
        assertTrue(cache.isFresh("new", "p"));
        assertTrue(cache.size() == 2);
    }
}
