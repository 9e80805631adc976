package io.synctriage.benchmarks.fleet;

import io.synctriage.model.Cause;
import io.synctriage.model.spi.PatternKind;

/**
 * The kinds of incident the generator plants, {@link FleetSpec#perKind()} of each (decision-tree.md
 * "Definitions", domain.md §5). {@link #FLAPPING} names its cause by the code its account logs, so it has
 * no fixed one here.
 */
public enum Scenario {
    /** ≥ 2 accounts of one domain invalid within 20 min, no specific code (bare invalid_grant or nothing). */
    SAME_MOMENT_ADMIN_DISCONNECTED(PatternKind.SAME_MOMENT, Cause.ADMIN_DISCONNECTED),
    /** Same moment with AADSTS50173. */
    SAME_MOMENT_ADMIN_REVOKED_SESSIONS(PatternKind.SAME_MOMENT, Cause.ADMIN_REVOKED_SESSIONS),
    /** Same moment with AADSTS65001. */
    SAME_MOMENT_ADMIN_CONSENT_REVOKED(PatternKind.SAME_MOMENT, Cause.ADMIN_CONSENT_REVOKED),
    /** Same moment on a Workspace domain with admin_policy_enforced. */
    SAME_MOMENT_GOOGLE_API_ACCESS_RESTRICTED(PatternKind.SAME_MOMENT, Cause.GOOGLE_API_ACCESS_RESTRICTED),
    /** Same moment on an Exchange domain with EAS Status 129. */
    SAME_MOMENT_EAS_DEVICE_BLOCKED(PatternKind.SAME_MOMENT, Cause.EAS_DEVICE_BLOCKED),
    /** Accounts of one domain invalid a constant time after each re-authentication, no code. */
    RECURRING_DOMAIN_SESSION_POLICY(PatternKind.RECURRING, Cause.DOMAIN_SESSION_POLICY),
    /** Recurring on a Microsoft 365 tenant with AADSTS70043. */
    RECURRING_CA_SIGNIN_FREQUENCY(PatternKind.RECURRING, Cause.CA_SIGNIN_FREQUENCY),
    /** Recurring on a Workspace domain with invalid_rapt. */
    RECURRING_GOOGLE_SESSION_CONTROL(PatternKind.RECURRING, Cause.GOOGLE_SESSION_CONTROL),
    /** One provider family, ≥ 3 domains within 20 min, credential errors (AADSTS7000222, invalid_client). */
    PROVIDER_WIDE_OAUTH_CLIENT_CREDENTIALS_INVALID(PatternKind.PROVIDER_WIDE, Cause.OAUTH_CLIENT_CREDENTIALS_INVALID),
    /** One provider family, ≥ 3 domains within 20 min, server errors. */
    PROVIDER_WIDE_PROVIDER_OUTAGE(PatternKind.PROVIDER_WIDE, Cause.PROVIDER_OUTAGE),
    /** Google accounts invalid 7 days (± 3 h) after their authorisation. */
    SCHEDULE_GOOGLE_APP_TESTING_MODE(PatternKind.SCHEDULE, Cause.GOOGLE_APP_TESTING_MODE),
    /** Microsoft accounts invalid after more than 90 idle days, AADSTS700082. */
    SCHEDULE_REFRESH_TOKEN_INACTIVE(PatternKind.SCHEDULE, Cause.REFRESH_TOKEN_INACTIVE),
    /** One account invalid again within an hour after each re-authentication, ≥ 2 times (AADSTS53003 / 50076). */
    FLAPPING(PatternKind.FLAPPING, null);

    private final PatternKind kind;
    private final Cause cause;

    Scenario(PatternKind kind, Cause cause) {
        this.kind = kind;
        this.cause = cause;
    }

    public PatternKind kind() {
        return kind;
    }

    /** The cause every incident of this scenario names, or null when the planted code decides ({@link #FLAPPING}). */
    public Cause cause() {
        return cause;
    }
}
