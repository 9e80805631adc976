package io.synctriage.model;

/**
 * The cause catalogue (spec/causes.md, contract version 1). Codes are public: never renamed or
 * reused; new ones may be added. Each cause names the {@link Actor} who must act;
 * {@link #UNDETERMINED} has none.
 */
public enum Cause {
    // Developer-side
    APP_REVOKED_TOKENS(Actor.DEVELOPER),
    APP_STOPPED_ACCOUNT(Actor.DEVELOPER),
    OAUTH_CLIENT_CREDENTIALS_INVALID(Actor.DEVELOPER),
    GOOGLE_APP_TESTING_MODE(Actor.DEVELOPER),
    GOOGLE_REFRESH_TOKEN_LIMIT(Actor.DEVELOPER),
    BASIC_AUTH_RETIRED(Actor.DEVELOPER),
    // End-user-side
    PASSWORD_CHANGED(Actor.END_USER),
    USER_REVOKED_ACCESS(Actor.END_USER),
    REFRESH_TOKEN_INACTIVE(Actor.END_USER),
    PASSWORD_EXPIRED(Actor.END_USER),
    APP_PASSWORD_REQUIRED(Actor.END_USER),
    WEB_LOGIN_REQUIRED(Actor.END_USER),
    GMAIL_IMAP_DISABLED(Actor.END_USER),
    // Mail-admin-side
    DOMAIN_SESSION_POLICY(Actor.MAIL_ADMIN),
    CA_SIGNIN_FREQUENCY(Actor.MAIL_ADMIN),
    GOOGLE_SESSION_CONTROL(Actor.MAIL_ADMIN),
    ADMIN_DISCONNECTED(Actor.MAIL_ADMIN),
    ADMIN_REVOKED_SESSIONS(Actor.MAIL_ADMIN),
    ADMIN_CONSENT_REVOKED(Actor.MAIL_ADMIN),
    GOOGLE_API_ACCESS_RESTRICTED(Actor.MAIL_ADMIN),
    CONDITIONAL_ACCESS_BLOCK(Actor.MAIL_ADMIN),
    MFA_REQUIRED(Actor.MAIL_ADMIN),
    USER_DISABLED(Actor.MAIL_ADMIN),
    MAILBOX_UNAVAILABLE(Actor.MAIL_ADMIN),
    GOOGLE_WORKSPACE_IMAP_DISABLED(Actor.MAIL_ADMIN),
    EAS_DEVICE_BLOCKED(Actor.MAIL_ADMIN),
    EAS_PROVISIONING_REQUIRED(Actor.MAIL_ADMIN),
    EAS_DEVICE_LIMIT(Actor.MAIL_ADMIN),
    NETWORK_RESTRICTED(Actor.MAIL_ADMIN),
    // Server / provider / platform-side
    IMAP_UIDVALIDITY_LOOP(Actor.PROVIDER),
    EAS_LOW_INBOX_COUNT(Actor.END_USER),
    IMAP_CONNECTION_LIMIT(Actor.END_USER),
    TLS_CERTIFICATE_INVALID(Actor.MAIL_ADMIN),
    SERVER_SETTINGS_CHANGED(Actor.END_USER),
    REPEATED_SERVER_ERROR(Actor.PROVIDER),
    PROVIDER_OUTAGE(Actor.PROVIDER),
    PLATFORM_SYNC_ERROR(Actor.PLATFORM),
    // Fallback
    UNDETERMINED(null);

    private final Actor actor;

    Cause(Actor actor) {
        this.actor = actor;
    }

    /** Who must act; {@code null} only for {@link #UNDETERMINED}. */
    public Actor actor() {
        return actor;
    }
}
