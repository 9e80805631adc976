package io.synctriage.source.webhook.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the Nylas webhook receiver, PID {@value #PID} ({@code etc/io.synctriage.webhook.cfg}).
 * Property names are the method names with {@code _} read as {@code .} (e.g. {@code client.secret}).
 */
@ObjectClassDefinition(name = "Synctriage Nylas webhook receiver",
        description = "Secrets and limits of POST /webhooks/nylas (signed Nylas v2 and v3 notifications).")
@interface WebhookConfig {

    String PID = "io.synctriage.webhook";

    long DEFAULT_MAX_BODY_BYTES = 1024L * 1024;
    int DEFAULT_RETRY_AFTER_SECONDS = 60;

    @AttributeDefinition(name = "API v2 client secret", type = AttributeType.PASSWORD, required = false,
            description = "The application's client secret: Nylas API v2 signs every webhook with it. "
                    + "Empty: v2 signatures are not accepted.")
    String client_secret() default "";

    @AttributeDefinition(name = "API v3 webhook secret", type = AttributeType.PASSWORD, required = false,
            description = "The webhook_secret Nylas API v3 returned for this destination. "
                    + "Empty: v3 signatures are not accepted.")
    String webhook_secret() default "";

    @AttributeDefinition(name = "Maximum body size (bytes)", min = "1",
            description = "Largest notification accepted (after gzip decoding); larger ones get 413.")
    long max_body_bytes() default DEFAULT_MAX_BODY_BYTES;

    @AttributeDefinition(name = "Retry-After (seconds)", min = "1",
            description = "Sent with 503 when the evidence store cannot take the notification; Nylas retries.")
    int retry_after_seconds() default DEFAULT_RETRY_AFTER_SECONDS;
}
