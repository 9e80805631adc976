package io.synctriage.http.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The live configuration of the REST API (PID {@value HttpConfig#PID}), shared by the security context
 * and the servlets of this bundle.
 *
 * <p>Why a component of its own: DS copies a component's configuration into its service properties.
 * If the whiteboard context and servlets took the configuration themselves, every change would modify
 * their service registrations, and Pax Web 8 answers that by re-registering the context and all its
 * servlets — measured on Karaf 4.4.10 it failed half-way ("Could not obtain lock", then 404 for every
 * API path). Here a change only swaps the values below; the whiteboard services never change.
 */
@Component(service = ApiSettings.class, configurationPid = HttpConfig.PID)
@Designate(ocd = HttpConfig.class)
public class ApiSettings {

    /**
     * Limits of one configuration. A request keeps the instance it started with, so a configuration
     * change never releases a permit into the wrong semaphore.
     */
    record Limits(long maxBodyBytes, int maxConcurrent, Semaphore permits) {
        /** Non-positive values (a typo in the cfg file) fall back to the defaults. */
        static Limits of(long maxBodyBytes, int maxConcurrent) {
            long body = maxBodyBytes > 0 ? maxBodyBytes : HttpConfig.DEFAULT_MAX_BODY_BYTES;
            int concurrent = maxConcurrent > 0 ? maxConcurrent : HttpConfig.DEFAULT_MAX_CONCURRENT_DIAGNOSES;
            return new Limits(body, concurrent, new Semaphore(concurrent));
        }
    }

    private volatile BasicAuthenticator authenticator;
    private volatile Limits limits;

    @Activate
    public ApiSettings(HttpConfig config) {
        apply(config);
    }

    /** For tests. */
    ApiSettings(BasicAuthenticator authenticator, Limits limits) {
        this.authenticator = authenticator;
        this.limits = limits;
    }

    /** Applies a changed configuration in place; the credential cache starts empty. */
    @Modified
    void modified(HttpConfig config) {
        apply(config);
    }

    private void apply(HttpConfig config) {
        long ttlSeconds = Math.max(0, config.auth_cache_ttl_seconds());
        this.authenticator = new BasicAuthenticator(new JaasCredentialsCheck(config.auth_realm()),
                config.auth_required_role(), new AuthCache(TimeUnit.SECONDS.toNanos(ttlSeconds), System::nanoTime));
        this.limits = Limits.of(config.max_body_bytes(), config.max_concurrent_diagnoses());
    }

    BasicAuthenticator authenticator() {
        return authenticator;
    }

    Limits limits() {
        return limits;
    }
}
