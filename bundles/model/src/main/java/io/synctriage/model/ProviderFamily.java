package io.synctriage.model;

import java.util.Locale;

/**
 * The provider families of decision-tree.md S4. A provider bundle serves one family; the engine
 * maps every provider spelling (office365, gmail, eas, yahoo...) to one of them.
 */
public enum ProviderFamily {
    MICROSOFT("microsoft", AuthType.OAUTH),
    GOOGLE("google", AuthType.OAUTH),
    /** Exchange ActiveSync / EWS: the dashboard's "Exchange". */
    EAS("eas", AuthType.BASIC),
    /** Generic IMAP and password providers: the dashboard's "Other". */
    IMAP("imap", AuthType.BASIC);

    private final String id;
    private final AuthType defaultAuth;

    ProviderFamily(String id, AuthType defaultAuth) {
        this.id = id;
        this.defaultAuth = defaultAuth;
    }

    /** The lower-case id used in service properties, health and {@code checks.provider}. */
    public String id() {
        return id;
    }

    /** The authentication a provider of this family implies when the account does not say. */
    public AuthType defaultAuth() {
        return defaultAuth;
    }

    /** The family with this {@link #id()}, case-insensitive; {@code null} when none. */
    public static ProviderFamily fromId(String id) {
        if (id == null) {
            return null;
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (ProviderFamily f : values()) {
            if (f.id.equals(wanted)) {
                return f;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return id;
    }
}
