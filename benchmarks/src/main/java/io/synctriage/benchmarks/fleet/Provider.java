package io.synctriage.benchmarks.fleet;

import io.synctriage.model.ProviderFamily;

/** The provider attributes the synthetic fleet uses: the spelling an account carries, its family, v2 or v3. */
enum Provider {
    OFFICE365("office365", ProviderFamily.MICROSOFT, false),
    MICROSOFT_V3("microsoft", ProviderFamily.MICROSOFT, true),
    OUTLOOK("outlook", ProviderFamily.MICROSOFT, false),
    HOTMAIL("hotmail", ProviderFamily.MICROSOFT, false),
    GMAIL("gmail", ProviderFamily.GOOGLE, false),
    GOOGLE_V3("google", ProviderFamily.GOOGLE, true),
    IMAP("imap", ProviderFamily.IMAP, false),
    IMAP_V3("imap", ProviderFamily.IMAP, true),
    YAHOO("yahoo", ProviderFamily.IMAP, false),
    YAHOO_V3("yahoo", ProviderFamily.IMAP, true),
    ICLOUD("icloud", ProviderFamily.IMAP, false),
    ICLOUD_V3("icloud", ProviderFamily.IMAP, true),
    EAS("eas", ProviderFamily.EAS, false);

    private static final Provider[] VALUES = values();

    private final String attribute;
    private final ProviderFamily family;
    private final boolean v3;

    Provider(String attribute, ProviderFamily family, boolean v3) {
        this.attribute = attribute;
        this.family = family;
        this.v3 = v3;
    }

    /** The {@code provider} attribute as the account record and the notifications carry it. */
    String attribute() {
        return attribute;
    }

    ProviderFamily family() {
        return family;
    }

    /** An API v3 grant (grant.* notifications) rather than a v2 account (account.* deltas). */
    boolean v3() {
        return v3;
    }

    static Provider of(int ordinal) {
        return VALUES[ordinal];
    }
}
