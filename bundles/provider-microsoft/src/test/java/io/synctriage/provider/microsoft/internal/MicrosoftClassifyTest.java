package io.synctriage.provider.microsoft.internal;

import static io.synctriage.provider.support.testing.Mappings.row;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.synctriage.model.Account;
import io.synctriage.model.Alternative;
import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Match;
import io.synctriage.provider.support.testing.Fixtures;
import io.synctriage.provider.support.testing.Mappings;
import io.synctriage.provider.support.testing.Mappings.Row;

/**
 * Every Microsoft mapping: one row per code or string → expected cause, kind and whether it is
 * specific, as {@code classify} answers it for the first (best) match. The expectations are this
 * test's own knowledge, written independently of the shipped table.
 */
public class MicrosoftClassifyTest {

    private static final MicrosoftCheck CHECK = new MicrosoftCheck();
    private static final Account SUBJECT = Fixtures.account("a1").email("user@contoso.com")
            .provider("office365", ProviderFamily.MICROSOFT).build();

    private static final List<Row> ROWS = List.of(
            // sign-in frequency
            row("AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.",
                    Cause.CA_SIGNIN_FREQUENCY, ErrorKind.POLICY, true),
            // revoked grant: classify gives the cluster meaning
            row("AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.",
                    Cause.ADMIN_REVOKED_SESSIONS, ErrorKind.POLICY, true),
            // inactivity
            row("AADSTS700082: The refresh token has expired due to inactivity.", Cause.REFRESH_TOKEN_INACTIVE, ErrorKind.AUTH, true),
            row("AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.",
                    Cause.REFRESH_TOKEN_INACTIVE, ErrorKind.AUTH, true),
            // conditional access / tenant policy
            row("AADSTS53003: Access has been blocked by Conditional Access policies.", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            row("AADSTS53000: Device is not in required device state: compliant.", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            row("AADSTS53001: Device is not in required device state: domain joined.", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            row("AADSTS53002: Application used is not an approved application.", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            row("AADSTS50131: ConditionalAccessFailed", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            row("AADSTS530032: BlockedByTenantSecurityPolicy", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            row("AADSTS500021: Access to 'contoso' tenant is denied.", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            row("AADSTS500022: Access to 'contoso' tenant is denied.", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            row("AADSTS50005: DevicePolicyError", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            row("AADSTS500212: cross-tenant access policy", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            row("AADSTS500213: cross-tenant access policy", Cause.CONDITIONAL_ACCESS_BLOCK, ErrorKind.POLICY, true),
            // MFA
            row("AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.",
                    Cause.MFA_REQUIRED, ErrorKind.POLICY, true),
            row("AADSTS50079: The user is required to use multi-factor authentication.", Cause.MFA_REQUIRED, ErrorKind.POLICY, true),
            row("AADSTS50072: UserStrongAuthEnrollmentRequiredInterrupt", Cause.MFA_REQUIRED, ErrorKind.POLICY, true),
            row("AADSTS50074: Strong Authentication is required.", Cause.MFA_REQUIRED, ErrorKind.POLICY, true),
            row("AADSTS50078: Presented multi-factor authentication has expired.", Cause.MFA_REQUIRED, ErrorKind.POLICY, true),
            row("{\"error\":\"interaction_required\",\"error_description\":\"user must sign in again\"}",
                    Cause.MFA_REQUIRED, ErrorKind.POLICY, true),
            // consent / enterprise app (tenant-local)
            row("AADSTS65001: The user or administrator has not consented to use the application.",
                    Cause.ADMIN_CONSENT_REVOKED, ErrorKind.POLICY, true),
            row("AADSTS90094: The grant requires admin permission.", Cause.ADMIN_CONSENT_REVOKED, ErrorKind.POLICY, true),
            row("AADSTS90095: Admin consent is required for the permissions requested.", Cause.ADMIN_CONSENT_REVOKED, ErrorKind.POLICY, true),
            row("AADSTS500011: The resource principal named https://outlook.office.com was not found in the tenant.",
                    Cause.ADMIN_CONSENT_REVOKED, ErrorKind.POLICY, true),
            row("AADSTS50105: The signed in user is not assigned to a role for the application.",
                    Cause.ADMIN_CONSENT_REVOKED, ErrorKind.POLICY, true),
            row("AADSTS7000112: Application is disabled.", Cause.ADMIN_CONSENT_REVOKED, ErrorKind.CLIENT_CREDENTIALS, true),
            // causes.md lists 700016 and 70001 under the developer's own client only (7000112 alone is dual)
            row("AADSTS700016: Application with identifier 'x' was not found in the directory 'contoso'.",
                    Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS, true),
            row("AADSTS70001: Application 'x' is disabled.", Cause.OAUTH_CLIENT_CREDENTIALS_INVALID,
                    ErrorKind.CLIENT_CREDENTIALS, true),
            // user disabled / deleted / locked
            row("AADSTS50057: The user account is disabled.", Cause.USER_DISABLED, ErrorKind.POLICY, true),
            row("AADSTS50034: The user account does not exist in the contoso directory.", Cause.USER_DISABLED, ErrorKind.POLICY, true),
            row("AADSTS51004: The user account doesn't exist in the directory.", Cause.USER_DISABLED, ErrorKind.POLICY, true),
            row("AADSTS50053: Your account is locked.", Cause.USER_DISABLED, ErrorKind.POLICY, true),
            row("AADSTS120014: on-premises account is locked or disabled", Cause.USER_DISABLED, ErrorKind.POLICY, true),
            // the developer's OAuth client
            row("AADSTS7000222: The provided client secret keys for app 'x' are expired.",
                    Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS, true),
            row("AADSTS7000215: Invalid client secret provided.", Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS, true),
            row("AADSTS70002: Error validating credentials.", Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS, true),
            row("{\"error\":\"invalid_client\"}", Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS, true),
            row("error=unauthorized_client", Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS, true),
            // basic auth retired
            row("AADSTS530035: Access has been blocked by security defaults.", Cause.BASIC_AUTH_RETIRED, ErrorKind.POLICY, true),
            row("550 5.7.30 Basic authentication is not supported for Client Submission.", Cause.BASIC_AUTH_RETIRED, ErrorKind.POLICY, true),
            row("This proposal does not allow direct password entry. Please restart the authentication flow.",
                    Cause.BASIC_AUTH_RETIRED, ErrorKind.POLICY, true),
            // password expired / changed
            row("AADSTS50055: The password is expired.", Cause.PASSWORD_EXPIRED, ErrorKind.AUTH, true),
            row("AADSTS50144: User's Active Directory password has expired.", Cause.PASSWORD_EXPIRED, ErrorKind.AUTH, true),
            row("AADSTS50132: The session isn't valid due to password expiration or recent password change.",
                    Cause.PASSWORD_CHANGED, ErrorKind.AUTH, true),
            row("AADSTS50133: The session isn't valid due to password expiration or recent password change.",
                    Cause.PASSWORD_CHANGED, ErrorKind.AUTH, true),
            row("AADSTS50126: Error validating credentials due to invalid username or password.",
                    Cause.PASSWORD_CHANGED, ErrorKind.AUTH, true),
            // Graph mailbox
            row("{\"error\":{\"code\":\"MailboxNotEnabledForRESTAPI\",\"message\":\"The mailbox is either inactive, soft-deleted, or is hosted on-premise.\"}}",
                    Cause.MAILBOX_UNAVAILABLE, ErrorKind.OTHER, true),
            row("The mailbox is either inactive, soft-deleted, or is hosted on-premise", Cause.MAILBOX_UNAVAILABLE, ErrorKind.OTHER, true),
            row("REST API is not yet supported for this mailbox.", Cause.MAILBOX_UNAVAILABLE, ErrorKind.OTHER, true),
            // Exchange Online IMAP XOAUTH2
            row("A1 NO AUTHENTICATE failed.", Cause.PASSWORD_CHANGED, ErrorKind.AUTH, false),
            row("a2 NO LOGIN failed.", Cause.PASSWORD_CHANGED, ErrorKind.AUTH, false),
            // generic and transient: kind only
            row("AADSTS70000: The provided value for the input parameter 'refresh_token' is not valid.", null, ErrorKind.AUTH, false),
            row("AADSTS9002313: Invalid request. Request is malformed or invalid.", null, ErrorKind.AUTH, false),
            row("AADSTS50089: Flow token expired.", null, ErrorKind.AUTH, false),
            row("invalid_grant", null, ErrorKind.AUTH, false),
            row("AADSTS90055: TenantThrottlingError", null, ErrorKind.SERVER, false),
            row("AADSTS50196: The server terminated an operation because it encountered a client request loop.", null, ErrorKind.OTHER, false),
            row("{\"error\":\"temporarily_unavailable\"}", null, ErrorKind.SERVER, false),
            row("AADSTS650056: Misconfigured application.", null, ErrorKind.CLIENT_CREDENTIALS, false),
            row("AADSTS650057: Invalid resource.", null, ErrorKind.CLIENT_CREDENTIALS, false),
            // server and network
            row("Graph GET /me/messages: HTTP 503 Service Unavailable", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row("ErrorServerBusy: The server is busy.", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row("connect timed out to graph.microsoft.com", null, ErrorKind.NETWORK, false),
            row("ECONNREFUSED 10.0.0.1:443", null, ErrorKind.NETWORK, false));

    @Test
    public void everyMappingRow() {
        Mappings.assertEveryRow(CHECK, SUBJECT, ROWS);
    }

    @Test
    public void errorFieldAndMessageAreReadTogether() {
        List<Match> m = CHECK.classify("invalid_grant", "AADSTS50173: grant revoked", SUBJECT);
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, m.get(0).cause());
        assertEquals("OAuth error invalid_grant", m.get(1).signature());
        assertTrue(CHECK.classify(null, null, SUBJECT).isEmpty());
        assertTrue(CHECK.classify("", "token refresh rejected; marking account invalid", SUBJECT).isEmpty());
    }

    @Test
    public void contextCodesCarryTheirOtherMeaningAsAlternative() {
        Match m7000112 = CHECK.classify(null, "AADSTS7000112: Application is disabled.", SUBJECT).get(0);
        assertTrue(m7000112.alternatives().stream().anyMatch(a -> a.cause() == Cause.OAUTH_CLIENT_CREDENTIALS_INVALID));
        Match m50173 = CHECK.classify(null, "AADSTS50173", SUBJECT).get(0);
        assertTrue(m50173.alternatives().stream().anyMatch(a -> a.cause() == Cause.USER_REVOKED_ACCESS));
        Match m50133 = CHECK.classify(null, "AADSTS50133", SUBJECT).get(0);
        assertEquals(List.of(new Alternative(Cause.PASSWORD_EXPIRED, 0.5)), m50133.alternatives());
    }

    @Test
    public void wholeNumberCodes() {
        assertEquals(Cause.BASIC_AUTH_RETIRED, CHECK.classify(null, "AADSTS530035: blocked", SUBJECT).get(0).cause());
        assertEquals(1, CHECK.classify(null, "AADSTS530035: blocked", SUBJECT).size());
        assertEquals(Cause.CONDITIONAL_ACCESS_BLOCK, CHECK.classify(null, "AADSTS53003: blocked", SUBJECT).get(0).cause());
        assertTrue(CHECK.classify(null, "AADSTS5007: unknown", SUBJECT).isEmpty());
        assertTrue(CHECK.classify(null, "AADSTS500760: unknown", SUBJECT).isEmpty());
        assertEquals(Cause.MFA_REQUIRED, CHECK.classify(null, "AADSTS50076", SUBJECT).get(0).cause());
        assertEquals(Cause.ADMIN_CONSENT_REVOKED, CHECK.classify(null, "AADSTS7000112", SUBJECT).get(0).cause());
        assertEquals(Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, CHECK.classify(null, "AADSTS7000222", SUBJECT).get(0).cause());
        assertEquals(Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, CHECK.classify(null, "AADSTS70002", SUBJECT).get(0).cause());
        assertEquals(Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, CHECK.classify(null, "AADSTS70001", SUBJECT).get(0).cause());
    }

    @Test
    public void robustToCaseNoiseTraceIdsAndEscapedJson() {
        String body = "2026-04-14 08:01:09,113 WARN [token-refresher-3] refresh failed for acc=painijj2e52: "
                + "{\\\"error\\\":\\\"invalid_grant\\\",\\\"error_description\\\":\\\"aadsts70043: The refresh token has expired"
                + "\\\\r\\\\nTrace ID: 0f2e5300-3aa1-4b1c\\\\r\\\\nCorrelation ID: 53003aa1-77\\\\r\\\\nTimestamp: 2026-04-14 08:01:09Z\\\","
                + "\\\"error_codes\\\":[70043],\\\"trace_id\\\":\\\"0f2e5300-3aa1\\\"}";
        List<Match> m = CHECK.classify(null, body, SUBJECT);
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, m.get(0).cause());
        assertEquals(2, m.size());
        assertNull(m.get(1).cause());
        assertEquals(Cause.CONDITIONAL_ACCESS_BLOCK,
                CHECK.classify("", "{\"error_codes\":[53003],\"error\":\"access_denied\"}", SUBJECT).get(0).cause());
    }

    /**
     * Self-consistency of the shipped table: each row is found by a natural sample of its own first
     * term (so a new one-line row is exercised without touching this test).
     */
    @Test
    public void everyShippedRowMatchesItsOwnSample() {
        Mappings.assertRowsMatchOwnSamples(CHECK.table(), SUBJECT, false);
    }
}
