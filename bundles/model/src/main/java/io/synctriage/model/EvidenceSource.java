package io.synctriage.model;

/** The kinds of evidence a bundle can carry; their keys name what is {@code missing}. */
public enum EvidenceSource {
    ACCOUNT("account"),
    WEBHOOKS("webhooks"),
    API_LOG("api_log"),
    SYNC_LOG("sync_log"),
    AUTH_LOG("auth_log"),
    PEERS("peers"),
    /** The account's provider attribute. */
    PROVIDER("provider");

    private final String key;

    EvidenceSource(String key) {
        this.key = key;
    }

    /** The field name of the evidence bundle (spec/api.md). */
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }
}
