package io.synctriage.provider.eas.internal;

import static io.synctriage.provider.support.testing.Mappings.row;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.synctriage.model.Account;
import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Match;
import io.synctriage.provider.support.testing.Fixtures;
import io.synctriage.provider.support.testing.Mappings;
import io.synctriage.provider.support.testing.Mappings.Row;

/** Every Exchange mapping (HTTP, EAS status, basic-auth retirement...) → cause, kind, specific. */
public class EasClassifyTest {

    static final EasCheck CHECK = new EasCheck();
    static final Account SUBJECT = Fixtures.account("e1").email("k.vogel@weinhaus-keller.de")
            .provider("eas", ProviderFamily.EAS).build();

    private static final String URL = "POST https://mail.weinhaus-keller.de/Microsoft-Server-ActiveSync?Cmd=FolderSync: ";

    private static final List<Row> ROWS = List.of(
            // HTTP (MS-ASHTTP)
            row(URL + "HTTP/1.1 401 Unauthorized", Cause.PASSWORD_CHANGED, ErrorKind.AUTH, false),
            row(URL + "HTTP/1.1 403 Forbidden", Cause.EAS_DEVICE_BLOCKED, ErrorKind.POLICY, true),
            row(URL + "returned 449", Cause.EAS_PROVISIONING_REQUIRED, ErrorKind.POLICY, true),
            row(URL + "HTTP 451, X-MS-Location: https://mail2.weinhaus-keller.de", Cause.SERVER_SETTINGS_CHANGED, ErrorKind.OTHER, true),
            row(URL + "HTTP 456", Cause.USER_DISABLED, ErrorKind.POLICY, true),
            row(URL + "status=457", Cause.PASSWORD_EXPIRED, ErrorKind.AUTH, true),
            row(URL + "HTTP 404 Not Found", Cause.SERVER_SETTINGS_CHANGED, ErrorKind.OTHER, false),
            row(URL + "HTTP 400 Bad Request", null, ErrorKind.OTHER, false),
            row(URL + "HTTP/1.1 500 Internal Server Error", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(URL + "HTTP/1.1 503 Service Unavailable, Retry-After: 120", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(URL + "502 Bad Gateway", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row("{\"message\":\"You've entered invalid credentials\",\"type\":\"auth_error\","
                    + "\"error\":\"Wrong username or password for https://outlook.com/EWS/Exchange.asmx\"}",
                    Cause.PASSWORD_CHANGED, ErrorKind.AUTH, false),
            // Exchange Online basic auth retired
            row("POST https://outlook.office365.com/Microsoft-Server-ActiveSync: HTTP 401 Unauthorized",
                    Cause.BASIC_AUTH_RETIRED, ErrorKind.POLICY, true),
            row("AADSTS530035: Access has been blocked by security defaults.", Cause.BASIC_AUTH_RETIRED, ErrorKind.POLICY, true),
            row("550 5.7.30 Basic authentication is not supported for Client Submission.", Cause.BASIC_AUTH_RETIRED, ErrorKind.POLICY, true),
            row("This proposal does not allow direct password entry.", Cause.BASIC_AUTH_RETIRED, ErrorKind.POLICY, true),
            // device blocked
            row(URL + "Status 126 (UserDisabledForSync)", Cause.EAS_DEVICE_BLOCKED, ErrorKind.POLICY, true),
            row(URL + "Status 127", Cause.EAS_DEVICE_BLOCKED, ErrorKind.POLICY, true),
            row(URL + "Status 128", Cause.EAS_DEVICE_BLOCKED, ErrorKind.POLICY, true),
            row(URL + "Status 129 (DeviceIsBlockedForThisUser)", Cause.EAS_DEVICE_BLOCKED, ErrorKind.POLICY, true),
            row("<FolderSync><Status>129</Status></FolderSync>", Cause.EAS_DEVICE_BLOCKED, ErrorKind.POLICY, true),
            row(URL + "status=130", Cause.EAS_DEVICE_BLOCKED, ErrorKind.POLICY, true),
            row(URL + "Status: 145", Cause.EAS_DEVICE_BLOCKED, ErrorKind.POLICY, true),
            row("DeviceIsBlockedForThisUser", Cause.EAS_DEVICE_BLOCKED, ErrorKind.POLICY, true),
            row("device python-EAS-Client 1.0 was quarantined by the organisation's access rules", Cause.EAS_DEVICE_BLOCKED, ErrorKind.POLICY, true),
            // provisioning
            row(URL + "Status 139", Cause.EAS_PROVISIONING_REQUIRED, ErrorKind.POLICY, true),
            row(URL + "Status 140 (RemoteWipeRequested)", Cause.EAS_PROVISIONING_REQUIRED, ErrorKind.POLICY, true),
            row(URL + "Status 141", Cause.EAS_PROVISIONING_REQUIRED, ErrorKind.POLICY, true),
            row("<Status>142</Status>", Cause.EAS_PROVISIONING_REQUIRED, ErrorKind.POLICY, true),
            row(URL + "Status 143 PolicyRefresh", Cause.EAS_PROVISIONING_REQUIRED, ErrorKind.POLICY, true),
            row(URL + "Status 144", Cause.EAS_PROVISIONING_REQUIRED, ErrorKind.POLICY, true),
            // device limit
            row(URL + "Status 177", Cause.EAS_DEVICE_LIMIT, ErrorKind.POLICY, true),
            row("MaximumDevicesReached", Cause.EAS_DEVICE_LIMIT, ErrorKind.POLICY, true),
            // user disabled / mailbox
            row(URL + "Status 131 (AccountDisabled)", Cause.USER_DISABLED, ErrorKind.POLICY, true),
            row(URL + "Status 125", Cause.USER_DISABLED, ErrorKind.POLICY, true),
            row(URL + "Status 123 (UserHasNoMailbox)", Cause.MAILBOX_UNAVAILABLE, ErrorKind.OTHER, true),
            // server errors
            row(URL + "Status 110 (ServerError)", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(URL + "Status 111 (ServerErrorRetryLater)", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(URL + "Status 114 (MailboxServerOffline)", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(URL + "Status 113", Cause.REPEATED_SERVER_ERROR, ErrorKind.OTHER, false),
            row(URL + "Status 132", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(URL + "Status 133 (SyncStateLocked)", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(URL + "Status 134", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(URL + "Status 135", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row(URL + "Status 136", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            // no cause
            row(URL + "Status 102", null, ErrorKind.OTHER, false),
            row(URL + "Status 112", null, ErrorKind.POLICY, false),
            row(URL + "Status 151 (TooManyFolders)", null, ErrorKind.OTHER, false),
            // TLS
            row("javax.net.ssl.SSLHandshakeException: PKIX path building failed: unable to find valid certification path",
                    Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            row("certificate verify failed: certificate has expired", Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            // connectivity
            row("connect to mail.weinhaus-keller.de:443 timed out", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            row("Connection refused (mail.weinhaus-keller.de:443)", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            row("java.net.UnknownHostException: mail.weinhaus-keller.local", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            // parse
            row("ERROR WBXML decode error in Sync response for collection 7", Cause.PLATFORM_SYNC_ERROR, ErrorKind.OTHER, false));

    @Test
    public void everyMappingRow() {
        Mappings.assertEveryRow(CHECK, SUBJECT, ROWS);
    }

    @Test
    public void statusNumbersAreWholeAndNotConfusedWithHttp() {
        assertTrue(CHECK.classify(null, "Status 1290", SUBJECT).isEmpty());
        assertTrue(CHECK.classify(null, "Status 12 (folder hierarchy changed)", SUBJECT).isEmpty());
        assertTrue(CHECK.classify(null, "FolderSync OK: 12 folders; Sync Inbox: 1 item", SUBJECT).isEmpty());
        assertEquals(Cause.EAS_DEVICE_BLOCKED, CHECK.classify(null, "STATUS=129", SUBJECT).get(0).cause());
        // an HTTP 403 next to "status" is HTTP, not an EAS status
        assertEquals("EAS HTTP 403 Forbidden (not enabled for ActiveSync)",
                CHECK.classify(null, "HTTP status 403", SUBJECT).get(0).signature());
    }

    @Test
    public void exchangeOnline401ShadowsTheGenericOne() {
        List<Match> m = CHECK.classify(null, "https://outlook.office365.com/Microsoft-Server-ActiveSync returned 401", SUBJECT);
        assertEquals(Cause.BASIC_AUTH_RETIRED, m.get(0).cause());
        assertTrue(m.stream().noneMatch(x -> x.cause() == Cause.PASSWORD_CHANGED));
    }

    @Test
    public void everyShippedRowMatchesItsOwnSample() {
        Mappings.assertRowsMatchOwnSamples(CHECK.table(), SUBJECT, true);
    }
}
