package io.synctriage.provider.eas.internal;

import static io.synctriage.provider.support.testing.Fixtures.account;
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

public class EasCheckTest {

    private static final EasCheck CHECK = EasClassifyTest.CHECK;
    private static final String T = "2026-08-25T11:01:12Z";
    private static final String EP = "FolderSync https://mail.weinhaus-keller.de/Microsoft-Server-ActiveSync: ";

    private static Fixtures.AccountBuilder eas() {
        return account("q6z").email("k.vogel@weinhaus-keller.de").provider("eas", ProviderFamily.EAS)
                .auth(AuthType.BASIC).state("invalid").linked("2025-05-06T08:00:00Z");
    }

    private static ProviderReport run(Account a, LogLine... lines) {
        return CHECK.check(context(evidence(a).lines(lines).build(), T));
    }

    @Test
    public void serviceIdentityAndTrace() {
        assertEquals(ProviderFamily.EAS, CHECK.family());
        assertEquals(EasCheck.STEPS, CHECK.checkNames());
        assertTrue(CHECK.checkNames().stream().allMatch(s -> s.startsWith("EAS_")));
        ProviderReport r = CHECK.check(context(evidence(eas().build()).build(), T));
        assertEquals(EasCheck.STEPS, r.steps().stream().map(TraceStep::step).toList());
        assertTrue(r.findings().isEmpty());
        assertEquals(Answer.UNKNOWN, steps(r).get(EasCheck.STEP_INBOX).answer());
    }

    @Test
    public void everySpecificStatusGivesAFindingWithItsTexts() {
        Object[][] cases = {
                {"Status 129 (DeviceIsBlockedForThisUser)", Cause.EAS_DEVICE_BLOCKED, EasCheck.STEP_STATUS},
                {"Status 142", Cause.EAS_PROVISIONING_REQUIRED, EasCheck.STEP_STATUS},
                {"Status 177", Cause.EAS_DEVICE_LIMIT, EasCheck.STEP_STATUS},
                {"Status 131", Cause.USER_DISABLED, EasCheck.STEP_STATUS},
                {"Status 123", Cause.MAILBOX_UNAVAILABLE, EasCheck.STEP_STATUS},
                {"HTTP/1.1 403 Forbidden", Cause.EAS_DEVICE_BLOCKED, EasCheck.STEP_HTTP},
                {"HTTP/1.1 449 Retry With", Cause.EAS_PROVISIONING_REQUIRED, EasCheck.STEP_HTTP},
                {"HTTP 451 redirect", Cause.SERVER_SETTINGS_CHANGED, EasCheck.STEP_HTTP},
                {"HTTP 456", Cause.USER_DISABLED, EasCheck.STEP_HTTP},
                {"HTTP 457", Cause.PASSWORD_EXPIRED, EasCheck.STEP_HTTP}};
        for (Object[] c : cases) {
            ProviderReport r = run(eas().build(), sync("2026-08-25T10:40:58Z", "error", EP + c[0]));
            Finding f = primary(r);
            assertEquals((String) c[0], c[1], f.cause());
            assertEquals(Level.SPECIFIC, f.level());
            assertEquals(t("2026-08-25T10:40:58Z"), f.at());
            assertEquals(Answer.YES, steps(r).get((String) c[2]).answer());
            assertTexts(r);
        }
    }

    @Test
    public void http401OnBasicAuthIsAPasswordChangeHeuristic() {
        ProviderReport r = run(eas().build(), sync("2026-08-25T10:40:58Z", "error", EP + "HTTP/1.1 401 Unauthorized"));
        Finding f = primary(r);
        assertEquals(Cause.PASSWORD_CHANGED, f.cause());
        assertEquals(Level.HEURISTIC, f.level());
        assertTrue(f.summary(), f.summary().contains("mail.weinhaus-keller.de"));
    }

    @Test
    public void exchangeOnlineBasicAuthRetired() {
        ProviderReport r = run(eas().build(), sync("2026-08-25T10:40:58Z", "error",
                "OPTIONS https://outlook.office365.com/Microsoft-Server-ActiveSync: HTTP/1.1 401 Unauthorized"));
        assertEquals(Cause.BASIC_AUTH_RETIRED, primary(r).cause());
        assertEquals(Answer.YES, steps(r).get(EasCheck.STEP_BASIC).answer());
        assertEquals(Answer.NO, steps(r).get(EasCheck.STEP_HTTP).answer());
        assertTexts(r);
    }

    @Test
    public void specificStatusBeatsTheLowInboxHeuristic() {
        ProviderReport r = run(eas().inbox(1).build(), sync("2026-08-25T10:40:58Z", "error", EP + "Status 129"));
        assertEquals(Cause.EAS_DEVICE_BLOCKED, primary(r).cause());
        Finding inbox = r.findings().get(1);
        assertEquals(Cause.EAS_LOW_INBOX_COUNT, inbox.cause());
        assertEquals(Level.HEURISTIC, inbox.level());
        assertEquals(0.3, inbox.confidence(), 1e-9);
        assertTrue(steps(r).get(EasCheck.STEP_INBOX).detail().contains("outranks"));
    }

    @Test
    public void lowInboxNeedsAFailingAccountAndAtMostTwoMessages() {
        assertEquals(Answer.NO, steps(run(eas().inbox(3).state("stopped").build())).get(EasCheck.STEP_INBOX).answer());
        ProviderReport running = run(eas().inbox(0).state("running").build());
        assertTrue(running.findings().isEmpty());
        assertEquals(Answer.NO, steps(running).get(EasCheck.STEP_INBOX).answer());
        ProviderReport two = run(eas().inbox(2).state("stopped").build());
        assertEquals(Cause.EAS_LOW_INBOX_COUNT, primary(two).cause());
        assertEquals(0.6, primary(two).confidence(), 1e-9);
        assertNull(primary(two).at());
        assertTrue(primary(two).summary(), primary(two).summary().contains("2 messages"));
    }

    @Test
    public void repeatedServerErrors() {
        ProviderReport once = run(eas().state("stopped").build(), sync("2026-08-25T10:00:00Z", "error", EP + "Status 111"));
        assertTrue(once.findings().isEmpty());
        ProviderReport r = run(eas().state("stopped").build(),
                sync("2026-08-25T10:00:00Z", "error", EP + "Status 111 (ServerErrorRetryLater)"),
                sync("2026-08-25T10:20:00Z", "error", EP + "HTTP/1.1 503 Service Unavailable"),
                sync("2026-08-25T10:40:00Z", "error", EP + "Status 114"));
        Finding f = primary(r);
        assertEquals(Cause.REPEATED_SERVER_ERROR, f.cause());
        assertEquals(t("2026-08-25T10:40:00Z"), f.at());
        assertEquals(3, f.evidence().size());
        assertEquals(Actor.PROVIDER, f.cause().actor());
        assertTexts(r);
    }

    @Test
    public void networkRestrictionOnOwnExchangeButNotOnExchangeOnline() {
        ProviderReport own = run(eas().state("stopped").build(),
                sync("2026-08-25T10:00:00Z", "error", "connect to mail.weinhaus-keller.de:443 timed out"),
                sync("2026-08-25T10:30:00Z", "error", "connect to mail.weinhaus-keller.de:443 timed out"));
        assertEquals(Cause.NETWORK_RESTRICTED, primary(own).cause());
        assertTrue(primary(own).remediation().get(0).contains("mail.weinhaus-keller.de"));
        ProviderReport exo = run(eas().state("stopped").build(),
                sync("2026-08-25T10:00:00Z", "error", "connect to outlook.office365.com:443 timed out"));
        assertTrue(exo.findings().isEmpty());
    }

    @Test
    public void tlsFailureIsReportedWithConnectivity() {
        ProviderReport r = run(eas().state("stopped").build(), sync("2026-08-25T10:00:00Z", "error",
                "https://mail.weinhaus-keller.de/Microsoft-Server-ActiveSync: certificate verify failed: certificate has expired"));
        assertEquals(Cause.TLS_CERTIFICATE_INVALID, primary(r).cause());
        assertEquals(Answer.YES, steps(r).get(EasCheck.STEP_NETWORK).answer());
        assertEquals(1, r.findings().size());
    }

    @Test
    public void successorAfterServerSettingsChange() {
        Account old = eas().state("invalid").linked("2025-05-06T08:00:00Z").build();
        CheckContext ctx = context(evidence(old).peers(
                peer("new", "k.vogel@weinhaus-keller.de", "eas", ProviderFamily.EAS, "running", "2026-08-20T09:00:00Z")).build(), T);
        ProviderReport r = CHECK.check(ctx);
        Finding f = primary(r);
        assertEquals(Cause.SERVER_SETTINGS_CHANGED, f.cause());
        assertEquals(t("2026-08-20T09:00:00Z"), f.at());
        assertTexts(r);
    }

    @Test
    public void latestCodeBeforeTWins() {
        ProviderReport r = run(eas().build(),
                sync("2026-08-25T09:00:00Z", "error", EP + "Status 142"),
                sync("2026-08-25T10:40:58Z", "error", EP + "Status 129"),
                sync("2026-08-25T11:30:00Z", "error", EP + "Status 177"));
        assertEquals(Cause.EAS_DEVICE_BLOCKED, primary(r).cause());
        assertEquals(Cause.EAS_PROVISIONING_REQUIRED, r.findings().get(1).cause());
        assertTrue(r.findings().stream().noneMatch(f -> f.cause() == Cause.EAS_DEVICE_LIMIT));
    }

    // ---- public examples 08 and 11 ------------------------------------------------------------------

    @Test
    public void example08LowInboxCount() {
        Account a = account("bk7inlakwhuuunh7pa1pgix9j").email("frontdesk@mapleton-clinic.ca").provider("eas", ProviderFamily.EAS)
                .auth(AuthType.BASIC).state("stopped").linked("2026-03-20T11:00:00Z").inbox(1).build();
        CheckContext ctx = context(evidence(a)
                .events(event("account.stopped", "2026-03-20T12:06:41Z"))
                .lines(sync("2026-03-20T11:00:30Z", "info", "FolderSync OK: 12 folders"),
                        sync("2026-03-20T11:01:10Z", "info", "Sync Inbox: 1 item"),
                        sync("2026-03-20T11:35:50Z", "info", "initial sync not complete; retry 5/6"),
                        sync("2026-03-20T12:06:30Z", "info", "initial sync not complete after 6 retries; stopping"))
                .now("2026-03-20T13:00:00Z").build(), "2026-03-20T12:06:41Z");
        ProviderReport r = CHECK.check(ctx);
        assertEquals(1, r.findings().size());
        Finding f = primary(r);
        assertEquals(Cause.EAS_LOW_INBOX_COUNT, f.cause());
        assertEquals(Actor.END_USER, f.cause().actor());
        assertEquals(Level.HEURISTIC, f.level());
        assertEquals(Answer.YES, steps(r).get(EasCheck.STEP_INBOX).answer());
        assertTrue(f.remediation().get(0).contains("Inbox"));
        assertTexts(r);
    }

    @Test
    public void example11DeviceBlocked() {
        Account a = account("q6zoukmmvtu66vg92k83r413k").email("k.vogel@weinhaus-keller.de").provider("eas", ProviderFamily.EAS)
                .auth(AuthType.BASIC).state("invalid").linked("2025-05-06T08:00:00Z").inbox(2387).build();
        String line = "FolderSync https://mail.weinhaus-keller.de/Microsoft-Server-ActiveSync: Status 129 (DeviceIsBlockedForThisUser)";
        CheckContext ctx = context(evidence(a)
                .events(event("account.invalid", "2026-08-25T10:41:12Z"))
                .lines(sync("2026-08-25T10:31:40Z", "error", line), sync("2026-08-25T10:40:58Z", "error", line))
                .now("2026-08-25T11:30:00Z").build(), "2026-08-25T10:41:12Z");
        ProviderReport r = CHECK.check(ctx);
        Finding f = primary(r);
        assertEquals(Cause.EAS_DEVICE_BLOCKED, f.cause());
        assertEquals(Actor.MAIL_ADMIN, f.cause().actor());
        assertEquals(Level.SPECIFIC, f.level());
        assertEquals(t("2026-08-25T10:40:58Z"), f.at());
        assertEquals(1, r.findings().size());
        assertEquals(Answer.NO, steps(r).get(EasCheck.STEP_INBOX).answer());
        assertTrue(f.remediation().get(0).contains("Exchange admin center"));
        assertTexts(r);
    }

    @Test
    public void deserialisationFailureIsAPlatformSyncError() {
        Account syncError = eas().state("sync-error").build();
        ProviderReport r = run(syncError, sync("2026-08-25T10:40:00Z", "error", "SyncFolderItems Inbox: Failed to"
                + " deserialize EWS response: System.Xml.XmlException: hexadecimal value 0x01 is an invalid character."));
        assertEquals(Cause.PLATFORM_SYNC_ERROR, primary(r).cause());
        assertTexts(r);
        assertTrue(run(syncError, sync("2026-08-25T10:40:00Z", "error", "could not deserialize item 7; item skipped"))
                .findings().stream().noneMatch(f -> f.cause() == Cause.PLATFORM_SYNC_ERROR));
    }
}
