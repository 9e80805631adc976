package io.synctriage.provider.google.internal;

import static io.synctriage.provider.support.testing.Mappings.row;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.synctriage.model.Account;
import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.provider.support.testing.Fixtures;
import io.synctriage.provider.support.testing.Mappings;
import io.synctriage.provider.support.testing.Mappings.Row;

/** Every Google mapping (token endpoint and Gmail IMAP) → cause, kind, specific, as classify answers it. */
public class GoogleClassifyTest {

    private static final GoogleCheck CHECK = new GoogleCheck();
    private static final Account SUBJECT = Fixtures.account("g1").email("alex@tidewater-studio.com")
            .provider("gmail", ProviderFamily.GOOGLE).build();

    private static final List<Row> ROWS = List.of(
            // session control
            row("invalid_grant", "{\"error\":\"invalid_grant\",\"error_description\":\"reauth related error (invalid_rapt)\","
                    + "\"error_uri\":\"https://support.google.com/a/answer/9368756\",\"error_subtype\":\"invalid_rapt\"}",
                    Cause.GOOGLE_SESSION_CONTROL, ErrorKind.POLICY, true),
            row(null, "reauth related error", Cause.GOOGLE_SESSION_CONTROL, ErrorKind.POLICY, true),
            row(null, "see https://support.google.com/a/answer/9368756", Cause.GOOGLE_SESSION_CONTROL, ErrorKind.POLICY, true),
            row("invalid_rapt", null, Cause.GOOGLE_SESSION_CONTROL, ErrorKind.POLICY, true),
            // user deleted / suspended
            row("invalid_grant", "{\"error\":\"invalid_grant\",\"error_description\":\"The account has been deleted\"}",
                    Cause.USER_DISABLED, ErrorKind.POLICY, true),
            row(null, "Account has been suspended", Cause.USER_DISABLED, ErrorKind.POLICY, true),
            // API access restricted by the Workspace admin
            row("admin_policy_enforced", "Access blocked", Cause.GOOGLE_API_ACCESS_RESTRICTED, ErrorKind.POLICY, true),
            row("access_denied", null, Cause.GOOGLE_API_ACCESS_RESTRICTED, ErrorKind.POLICY, true),
            row(null, "This app has been blocked by your administrator.", Cause.GOOGLE_API_ACCESS_RESTRICTED, ErrorKind.POLICY, true),
            row(null, "app blocked by administrator", Cause.GOOGLE_API_ACCESS_RESTRICTED, ErrorKind.POLICY, true),
            row(null, "Your administrator has blocked access to this app", Cause.GOOGLE_API_ACCESS_RESTRICTED, ErrorKind.POLICY, true),
            // the application's OAuth client
            row(null, "{\"error\": \"deleted_client\", \"error_description\": \"The OAuth client was deleted.\"}",
                    Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS, true),
            row(null, "The OAuth client was deleted.", Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS, true),
            row("invalid_client", "Unauthorized", Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS, true),
            row("unauthorized_client", null, Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, ErrorKind.CLIENT_CREDENTIALS, true),
            // invalid_grant without a specific reason
            row("invalid_grant", "{\"error\": \"invalid_grant\", \"error_description\": \"Token has been expired or revoked.\"}",
                    Cause.USER_REVOKED_ACCESS, ErrorKind.AUTH, false),
            row("invalid_grant", "Bad Request", null, ErrorKind.AUTH, false),
            row("invalid_grant", null, null, ErrorKind.AUTH, false),
            row(null, "400 Authentication failed: Invalid or revoked refresh token", null, ErrorKind.AUTH, false),
            // markers
            row(null, "user reports: password was changed yesterday", null, ErrorKind.AUTH, false),
            row(null, "access token refreshed, expires in 3599 s", null, ErrorKind.OTHER, false),
            // Gmail IMAP
            row(null, "* NO [WEBALERT https://accounts.google.com/signin/continue?sarp=1] Web login required.",
                    Cause.WEB_LOGIN_REQUIRED, ErrorKind.AUTH, true),
            row(null, "a1 NO [ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)",
                    Cause.WEB_LOGIN_REQUIRED, ErrorKind.AUTH, true),
            row(null, "a1 NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)",
                    Cause.APP_PASSWORD_REQUIRED, ErrorKind.AUTH, true),
            row(null, "a1 NO IMAP access is disabled for your domain.", Cause.GOOGLE_WORKSPACE_IMAP_DISABLED, ErrorKind.POLICY, true),
            row(null, "a1 NO Lookup failed", Cause.GOOGLE_WORKSPACE_IMAP_DISABLED, ErrorKind.POLICY, true),
            row(null, "a1 NO Your account is not enabled for IMAP use.", Cause.GMAIL_IMAP_DISABLED, ErrorKind.AUTH, true),
            row(null, "Full IMAP support is not enabled for this account. Please contact your domain administrator",
                    Cause.GMAIL_IMAP_DISABLED, ErrorKind.AUTH, true),
            row(null, "a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)", Cause.GMAIL_IMAP_DISABLED, ErrorKind.AUTH, false),
            row(null, "a1 NO [ALERT] Too many simultaneous connections. (Failure)", Cause.IMAP_CONNECTION_LIMIT, ErrorKind.OTHER, true),
            // server and network
            row(null, "* BYE [UNAVAILABLE] Temporary System Problem", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(null, "HTTP/1.1 503 Service Unavailable", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(null, "{\"error\":{\"errors\":[{\"reason\":\"backendError\"}],\"code\":500}}", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(null, "userRateLimitExceeded", null, ErrorKind.OTHER, false),
            row(null, "connect timed out to oauth2.googleapis.com", null, ErrorKind.NETWORK, false),
            row(null, "ECONNRESET", null, ErrorKind.NETWORK, false));

    @Test
    public void everyMappingRow() {
        Mappings.assertEveryRow(CHECK, SUBJECT, ROWS);
    }

    @Test
    public void escapedJsonBodies() {
        String logged = "refresh failed: \"{\\\"error\\\": \\\"invalid_grant\\\", \\\"error_description\\\": \\\"reauth related error (invalid_rapt)\\\"}\"";
        assertEquals(Cause.GOOGLE_SESSION_CONTROL, CHECK.classify(null, logged, SUBJECT).get(0).cause());
        assertEquals(Cause.USER_REVOKED_ACCESS, CHECK.classify(null,
                "{\\\"error\\\":\\\"INVALID_GRANT\\\",\\\"error_description\\\":\\\"TOKEN HAS BEEN EXPIRED OR REVOKED\\\"}",
                SUBJECT).get(0).cause());
    }

    @Test
    public void accessDeniedIsNotInvalidGrant() {
        assertTrue(CHECK.classify(null, "invalid_grants_total=3", SUBJECT).isEmpty());
        assertTrue(CHECK.classify(null, "access_denied_count", SUBJECT).isEmpty());
    }

    @Test
    public void everyShippedRowMatchesItsOwnSample() {
        Mappings.assertRowsMatchOwnSamples(CHECK.table(), SUBJECT, true);
    }
}
