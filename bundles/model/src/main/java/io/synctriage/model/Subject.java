package io.synctriage.model;

import java.time.Instant;
import java.util.Locale;

/** What the engine and provider checks need to know about any account: the diagnosed one or a peer. */
public interface Subject {
    /** Account id (API v2) or grant id (API v3); never null. */
    String id();

    /** Email address as given, or {@code null}. Compare with {@link #domain()} / case-insensitively. */
    String email();

    /** The provider attribute as given (e.g. {@code office365}, {@code gmail}, {@code eas}), or {@code null}. */
    String provider();

    /** The provider family; {@code null} only when no provider was given. */
    ProviderFamily family();

    /** Basic or OAuth: {@code authentication_type} when given, else the family's default. */
    AuthType authType();

    /** {@code sync_state} (v2) or {@code grant_status} (v3) as given; unknown values are kept. */
    String state();

    /** The latest successful (re)authentication, or {@code null}. */
    Instant linkedAt();

    /** The lower-cased part of the email after '@', or {@code null}. */
    default String domain() {
        String e = email();
        if (e == null) {
            return null;
        }
        int at = e.lastIndexOf('@');
        return at < 0 || at == e.length() - 1 ? null : e.substring(at + 1).trim().toLowerCase(Locale.ROOT);
    }

    /** The email lower-cased, or {@code null}. */
    default String normalizedEmail() {
        return email() == null ? null : email().trim().toLowerCase(Locale.ROOT);
    }
}
