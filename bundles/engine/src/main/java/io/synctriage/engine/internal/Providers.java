package io.synctriage.engine.internal;

import java.util.Locale;
import java.util.Map;

import io.synctriage.model.AuthType;
import io.synctriage.model.ProviderFamily;

/**
 * Provider spellings → provider family and default auth (decision-tree.md S4). One table, so a new
 * spelling is a one-line change.
 */
final class Providers {

    private static final Map<String, ProviderFamily> FAMILIES = Map.ofEntries(
            Map.entry("office365", ProviderFamily.MICROSOFT),
            Map.entry("o365", ProviderFamily.MICROSOFT),
            Map.entry("microsoft", ProviderFamily.MICROSOFT),
            Map.entry("microsoft365", ProviderFamily.MICROSOFT),
            Map.entry("m365", ProviderFamily.MICROSOFT),
            Map.entry("graph", ProviderFamily.MICROSOFT),
            Map.entry("outlook", ProviderFamily.MICROSOFT),
            Map.entry("hotmail", ProviderFamily.MICROSOFT),
            Map.entry("live", ProviderFamily.MICROSOFT),
            Map.entry("msn", ProviderFamily.MICROSOFT),
            Map.entry("gmail", ProviderFamily.GOOGLE),
            Map.entry("google", ProviderFamily.GOOGLE),
            Map.entry("gsuite", ProviderFamily.GOOGLE),
            Map.entry("g suite", ProviderFamily.GOOGLE),
            Map.entry("workspace", ProviderFamily.GOOGLE),
            Map.entry("googleworkspace", ProviderFamily.GOOGLE),
            Map.entry("google workspace", ProviderFamily.GOOGLE),
            Map.entry("eas", ProviderFamily.EAS),
            Map.entry("exchange", ProviderFamily.EAS),
            Map.entry("activesync", ProviderFamily.EAS),
            Map.entry("ews", ProviderFamily.EAS),
            Map.entry("imap", ProviderFamily.IMAP),
            Map.entry("yahoo", ProviderFamily.IMAP),
            Map.entry("icloud", ProviderFamily.IMAP),
            Map.entry("aol", ProviderFamily.IMAP),
            Map.entry("other", ProviderFamily.IMAP),
            Map.entry("generic", ProviderFamily.IMAP));

    private Providers() {
    }

    /** The family of a provider spelling; unknown spellings are generic IMAP ("Other"), null stays null. */
    static ProviderFamily family(String provider, AuthType explicitAuth) {
        if (provider == null || provider.isBlank()) {
            return null;
        }
        String key = provider.trim().toLowerCase(Locale.ROOT);
        // EWS with OAuth is Exchange Online through Microsoft's identity platform: the Microsoft
        // checks know its AADSTS codes; with a password it is on-premises Exchange ("Exchange").
        if (key.equals("ews") && explicitAuth == AuthType.OAUTH) {
            return ProviderFamily.MICROSOFT;
        }
        return FAMILIES.getOrDefault(key, ProviderFamily.IMAP);
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
