package io.synctriage.source.importer.internal;

import java.util.Locale;
import java.util.Map;

import io.synctriage.model.EvidenceSource;

/** The kinds of record an import carries: NDJSON {@code "kind"} values and the JSON-object array names. */
enum RecordKind {
    ACCOUNT("account", "accounts"),
    WEBHOOK("webhook", "webhooks"),
    API_LOG("api_log", "api_log"),
    SYNC_LOG("sync_log", "sync_log"),
    AUTH_LOG("auth_log", "auth_log");

    /** Accepted spellings of {@code "kind"} besides the canonical ones. */
    private static final Map<String, RecordKind> ALIASES = Map.of(
            "grant", ACCOUNT, "notification", WEBHOOK, "api", API_LOG);

    /** The one-line list for error messages. */
    static final String NDJSON_KINDS = "account, api_log, sync_log, auth_log, webhook";
    static final String ARRAY_NAMES = "accounts, api_log, sync_log, auth_log, webhooks";

    private final String kind;
    private final String arrayName;

    RecordKind(String kind, String arrayName) {
        this.kind = kind;
        this.arrayName = arrayName;
    }

    String kind() {
        return kind;
    }

    /** Name of the array holding records of this kind in the JSON-object form. */
    String arrayName() {
        return arrayName;
    }

    /** The log source of a log kind; null for the others. */
    EvidenceSource logSource() {
        return this == SYNC_LOG ? EvidenceSource.SYNC_LOG : this == AUTH_LOG ? EvidenceSource.AUTH_LOG : null;
    }

    /** By NDJSON kind (canonical, plural array name or alias), case-insensitive; null when unknown. */
    static RecordKind ofKind(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (RecordKind k : values()) {
            if (k.kind.equals(v) || k.arrayName.equals(v)) {
                return k;
            }
        }
        return ALIASES.get(v);
    }

    /** By JSON-object array name; null when the field is not an evidence array. */
    static RecordKind ofArray(String field) {
        for (RecordKind k : values()) {
            if (k.arrayName.equals(field)) {
                return k;
            }
        }
        return null;
    }
}
