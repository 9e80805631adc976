package io.synctriage.http.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Typed configurations for tests, as DS would build them. */
final class TestConfigs {

    private TestConfigs() {
    }

    static HttpConfig http(long maxBody, int maxConcurrent, String realm, String role, long ttlSeconds) {
        HttpConfig config = mock(HttpConfig.class);
        when(config.max_body_bytes()).thenReturn(maxBody);
        when(config.max_concurrent_diagnoses()).thenReturn(maxConcurrent);
        when(config.auth_realm()).thenReturn(realm);
        when(config.auth_required_role()).thenReturn(role);
        when(config.auth_cache_ttl_seconds()).thenReturn(ttlSeconds);
        return config;
    }
}
