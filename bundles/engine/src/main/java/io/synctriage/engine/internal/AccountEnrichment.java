package io.synctriage.engine.internal;

import java.time.Instant;
import java.util.List;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.AuthType;
import io.synctriage.model.ProviderFamily;

/**
 * Derives what an account object leaves out from the account's own notifications: the email and
 * provider a v3 notification names, the v3 "linked_at" (the latest of created_at and any
 * re-authentication) and the last successful refresh ({@code grant_updated_at}). Applied to a bundle
 * when it is normalised and again to every evidence the engine diagnoses (stored evidence too), so
 * the rule lives in one place. Idempotent.
 */
final class AccountEnrichment {

    private AccountEnrichment() {
    }

    /**
     * @param explicitAuth the {@code authentication_type} given, or null: it decides the family of
     *                     {@code ews} when the provider is only learnt from a notification
     */
    static Account enrich(Account a, AuthType explicitAuth, List<AccountEvent> events) {
        String email = a.email();
        String provider = a.provider();
        ProviderFamily family = a.family();
        AuthType auth = a.authType();
        if (email == null) {
            email = events.stream().map(AccountEvent::email).filter(e -> e != null).reduce((x, y) -> y).orElse(null);
        }
        if (provider == null) {
            provider = events.stream().map(AccountEvent::provider).filter(p -> p != null).reduce((x, y) -> y).orElse(null);
            family = Providers.family(provider, explicitAuth);
            auth = Providers.effectiveAuth(family, explicitAuth);
        }
        Instant linkedAt = a.linkedAt();
        if (linkedAt == null && (a.apiVersion() == 3 || a.createdAt() != null)) {
            // v3 grants have no linked_at: the latest of created_at and any re-authentication.
            linkedAt = a.createdAt();
            for (AccountEvent e : events) {
                boolean reauth = "grant.created".equals(e.type())
                        || ("grant.updated".equals(e.type()) && Boolean.TRUE.equals(e.reauthentication()));
                if (reauth && e.timestamp() != null && (linkedAt == null || e.timestamp().isAfter(linkedAt))) {
                    linkedAt = e.timestamp();
                }
            }
        }
        Instant lastActivity = a.lastActivityAt();
        if (lastActivity == null) {
            // v3 grant.expired carries grant_updated_at: the last successful refresh.
            for (AccountEvent e : events) {
                if (e.grantUpdatedAt() != null && (lastActivity == null || e.grantUpdatedAt().isAfter(lastActivity))) {
                    lastActivity = e.grantUpdatedAt();
                }
            }
        }
        if (email == a.email() && provider == a.provider() && linkedAt == a.linkedAt() && lastActivity == a.lastActivityAt()) {
            return a;
        }
        return new Account(a.id(), email, provider, family, auth, a.state(), a.billingState(), linkedAt, a.createdAt(),
                lastActivity, a.inboxCount(), a.apiVersion());
    }
}
