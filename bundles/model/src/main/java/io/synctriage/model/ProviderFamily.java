package io.synctriage.model;

import java.util.Locale;
import java.util.Map;

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

    /** Provider spellings (decision-tree.md S4); unknown spellings are generic IMAP ("Other"). */
    private static final Map<String, ProviderFamily> SPELLINGS = Map.ofEntries(
            Map.entry("office365", MICROSOFT), Map.entry("o365", MICROSOFT), Map.entry("microsoft", MICROSOFT),
            Map.entry("microsoft365", MICROSOFT), Map.entry("m365", MICROSOFT), Map.entry("graph", MICROSOFT),
            Map.entry("outlook", MICROSOFT), Map.entry("hotmail", MICROSOFT), Map.entry("live", MICROSOFT),
            Map.entry("msn", MICROSOFT),
            Map.entry("gmail", GOOGLE), Map.entry("google", GOOGLE), Map.entry("gsuite", GOOGLE),
            Map.entry("g suite", GOOGLE), Map.entry("workspace", GOOGLE), Map.entry("googleworkspace", GOOGLE),
            Map.entry("google workspace", GOOGLE),
            Map.entry("eas", EAS), Map.entry("exchange", EAS), Map.entry("activesync", EAS), Map.entry("ews", EAS),
            Map.entry("imap", IMAP), Map.entry("yahoo", IMAP), Map.entry("icloud", IMAP), Map.entry("aol", IMAP),
            Map.entry("other", IMAP), Map.entry("generic", IMAP));

    /**
     * The family of a provider attribute as platforms spell it ({@code office365}, {@code gmail}, {@code ews}…):
     * unknown spellings are generic IMAP ("Other"), a missing provider has no family. EWS with OAuth is Exchange
     * Online through Microsoft's identity platform (the Microsoft checks know its AADSTS codes); with a password
     * it is on-premises Exchange.
     *
     * @param provider     the provider attribute, or null
     * @param explicitAuth the account's {@code authentication_type}, or null
     * @since 1.1
     */
    public static ProviderFamily ofProvider(String provider, AuthType explicitAuth) {
        if (provider == null || provider.isBlank()) {
            return null;
        }
        String key = provider.trim().toLowerCase(Locale.ROOT);
        if (key.equals("ews") && explicitAuth == AuthType.OAUTH) {
            return MICROSOFT;
        }
        return SPELLINGS.getOrDefault(key, IMAP);
    }

    @Override
    public String toString() {
        return id;
    }
}
