package io.synctriage.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;

import org.junit.Test;

public class ApiSettingsTest {

    @Test
    public void appliesTheConfiguration() {
        ApiSettings settings = new ApiSettings(TestConfigs.http(1000, 3, "karaf", "", 60));
        assertEquals(1000, settings.limits().maxBodyBytes());
        assertEquals(3, settings.limits().maxConcurrent());
        assertEquals(3, settings.limits().permits().availablePermits());
    }

    @Test
    public void aChangeReplacesLimitsAndAuthenticatorInPlace() {
        ApiSettings settings = new ApiSettings(TestConfigs.http(1000, 3, "karaf", "", 60));
        BasicAuthenticator before = settings.authenticator();
        ApiSettings.Limits limitsBefore = settings.limits();

        settings.modified(TestConfigs.http(2000, 5, "other", "admin", 0));

        assertNotSame(before, settings.authenticator());
        assertEquals(2000, settings.limits().maxBodyBytes());
        assertEquals(5, settings.limits().permits().availablePermits());
        assertEquals("requests in flight keep their own semaphore", 3, limitsBefore.permits().availablePermits());
    }

    @Test
    public void defaultsMatchTheShippedCfgFile() throws Exception {
        java.util.Properties cfg = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(
                java.nio.file.Path.of("src/main/cfg/io.synctriage.http.cfg"))) {
            cfg.load(in);
        }
        assertEquals(String.valueOf(HttpConfig.DEFAULT_MAX_BODY_BYTES), cfg.getProperty("max.body.bytes"));
        assertEquals(String.valueOf(HttpConfig.DEFAULT_MAX_CONCURRENT_DIAGNOSES),
                cfg.getProperty("max.concurrent.diagnoses"));
        assertEquals("karaf", cfg.getProperty("auth.realm"));
        assertEquals("", cfg.getProperty("auth.required.role"));
        assertEquals(String.valueOf(HttpConfig.DEFAULT_AUTH_CACHE_TTL_SECONDS),
                cfg.getProperty("auth.cache.ttl.seconds"));
        assertEquals(5, cfg.size());
    }
}
