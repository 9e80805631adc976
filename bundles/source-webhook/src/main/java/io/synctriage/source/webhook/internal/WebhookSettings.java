package io.synctriage.source.webhook.internal;

/**
 * One configuration of the receiver, swapped as a whole on a change so that a request sees either the old
 * or the new values, never a mix.
 *
 * @param signatures        the keys
 * @param maxBodyBytes      largest body accepted (after gzip decoding)
 * @param retryAfterSeconds {@code Retry-After} of a 503
 */
record WebhookSettings(Signatures signatures, long maxBodyBytes, int retryAfterSeconds) {

    /** Non-positive limits (a typo in the cfg file) fall back to the defaults. */
    static WebhookSettings of(WebhookConfig config) {
        return of(config.client_secret(), config.webhook_secret(), config.max_body_bytes(),
                config.retry_after_seconds());
    }

    static WebhookSettings of(String clientSecret, String webhookSecret, long maxBodyBytes, int retryAfterSeconds) {
        return new WebhookSettings(Signatures.of(clientSecret, webhookSecret),
                maxBodyBytes > 0 ? maxBodyBytes : WebhookConfig.DEFAULT_MAX_BODY_BYTES,
                retryAfterSeconds > 0 ? retryAfterSeconds : WebhookConfig.DEFAULT_RETRY_AFTER_SECONDS);
    }
}
