package io.synctriage.model;

import java.time.Instant;

/**
 * The diagnosed account, normalised from an API v2 account object (management or {@code /account}
 * shape) or an API v3 grant.
 *
 * @param id             account id or grant id
 * @param email          {@code email}, {@code email_address} (v2 /account) or the grant's email
 * @param provider       the provider attribute as given
 * @param family         provider family (null when no provider is known)
 * @param authType       basic or OAuth after the S4 rules
 * @param state          {@code sync_state} or {@code grant_status}
 * @param billingState   {@code paid}, {@code cancelled}, {@code deleted} or null
 * @param linkedAt       latest successful (re)authentication
 * @param createdAt      v3 grant creation time
 * @param lastActivityAt last successful sync or token refresh
 * @param inboxCount     messages in the inbox, when known
 * @param apiVersion     2 or 3
 */
public record Account(String id, String email, String provider, ProviderFamily family, AuthType authType,
                      String state, String billingState, Instant linkedAt, Instant createdAt,
                      Instant lastActivityAt, Integer inboxCount, int apiVersion) implements Subject {
}
