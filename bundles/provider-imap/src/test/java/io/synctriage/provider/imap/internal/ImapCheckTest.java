package io.synctriage.provider.imap.internal;

import static io.synctriage.provider.support.testing.Fixtures.account;
import static io.synctriage.provider.support.testing.Fixtures.auth;
import static io.synctriage.provider.support.testing.Fixtures.context;
import static io.synctriage.provider.support.testing.Fixtures.event;
import static io.synctriage.provider.support.testing.Fixtures.evidence;
import static io.synctriage.provider.support.testing.Fixtures.peer;
import static io.synctriage.provider.support.testing.Fixtures.sync;
import static io.synctriage.provider.support.testing.Fixtures.t;
import static io.synctriage.provider.support.testing.Reports.assertTexts;
import static io.synctriage.provider.support.testing.Reports.primary;
import static io.synctriage.provider.support.testing.Reports.steps;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.synctriage.model.Account;
import io.synctriage.model.Actor;
import io.synctriage.model.Answer;
import io.synctriage.model.AuthType;
import io.synctriage.model.Cause;
import io.synctriage.model.LogLine;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.CheckContext;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.Level;
import io.synctriage.model.spi.ProviderReport;
import io.synctriage.provider.support.testing.Fixtures;

public class ImapCheckTest {

    private static final ImapCheck CHECK = ImapClassifyTest.CHECK;
    private static final String T = "2026-02-17T07:58:30Z";

    private static Fixtures.AccountBuilder own() {
        return account("bh5a").email("office@studio-lindqvist.se").provider("imap", ProviderFamily.IMAP)
                .auth(AuthType.BASIC).linked("2025-10-02T11:04:51Z");
    }

    private static ProviderReport run(Account a, String tIso, LogLine... lines) {
        return CHECK.check(context(evidence(a).lines(lines).build(), tIso));
    }

    @Test
    public void serviceIdentityAndTrace() {
        assertEquals(ProviderFamily.IMAP, CHECK.family());
        assertEquals(ImapCheck.STEPS, CHECK.checkNames());
        assertTrue(CHECK.checkNames().stream().allMatch(s -> s.startsWith("IMAP_")));
        ProviderReport r = CHECK.check(context(evidence(own().build()).build(), T));
        assertEquals(ImapCheck.STEPS, r.steps().stream().map(TraceStep::step).toList());
        assertTrue(r.findings().isEmpty());
        assertEquals(Answer.SKIPPED, steps(r).get(ImapCheck.STEP_CODE).answer());
        assertEquals(Answer.SKIPPED, steps(r).get(ImapCheck.STEP_UID).answer());
    }

    @Test
    public void icloudVersusOwnHostAuthenticationFailed() {
        String line = "LOGIN a@b on %s:993: a002 NO [AUTHENTICATIONFAILED] Authentication failed.";
        ProviderReport ownHost = run(own().build(), T, auth("2026-02-17T07:57:58Z", null, String.format(line, "mail.studio-lindqvist.se")));
        assertEquals(Cause.PASSWORD_CHANGED, primary(ownHost).cause());
        assertEquals(Level.SPECIFIC, primary(ownHost).level());
        Account icloud = account("ic").email("anna@icloud.com").provider("icloud", ProviderFamily.IMAP).build();
        ProviderReport apple = run(icloud, T, auth("2026-02-17T07:57:58Z", null, String.format(line, "imap.mail.me.com")));
        assertEquals(Cause.APP_PASSWORD_REQUIRED, primary(apple).cause());
        assertEquals(Cause.PASSWORD_CHANGED, primary(apple).alternatives().get(0).cause());
        assertTrue(primary(apple).remediation().get(0).contains("App-Specific Passwords"));
        assertTexts(apple);
    }

    @Test
    public void specificCodeBeatsTheGenericLoginFailureHeuristic() {
        ProviderReport r = run(own().build(), T,
                auth("2026-02-17T07:50:00Z", null, "a002 NO [EXPIRED] Password expired"),
                sync("2026-02-17T07:58:10Z", "error", "authentication failed 3 times in a row; marking credentials invalid"));
        assertEquals(Cause.PASSWORD_EXPIRED, primary(r).cause());
        assertEquals(Level.SPECIFIC, primary(r).level());
        Finding heuristic = r.findings().get(1);
        assertEquals(Cause.PASSWORD_CHANGED, heuristic.cause());
        assertEquals(Level.HEURISTIC, heuristic.level());
        assertEquals(Answer.YES, steps(r).get(ImapCheck.STEP_AUTH).answer());
    }

    @Test
    public void nonAsciiPasswordRefinesPasswordChanged() {
        ProviderReport r = run(own().build(), T,
                sync("2026-02-17T07:50:00Z", "error", "LOGIN failed: password contains non-ASCII characters"));
        Finding f = primary(r);
        assertEquals(Cause.PASSWORD_CHANGED, f.cause());
        assertTrue(f.summary(), f.summary().contains("non-ASCII"));
        assertTrue(f.remediation().get(0), f.remediation().get(0).contains("ASCII characters only"));
    }

    @Test
    public void tlsCertificateFailures() {
        ProviderReport r = run(own().build(), T,
                sync("2026-02-17T07:50:00Z", "error", "connect mail.studio-lindqvist.se:993: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired"));
        Finding f = primary(r);
        assertEquals(Cause.TLS_CERTIFICATE_INVALID, f.cause());
        assertEquals(Actor.MAIL_ADMIN, f.cause().actor());
        assertTrue(f.remediation().get(0), f.remediation().get(0).contains("mail.studio-lindqvist.se"));
        assertEquals(Answer.YES, steps(r).get(ImapCheck.STEP_TLS).answer());
        assertTexts(r);
    }

    @Test
    public void connectionLimitIsNotARepeatedServerError() {
        String dovecot = "* BYE [UNAVAILABLE] Maximum number of connections from user+IP exceeded (mail_max_userip_connections=10)";
        ProviderReport r = run(own().build(), T, sync("2026-02-17T07:00:00Z", "error", dovecot),
                sync("2026-02-17T07:30:00Z", "error", dovecot));
        assertEquals(Cause.IMAP_CONNECTION_LIMIT, primary(r).cause());
        assertEquals(1, r.findings().size());
        assertEquals(Answer.NO, steps(r).get(ImapCheck.STEP_SERVER).answer());
    }

    @Test
    public void repeatedServerErrorsOnlyWhenRepeated() {
        ProviderReport once = run(own().build(), T, sync("2026-02-17T07:00:00Z", "error", "a3 NO [UNAVAILABLE] LDAP down"));
        assertTrue(once.findings().isEmpty());
        ProviderReport twice = run(own().build(), T, sync("2026-02-17T07:00:00Z", "error", "a3 NO [UNAVAILABLE] LDAP down"),
                sync("2026-02-17T07:20:00Z", "error", "a4 NO [SERVERBUG] oops"));
        Finding f = primary(twice);
        assertEquals(Cause.REPEATED_SERVER_ERROR, f.cause());
        assertEquals(Level.HEURISTIC, f.level());
        assertEquals(t("2026-02-17T07:20:00Z"), f.at());
        assertTexts(twice);
    }

    @Test
    public void uidvalidityChangesFewAreWeakManyAreStrong() {
        ProviderReport one = run(own().state("stopped").build(), T,
                sync("2026-02-17T07:00:00Z", "warning", "INBOX: UIDVALIDITY changed (1 -> 2)"));
        assertEquals(Cause.IMAP_UIDVALIDITY_LOOP, primary(one).cause());
        assertEquals(0.4, primary(one).confidence(), 1e-9);
        ProviderReport three = run(own().state("stopped").build(), T,
                sync("2026-02-17T07:00:00Z", "warning", "INBOX: UIDVALIDITY changed (1 -> 2)"),
                sync("2026-02-17T07:10:00Z", "warning", "INBOX: UIDVALIDITY changed (2 -> 3)"),
                sync("2026-02-17T07:20:00Z", "warning", "Sent: UIDVALIDITY changed (7 -> 9)"));
        assertEquals(0.75, primary(three).confidence(), 1e-9);
    }

    @Test
    public void networkRestrictionOnlyForOwnServerWithoutAuthErrors() {
        Account a = own().state("stopped").build();
        ProviderReport yes = run(a, T,
                sync("2026-02-17T07:00:00Z", "error", "Connection timed out (mail.studio-lindqvist.se:993)"),
                sync("2026-02-17T07:30:00Z", "error", "[Errno 111] Connection refused: mail.studio-lindqvist.se:993"));
        Finding f = primary(yes);
        assertEquals(Cause.NETWORK_RESTRICTED, f.cause());
        assertEquals(Level.HEURISTIC, f.level());
        assertEquals(0.7, f.confidence(), 1e-9);
        assertTrue(f.summary(), f.summary().contains("mail.studio-lindqvist.se"));
        assertTexts(yes);

        ProviderReport withAuth = run(a, T,
                sync("2026-02-17T07:00:00Z", "error", "Connection timed out (mail.studio-lindqvist.se:993)"),
                auth("2026-02-17T07:30:00Z", null, "a1 NO [AUTHENTICATIONFAILED] Authentication failed."));
        assertEquals(Cause.PASSWORD_CHANGED, primary(withAuth).cause());
        assertTrue(withAuth.findings().stream().noneMatch(x -> x.cause() == Cause.NETWORK_RESTRICTED));
        assertTrue(steps(withAuth).get(ImapCheck.STEP_NETWORK).detail().contains("reachable"));

        ProviderReport publicHost = run(a, T,
                sync("2026-02-17T07:00:00Z", "error", "Connection timed out (imap.mail.me.com:993)"));
        assertTrue(publicHost.findings().isEmpty());
        assertTrue(steps(publicHost).get(ImapCheck.STEP_NETWORK).detail().contains("public provider"));

        Account yahoo = account("y").email("z@yahoo.com").provider("yahoo", ProviderFamily.IMAP).build();
        assertTrue(run(yahoo, T, sync("2026-02-17T07:00:00Z", "error", "connection refused")).findings().isEmpty());
    }

    @Test
    public void sameEmailSuccessorMeansServerSettingsChanged() {
        Account old = own().state("invalid-credentials").build();
        CheckContext ctx = context(evidence(old).peers(
                peer("newid", "Office@Studio-Lindqvist.se", "imap", ProviderFamily.IMAP, "running", "2026-02-17T09:30:00Z"),
                peer("other", "someone@studio-lindqvist.se", "imap", ProviderFamily.IMAP, "running", "2026-02-17T09:30:00Z"))
                .build(), T);
        ProviderReport r = CHECK.check(ctx);
        Finding f = primary(r);
        assertEquals(Cause.SERVER_SETTINGS_CHANGED, f.cause());
        assertEquals(Level.HEURISTIC, f.level());
        assertNull("linked after T: timeless", f.at());
        assertTrue(f.summary(), f.summary().contains("newid"));
        assertEquals(Answer.YES, steps(r).get(ImapCheck.STEP_SUCCESSOR).answer());

        CheckContext stopped = context(evidence(old).peers(
                peer("newid", "office@studio-lindqvist.se", "imap", ProviderFamily.IMAP, "stopped", "2026-02-17T09:30:00Z")).build(), T);
        assertTrue(CHECK.check(stopped).findings().isEmpty());
    }

    @Test
    public void platformSyncErrorNeedsAStopWithNothingElse() {
        Account stopped = own().state("stopped").build();
        ProviderReport yes = run(stopped, T, sync("2026-02-17T07:00:00Z", "error", "failed to parse BODYSTRUCTURE of message 4211"));
        assertEquals(Cause.PLATFORM_SYNC_ERROR, primary(yes).cause());
        assertEquals(0.7, primary(yes).confidence(), 1e-9);
        assertTexts(yes);
        assertTrue(run(stopped, T, sync("2026-02-17T07:00:00Z", "warning", "failed to parse date of message 3"))
                .findings().isEmpty());
        assertTrue(run(stopped, T, sync("2026-02-17T07:00:00Z", "error", "failed to parse message 3; skipped"))
                .findings().isEmpty());
        assertTrue(run(own().state("invalid").build(), T, sync("2026-02-17T07:00:00Z", "error", "parse error in message 3"))
                .findings().isEmpty());
        ProviderReport withServer = run(stopped, T, sync("2026-02-17T07:00:00Z", "error", "parse error in message 3"),
                sync("2026-02-17T07:10:00Z", "error", "a3 NO [UNAVAILABLE] backend down"));
        assertTrue(withServer.findings().stream().noneMatch(f -> f.cause() == Cause.PLATFORM_SYNC_ERROR));
    }

    @Test
    public void linesAfterTNeverExplain() {
        ProviderReport r = run(own().build(), T,
                auth("2026-02-17T07:00:00Z", null, "a1 NO [AUTHENTICATIONFAILED] Authentication failed."),
                auth("2026-02-17T08:30:00Z", null, "a1 NO [CONTACTADMIN] suspended"));
        assertEquals(Cause.PASSWORD_CHANGED, primary(r).cause());
        assertEquals(1, r.findings().size());
        assertTrue(steps(r).get(ImapCheck.STEP_CODE).detail().contains("after the state change ignored"));
    }

    @Test
    public void alertNotesAppearInTheTrace() {
        ProviderReport r = run(own().build(), T, sync("2026-02-17T07:00:00Z", "info", "* OK [ALERT] Maintenance tonight"));
        assertTrue(r.findings().isEmpty());
        assertTrue(steps(r).get(ImapCheck.STEP_CODE).detail().contains("IMAP [ALERT] server message"));
    }

    // ---- public examples 06, 07 and 02 -------------------------------------------------------------

    @Test
    public void example06PasswordChangedOnOwnImapServer() {
        Account a = account("bh5a10cld7v1wt4900ee4bmoe").email("office@studio-lindqvist.se").provider("imap", ProviderFamily.IMAP)
                .auth(AuthType.BASIC).state("invalid").linked("2025-10-02T11:04:51Z").build();
        String login = "LOGIN office@studio-lindqvist.se on mail.studio-lindqvist.se:993: a002 NO [AUTHENTICATIONFAILED] Authentication failed.";
        CheckContext ctx = context(evidence(a)
                .events(event("account.invalid", "2026-02-17T07:58:30Z"))
                .lines(sync("2026-02-17T07:05:12Z", "info", "IDLE on INBOX (mail.studio-lindqvist.se:993)"),
                        sync("2026-02-17T07:58:10Z", "error", "authentication failed 3 times in a row; marking credentials invalid"),
                        auth("2026-02-17T07:12:44Z", null, login), auth("2026-02-17T07:27:50Z", null, login),
                        auth("2026-02-17T07:57:58Z", null, login))
                .now("2026-02-17T09:00:00Z").build(), "2026-02-17T07:58:30Z");
        ProviderReport r = CHECK.check(ctx);
        Finding f = primary(r);
        assertEquals(Cause.PASSWORD_CHANGED, f.cause());
        assertEquals(Actor.END_USER, f.cause().actor());
        assertEquals(Level.SPECIFIC, f.level());
        assertEquals(t("2026-02-17T07:57:58Z"), f.at());
        assertTrue(r.findings().stream().noneMatch(x -> x.cause() == Cause.APP_PASSWORD_REQUIRED));
        assertTrue(steps(r).get(ImapCheck.STEP_CODE).detail(), steps(r).get(ImapCheck.STEP_CODE).detail().contains("3 times"));
        assertTrue(f.summary(), f.summary().contains("mail.studio-lindqvist.se"));
        assertTexts(r);
    }

    @Test
    public void example07UidvalidityLoop() {
        Account a = account("p0n3khxrvbmhix1t3q39635we").email("info@alpenblick-hotel.at").provider("imap", ProviderFamily.IMAP)
                .auth(AuthType.BASIC).state("stopped").linked("2026-05-28T16:20:00Z").build();
        Fixtures.EvidenceBuilder ev = evidence(a).events(event("account.stopped", "2026-06-02T03:42:30Z"))
                .lines(sync("2026-06-02T03:02:40Z", "info", "sync started for INBOX, Sent, Drafts, Archiv (4 folders)"));
        String[] times = {"03:10:04", "03:16:04", "03:22:04", "03:28:04", "03:34:04", "03:40:04"};
        long v = 1780370011L;
        for (String time : times) {
            ev.lines(sync("2026-06-02T" + time + "Z", "warning", "INBOX: UIDVALIDITY changed (" + v + " -> " + (v + 611)
                    + "); discarding cached UIDs, full resync"));
            v += 611;
        }
        ev.lines(sync("2026-06-02T03:42:18Z", "error", "Resynced more than MAX_UIDINVALID_RESYNCS in a row. Stopping sync."));
        ProviderReport r = CHECK.check(context(ev.now("2026-06-02T08:00:00Z").build(), "2026-06-02T03:42:30Z"));
        Finding f = primary(r);
        assertEquals(Cause.IMAP_UIDVALIDITY_LOOP, f.cause());
        assertEquals(Actor.PROVIDER, f.cause().actor());
        assertEquals(Level.HEURISTIC, f.level());
        assertEquals(0.95, f.confidence(), 1e-9);
        assertEquals(t("2026-06-02T03:42:18Z"), f.at());
        assertEquals(1, r.findings().size());
        assertEquals(Answer.YES, steps(r).get(ImapCheck.STEP_UID).answer());
        assertTrue(f.summary(), f.summary().contains("6 times"));
        assertTexts(r);
    }

    @Test
    public void example02AppStoppedLeavesNothingToImap() {
        Account a = account("nqyl6fz8eygvs6g4ck6143vm4").email("accounts@kinsale-boatworks.ie").provider("imap", ProviderFamily.IMAP)
                .auth(AuthType.BASIC).state("stopped").linked("2025-08-19T09:12:44Z").build();
        ProviderReport r = CHECK.check(context(evidence(a).lines(
                sync("2026-03-03T16:30:00Z", "info", "IDLE on INBOX: 2 new messages fetched")).build(), "2026-03-03T16:40:55Z"));
        assertTrue(r.findings().isEmpty());
    }

    @Test
    public void exchangeOnlineOverImapWithAPasswordIsBasicAuthRetired() {
        Account a = own().build();
        for (String line : List.of("SMTP AUTH smtp.office365.com:587 -> 550 5.7.30 Basic authentication is not supported"
                        + " for Client Submission.",
                "a1 LOGIN user@contoso.com -> a1 NO LOGIN failed. (outlook.office365.com:993)",
                "AADSTS530035: Access has been blocked by security defaults.")) {
            ProviderReport r = run(a, T, auth("2026-02-17T07:57:00Z", null, line));
            assertEquals(line, Cause.BASIC_AUTH_RETIRED, primary(r).cause());
            assertTexts(r);
        }
        // the same LOGIN failure on the customer's own server is a changed password, and 5.7.300 is not 5.7.30
        assertEquals(Cause.PASSWORD_CHANGED, primary(run(a, T, auth("2026-02-17T07:57:00Z", null,
                "a1 LOGIN -> a1 NO LOGIN failed. (mail.studio-lindqvist.se:993)"))).cause());
        assertTrue(run(a, T, auth("2026-02-17T07:57:00Z", null, "550 5.7.300 unrelated")).findings().stream()
                .noneMatch(f -> f.cause() == Cause.BASIC_AUTH_RETIRED));
    }

    @Test
    public void deserialisationFailureIsAPlatformSyncError() {
        Account stopped = own().state("stopped").build();
        ProviderReport r = run(stopped, T, sync("2026-02-17T07:00:00Z", "error",
                "Failed to deserialize message 88: System.Xml.XmlException: invalid character; sync aborted"));
        assertEquals(Cause.PLATFORM_SYNC_ERROR, primary(r).cause());
    }
}
