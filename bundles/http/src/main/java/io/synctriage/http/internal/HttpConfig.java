package io.synctriage.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the REST surface, PID {@value #PID} ({@code etc/io.synctriage.http.cfg}).
 * Property names are the method names with {@code _} read as {@code .} (e.g. {@code max.body.bytes}).
 */
@ObjectClassDefinition(name = "Synctriage HTTP API",
        description = "Limits and authentication of the Synctriage REST API (/api/**).")
@interface HttpConfig {

    String PID = "io.synctriage.http";

    long DEFAULT_MAX_BODY_BYTES = 2L * 1024 * 1024;
    int DEFAULT_MAX_CONCURRENT_DIAGNOSES = 64;
    long DEFAULT_AUTH_CACHE_TTL_SECONDS = 60;

    @AttributeDefinition(name = "Maximum body size (bytes)", min = "1",
            description = "Largest request body accepted by POST /api/v1/diagnoses; larger bodies get 413.")
    long max_body_bytes() default DEFAULT_MAX_BODY_BYTES;

    @AttributeDefinition(name = "Maximum concurrent diagnoses", min = "1",
            description = "Diagnosis requests processed at the same time; beyond it the API answers 503 with "
                    + "Retry-After: 1.")
    int max_concurrent_diagnoses() default DEFAULT_MAX_CONCURRENT_DIAGNOSES;

    @AttributeDefinition(name = "JAAS realm",
            description = "The Karaf JAAS realm that checks HTTP Basic credentials.")
    String auth_realm() default "karaf";

    @AttributeDefinition(name = "Required role", required = false,
            description = "A role the user must hold (e.g. admin); empty: any user of the realm.")
    String auth_required_role() default "";

    @AttributeDefinition(name = "Credential cache TTL (seconds)", min = "0",
            description = "How long a successful credential check is reused without a new JAAS login; 0 disables "
                    + "the cache. A password change or a removed user takes effect after at most this long.")
    long auth_cache_ttl_seconds() default DEFAULT_AUTH_CACHE_TTL_SECONDS;
}
