package io.synctriage.provider.imap.internal;

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

/** Every IMAP mapping → cause, kind, specific, as classify answers it for a customer-hosted mailbox. */
public class ImapClassifyTest {

    static final ImapCheck CHECK = new ImapCheck();
    static final Account OWN = Fixtures.account("i1").email("office@studio-lindqvist.se")
            .provider("imap", ProviderFamily.IMAP).build();

    private static final List<Row> ROWS = List.of(
            // RFC 5530
            row("a002 NO [AUTHENTICATIONFAILED] Authentication failed.", Cause.PASSWORD_CHANGED, ErrorKind.AUTH, true),
            row("a002 NO [EXPIRED] Password expired, change it in webmail", Cause.PASSWORD_EXPIRED, ErrorKind.AUTH, true),
            row("a001 NO [PRIVACYREQUIRED] Use STARTTLS first", Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            row("a001 NO [CONTACTADMIN] Mailbox suspended", Cause.USER_DISABLED, ErrorKind.POLICY, true),
            row("* NO [LIMIT] Too many connections from this IP", Cause.IMAP_CONNECTION_LIMIT, ErrorKind.OTHER, true),
            row("a3 NO [UNAVAILABLE] Backend LDAP not responding", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row("a3 NO [SERVERBUG] Internal invariant violated", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row("a3 NO [CORRUPTION] Mailbox index corrupted", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            row("a3 BAD [CLIENTBUG] Invalid sequence set", Cause.PLATFORM_SYNC_ERROR, ErrorKind.OTHER, false),
            row("a3 NO [AUTHORIZATIONFAILED] Not allowed as that user", null, ErrorKind.POLICY, false),
            row("a3 NO [NOPERM] Access denied", null, ErrorKind.POLICY, false),
            row("a3 NO [OVERQUOTA] Quota exceeded", null, ErrorKind.OTHER, false),
            row("a3 NO [LIMIT] Too many flags", null, ErrorKind.OTHER, false),
            row("a3 NO [CANNOT] Folder name not allowed", null, ErrorKind.OTHER, false),
            row("a3 NO [INUSE] Mailbox locked", null, ErrorKind.OTHER, false),
            row("* OK [EXPUNGEISSUED] Some messages were expunged", null, ErrorKind.OTHER, false),
            row("a3 NO [NONEXISTENT] Unknown mailbox", null, ErrorKind.OTHER, false),
            row("* OK [ALERT] System maintenance at 22:00", null, ErrorKind.OTHER, false),
            // passwords
            row("login failed: password has expired", Cause.PASSWORD_EXPIRED, ErrorKind.AUTH, true),
            row("password contains non-ASCII characters, cannot authenticate", Cause.PASSWORD_CHANGED, ErrorKind.AUTH, true),
            row("login: UnicodeEncodeError: 'ascii' codec can't encode character '\\xe9' in position 4", Cause.PASSWORD_CHANGED, ErrorKind.AUTH, false),
            row("a1 NO [ALERT] Application-specific password required", Cause.APP_PASSWORD_REQUIRED, ErrorKind.AUTH, true),
            row("Please use an app-specific password", Cause.APP_PASSWORD_REQUIRED, ErrorKind.AUTH, true),
            row("authentication failed 3 times in a row; marking credentials invalid", Cause.PASSWORD_CHANGED, ErrorKind.AUTH, false),
            row("a1 NO LOGIN failed.", Cause.PASSWORD_CHANGED, ErrorKind.AUTH, false),
            row("wrong password for user", Cause.PASSWORD_CHANGED, ErrorKind.AUTH, false),
            // Gmail / Workspace over IMAP
            row("* NO [WEBALERT https://accounts.google.com/x] Web login required.", Cause.WEB_LOGIN_REQUIRED, ErrorKind.AUTH, true),
            row("a1 NO [ALERT] Please log in via your web browser (Failure)", Cause.WEB_LOGIN_REQUIRED, ErrorKind.AUTH, true),
            row("a1 NO IMAP access is disabled for your domain.", Cause.GOOGLE_WORKSPACE_IMAP_DISABLED, ErrorKind.POLICY, true),
            row("a1 NO Lookup failed", Cause.GOOGLE_WORKSPACE_IMAP_DISABLED, ErrorKind.POLICY, true),
            row("a1 NO Your account is not enabled for IMAP use.", Cause.GMAIL_IMAP_DISABLED, ErrorKind.AUTH, true),
            // connection limits
            row("* BYE [UNAVAILABLE] Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)",
                    Cause.IMAP_CONNECTION_LIMIT, ErrorKind.OTHER, true),
            row("a1 NO [ALERT] Too many simultaneous connections. (Failure)", Cause.IMAP_CONNECTION_LIMIT, ErrorKind.OTHER, true),
            row("a1 NO User is authenticated but not connected.", Cause.IMAP_CONNECTION_LIMIT, ErrorKind.OTHER, true),
            row("too many concurrent sessions for this user", Cause.IMAP_CONNECTION_LIMIT, ErrorKind.OTHER, true),
            // TLS
            row("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed (_ssl.c:1129)", Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            row("SSL negotiation failed", Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            row("certificate verify failed: certificate has expired", Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            row("certificate verify failed: self signed certificate in certificate chain", Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            row("hostname 'mail.example.se' doesn't match 'webhost.provider.net'", Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            row("javax.net.ssl.SSLHandshakeException: PKIX path building failed", Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            row("server does not support STARTTLS", Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            row("[SSL: WRONG_VERSION_NUMBER] wrong version number", Cause.TLS_CERTIFICATE_INVALID, ErrorKind.OTHER, true),
            // UID errors
            row("Resynced more than MAX_UIDINVALID_RESYNCS in a row. Stopping sync.", Cause.IMAP_UIDVALIDITY_LOOP, ErrorKind.OTHER, false),
            row("Detected endless uidvalidity resync loop", Cause.IMAP_UIDVALIDITY_LOOP, ErrorKind.OTHER, false),
            row("INBOX: UIDVALIDITY changed (1780370011 -> 1780370622); discarding cached UIDs", Cause.IMAP_UIDVALIDITY_LOOP, ErrorKind.OTHER, false),
            row("UidInvalid raised for folder Archive", Cause.IMAP_UIDVALIDITY_LOOP, ErrorKind.OTHER, false),
            // server errors
            row("* BYE Internal server error, closing connection", Cause.REPEATED_SERVER_ERROR, ErrorKind.SERVER, false),
            // connectivity
            row("connect to mail.studio-lindqvist.se:993 timed out", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            row("timed out while connecting to mail.studio-lindqvist.se", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            row("Connection timed out (mail.studio-lindqvist.se:993)", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            row("[Errno 111] Connection refused", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            row("No route to host", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            row("could not connect to mail.studio-lindqvist.se", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            row("java.net.SocketTimeoutException: connect timed out", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            row("[Errno -2] Name or service not known", Cause.NETWORK_RESTRICTED, ErrorKind.NETWORK, false),
            row("read timed out", null, ErrorKind.NETWORK, false),
            // parse errors
            row("ERROR failed to parse message 4211 in INBOX", Cause.PLATFORM_SYNC_ERROR, ErrorKind.OTHER, false),
            row("serialization error writing thread 77", Cause.PLATFORM_SYNC_ERROR, ErrorKind.OTHER, false),
            row("json.decoder.JSONDecodeError: Expecting value", Cause.PLATFORM_SYNC_ERROR, ErrorKind.OTHER, false));

    @Test
    public void everyMappingRow() {
        Mappings.assertEveryRow(CHECK, OWN, ROWS);
    }

    @Test
    public void authenticationFailedIsQualifiedByProviderDomainOrHost() {
        String line = "a002 NO [AUTHENTICATIONFAILED] Authentication failed.";
        Account icloud = Fixtures.account("i2").email("anna@icloud.com").provider("icloud", ProviderFamily.IMAP).build();
        Account yahooOnImap = Fixtures.account("i3").email("bo@yahoo.com").provider("imap", ProviderFamily.IMAP).build();
        Account aol = Fixtures.account("i4").email("c@custom.example").provider("aol", ProviderFamily.IMAP).build();
        Account customOnIcloud = Fixtures.account("i5").email("me@family-name.example").provider("imap", ProviderFamily.IMAP).build();
        assertEquals(Cause.APP_PASSWORD_REQUIRED, CHECK.classify(null, line, icloud).get(0).cause());
        assertEquals(Cause.APP_PASSWORD_REQUIRED, CHECK.classify(null, line, yahooOnImap).get(0).cause());
        assertEquals(Cause.APP_PASSWORD_REQUIRED, CHECK.classify(null, line, aol).get(0).cause());
        assertEquals(Cause.APP_PASSWORD_REQUIRED,
                CHECK.classify(null, "LOGIN on imap.mail.me.com:993: " + line, customOnIcloud).get(0).cause());
        assertEquals(Cause.PASSWORD_CHANGED, CHECK.classify(null, line, customOnIcloud).get(0).cause());
        assertEquals(Cause.PASSWORD_CHANGED, CHECK.classify(null, line, OWN).get(0).cause());
        // the generic row is shadowed, not listed after the qualified one
        assertTrue(CHECK.classify(null, line, icloud).stream().noneMatch(m -> m.cause() == Cause.PASSWORD_CHANGED
                && m.signature().equals("IMAP [AUTHENTICATIONFAILED]")));
        // without a subject the generic reading stands
        assertEquals(Cause.PASSWORD_CHANGED, CHECK.classify(null, line, null).get(0).cause());
    }

    @Test
    public void skippedItemWarningIsNotAParseError() {
        assertTrue(CHECK.classify(null, "WARN could not parse date header of message 12; skipping", OWN).isEmpty());
    }

    @Test
    public void everyShippedRowMatchesItsOwnSample() {
        Mappings.assertRowsMatchOwnSamples(CHECK.table(), OWN, true);
    }
}
