package io.synctriage.engine.internal;

import java.util.Locale;

import io.synctriage.model.AuthType;
import io.synctriage.model.ProviderFamily;

/**
 * Provider spellings → provider family and default auth (decision-tree.md S4): the spelling table is
 * {@link ProviderFamily#ofProvider}; this adds the {@code authentication_type} spellings.
 */
final class Providers {

    private Providers() {
    }

    /** The family of a provider spelling (the table is the model's, shared with the store). */
    static ProviderFamily family(String provider, AuthType explicitAuth) {
        return ProviderFamily.ofProvider(provider, explicitAuth);
    }

    /** {@code authentication_type} spellings; null when absent or not recognised. */
    static AuthType authType(String authenticationType) {
        if (authenticationType == null) {
            return null;
        }
        switch (authenticationType.trim().toLowerCase(Locale.ROOT)) {
            case "password":
            case "basic":
            case "app_password":
            case "app-password":
            case "imap":
                return AuthType.BASIC;
            case "oauth":
            case "oauth2":
            case "xoauth2":
            case "token":
                return AuthType.OAUTH;
            default:
                return null;
        }
    }

    /** The effective auth: explicit when given, else the family's default, else null. */
    static AuthType effectiveAuth(ProviderFamily family, AuthType explicit) {
        if (explicit != null) {
            return explicit;
        }
        return family == null ? null : family.defaultAuth();
    }
}
