package io.synctriage.model.spi;

/**
 * What kind of failure a logged error is. The engine's provider-wide correlation (S2) joins only
 * failures that share a kind: credential errors of the application's OAuth client point at the
 * developer, server errors/timeouts at a provider outage.
 */
public enum ErrorKind {
    /** The application's own OAuth client is rejected (invalid_client, expired secret, deleted client). */
    CLIENT_CREDENTIALS,
    /** The account's credentials or grant are rejected (invalid_grant, wrong password, revoked). */
    AUTH,
    /** Policy or administration on the customer's side (conditional access, consent, device rules). */
    POLICY,
    /** Server error: 5xx, server-side failure codes. */
    SERVER,
    /** Timeouts, refused or reset connections. */
    NETWORK,
    /** Anything else (data, parsing, quota...). */
    OTHER
}
