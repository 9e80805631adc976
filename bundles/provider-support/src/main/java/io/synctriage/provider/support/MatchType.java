package io.synctriage.provider.support;

import java.util.Locale;

/**
 * How one term of a signature row is matched (the part before the colon in
 * {@code aadsts:70043}, {@code text:Token has been expired or revoked.} ...).
 */
public enum MatchType {
    /** An AADSTS code, as a whole number ({@code AADSTS70043}, {@code "error_codes":[70043]}). */
    AADSTS,
    /** An EAS command status 100-199 ({@code Status 129}, {@code <Status>129</Status>}, {@code status=129}). */
    EAS_STATUS,
    /** An HTTP status 400-599 ({@code HTTP 401}, {@code 403 Forbidden}, {@code status=503}, {@code returned 449}). */
    HTTP,
    /** An identifier bounded by non-word characters ({@code invalid_grant}, {@code DeviceIsBlockedForThisUser}). */
    TOKEN,
    /** A phrase, case-insensitive, whitespace-normalised, trailing full stop optional. */
    TEXT,
    /** An IMAP response code in brackets ({@code [AUTHENTICATIONFAILED]}, {@code [WEBALERT https://…]}). */
    IMAP_CODE,
    /** A Java regular expression, case-insensitive, searched in the normalised text. */
    REGEX,
    /** The subject's {@code provider} attribute (e.g. {@code icloud}). */
    PROVIDER,
    /** The subject's email domain, or a parent domain of it. */
    DOMAIN;

    /** The lower-case name used in the table, e.g. {@code eas_status}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type with this table name, or null. */
    public static MatchType fromId(String id) {
        for (MatchType t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        return null;
    }
}
