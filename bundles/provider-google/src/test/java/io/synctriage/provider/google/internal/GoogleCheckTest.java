package io.synctriage.provider.google.internal;

import static io.synctriage.provider.support.testing.Fixtures.account;
import static io.synctriage.provider.support.testing.Fixtures.auth;
import static io.synctriage.provider.support.testing.Fixtures.context;
import static io.synctriage.provider.support.testing.Fixtures.event;
import static io.synctriage.provider.support.testing.Fixtures.evidence;
import static io.synctriage.provider.support.testing.Fixtures.failure;
import static io.synctriage.provider.support.testing.Fixtures.peer;
import static io.synctriage.provider.support.testing.Fixtures.sync;
import static io.synctriage.provider.support.testing.Fixtures.t;
import static io.synctriage.provider.support.testing.Reports.assertTexts;
import static io.synctriage.provider.support.testing.Reports.primary;
import static io.synctriage.provider.support.testing.Reports.steps;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.synctriage.model.Account;
import io.synctriage.model.Answer;
import io.synctriage.model.AuthType;
import io.synctriage.model.Cause;
import io.synctriage.model.Peer;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.CheckContext;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.Level;
import io.synctriage.model.spi.ProviderReport;
import io.synctriage.provider.support.testing.Fixtures;

public class GoogleCheckTest {

    private static final GoogleCheck CHECK = new GoogleCheck();
    private static final String REVOKED = "{\"error\": \"invalid_grant\", \"error_description\": \"Token has been expired or revoked.\"}";

    private static Fixtures.AccountBuilder gmail() {
        return account("g-1").email("alex.moreau@tidewater-studio.com").provider("gmail", ProviderFamily.GOOGLE)
                .linked("2026-10-05T16:20:00Z");
    }

    private static Peer googlePeer(String id, String email, String linked, String failed) {
        return peer(id, email, "gmail", ProviderFamily.GOOGLE, "invalid", linked, event("account.invalid", failed));
    }

    @Test
    public void serviceIdentityAndTrace() {
        assertEquals(ProviderFamily.GOOGLE, CHECK.family());
        assertEquals(GoogleCheck.STEPS, CHECK.checkNames());
        assertTrue(CHECK.checkNames().stream().allMatch(s -> s.startsWith("GOOGLE_")));
        ProviderReport r = CHECK.check(context(evidence(gmail().build()).build(), "2026-10-12T16:32:10Z"));
        assertEquals(GoogleCheck.STEPS, r.steps().stream().map(TraceStep::step).toList());
        assertTrue(r.findings().isEmpty());
        assertEquals(Answer.SKIPPED, steps(r).get(GoogleCheck.STEP_TOKEN).answer());
    }

    @Test
    public void specificTokenErrors() {
        Object[][] cases = {
                {"reauth related error (invalid_rapt)", Cause.GOOGLE_SESSION_CONTROL},
                {"admin_policy_enforced", Cause.GOOGLE_API_ACCESS_RESTRICTED},
                {"{\"error\":\"deleted_client\",\"error_description\":\"The OAuth client was deleted.\"}", Cause.OAUTH_CLIENT_CREDENTIALS_INVALID},
                {"{\"error\":\"invalid_grant\",\"error_description\":\"The account has been deleted\"}", Cause.USER_DISABLED}};
        for (Object[] c : cases) {
            ProviderReport r = CHECK.check(context(evidence(gmail().build()).lines(
                    auth("2026-10-12T16:31:02Z", "invalid_grant", (String) c[0])).build(), "2026-10-12T16:32:10Z"));
            Finding f = primary(r);
            assertEquals((String) c[0], c[1], f.cause());
            assertEquals(Level.SPECIFIC, f.level());
            assertEquals(t("2026-10-12T16:31:02Z"), f.at());
            assertEquals(1, r.findings().size());
            assertEquals(Answer.NO, steps(r).get(GoogleCheck.STEP_TESTING).answer());
            assertTexts(r);
        }
    }

    @Test
    public void bareRevokedTokenWithNoPatternIsTheUserWithPasswordChangeAlternative() {
        ProviderReport r = CHECK.check(context(evidence(gmail().build()).lines(
                auth("2026-10-09T10:00:00Z", "invalid_grant", REVOKED)).build(), "2026-10-09T10:01:00Z"));
        Finding f = primary(r);
        assertEquals(Cause.USER_REVOKED_ACCESS, f.cause());
        assertEquals(Level.HEURISTIC, f.level());
        assertEquals(0.6, f.confidence(), 1e-9);
        assertEquals(Cause.PASSWORD_CHANGED, f.alternatives().get(0).cause());
        assertEquals(Answer.NO, steps(r).get(GoogleCheck.STEP_TOKEN).answer());
        assertTrue(steps(r).get(GoogleCheck.STEP_TOKEN).detail().contains("Token has been expired or revoked"));
        assertTexts(r);
    }

    @Test
    public void testingModeNeedsTheAccountAndAPeerOnTheSevenDaySchedule() {
        String tIso = "2026-10-12T16:32:10Z";
        Peer onSchedule = googlePeer("p1", "hannah@nordlicht-design.de", "2026-10-03T09:12:00Z", "2026-10-10T09:20:00Z");
        Peer offSchedule = googlePeer("p2", "x@other.org", "2026-10-03T09:12:00Z", "2026-10-05T09:20:00Z");
        Peer microsoft = peer("p3", "y@other.org", "office365", ProviderFamily.MICROSOFT, "invalid", "2026-10-03T09:12:00Z",
                event("account.invalid", "2026-10-10T09:20:00Z"));

        CheckContext yes = context(evidence(gmail().build()).lines(auth("2026-10-12T16:31:02Z", "invalid_grant", REVOKED))
                .peers(onSchedule, offSchedule).build(), tIso);
        ProviderReport r = CHECK.check(yes);
        Finding f = primary(r);
        assertEquals(Cause.GOOGLE_APP_TESTING_MODE, f.cause());
        assertEquals(Level.PATTERN, f.level());
        assertEquals(0.9, f.confidence(), 1e-9);
        assertEquals(Answer.YES, steps(r).get(GoogleCheck.STEP_TESTING).answer());
        assertTrue(r.findings().stream().noneMatch(x -> x.cause() == Cause.USER_REVOKED_ACCESS));
        assertEquals(Cause.USER_REVOKED_ACCESS, f.alternatives().get(0).cause());
        assertTrue(f.summary(), f.summary().contains("7 d 0 h 12 min"));

        // only peers that are off-schedule or not Google: no pattern
        ProviderReport no = CHECK.check(context(evidence(gmail().build()).lines(auth("2026-10-12T16:31:02Z", "invalid_grant", REVOKED))
                .peers(offSchedule, microsoft).build(), tIso));
        assertEquals(Cause.USER_REVOKED_ACCESS, primary(no).cause());
        assertEquals(Answer.NO, steps(no).get(GoogleCheck.STEP_TESTING).answer());
        assertTrue(steps(no).get(GoogleCheck.STEP_TESTING).detail().contains("none of the 1 other Google accounts"));

        // the account itself off schedule (3 days after its authorisation): no pattern even with a peer on it
        ProviderReport own = CHECK.check(context(evidence(gmail().linked("2026-10-09T16:20:00Z").build())
                .lines(auth("2026-10-12T16:31:02Z", "invalid_grant", REVOKED)).peers(onSchedule).build(), tIso));
        assertEquals(Cause.USER_REVOKED_ACCESS, primary(own).cause());
        assertTrue(steps(own).get(GoogleCheck.STEP_TESTING).detail().contains("not 7 d ± 12 h"));

        // 7 d + 11 h is still on schedule, 7 d + 13 h is not
        ProviderReport edge = CHECK.check(context(evidence(gmail().linked("2026-10-05T05:32:10Z").build())
                .peers(onSchedule).build(), tIso));
        assertEquals(Cause.GOOGLE_APP_TESTING_MODE, primary(edge).cause());
        assertEquals(0.75, primary(edge).confidence(), 1e-9);
        ProviderReport beyond = CHECK.check(context(evidence(gmail().linked("2026-10-05T03:32:10Z").build())
                .peers(onSchedule).build(), tIso));
        assertTrue(beyond.findings().isEmpty());
    }

    @Test
    public void testingModeUsesTheLatestReauthenticationBeforeT() {
        // linked_at is after T (user re-authenticated after the failure): the re-auth event before T counts
        Account a = gmail().linked("2026-10-13T08:00:00Z").build();
        CheckContext ctx = context(evidence(a).events(event("account.connected", "2026-10-05T16:20:00Z"),
                        event("account.invalid", "2026-10-12T16:32:10Z"))
                .peers(googlePeer("p1", "h@n.de", "2026-10-03T09:12:00Z", "2026-10-10T09:20:00Z")).build(),
                "2026-10-12T16:32:10Z");
        assertEquals(Cause.GOOGLE_APP_TESTING_MODE, primary(CHECK.check(ctx)).cause());
    }

    @Test
    public void sessionControlErrorRulesOutTestingMode() {
        CheckContext ctx = context(evidence(gmail().build()).lines(
                        auth("2026-10-12T16:31:02Z", "invalid_grant", "reauth related error (invalid_rapt)"))
                .peers(googlePeer("p1", "h@n.de", "2026-10-03T09:12:00Z", "2026-10-10T09:20:00Z")).build(),
                "2026-10-12T16:32:10Z");
        ProviderReport r = CHECK.check(ctx);
        assertEquals(Cause.GOOGLE_SESSION_CONTROL, primary(r).cause());
        assertEquals(1, r.findings().size());
        assertTrue(steps(r).get(GoogleCheck.STEP_TESTING).detail().contains("invalid_rapt"));
    }

    @Test
    public void refreshTokenLimitNeedsASameEmailAuthorisationBetweenLinkAndT() {
        String tIso = "2026-10-09T10:01:00Z";
        Account a = gmail().linked("2026-09-01T08:00:00Z").build();
        Peer newer = peer("g-2", "Alex.Moreau@tidewater-studio.com", "google", ProviderFamily.GOOGLE, "running",
                "2026-10-08T12:00:00Z");
        ProviderReport r = CHECK.check(context(evidence(a).lines(auth("2026-10-09T10:00:00Z", "invalid_grant", REVOKED))
                .peers(newer).build(), tIso));
        Finding f = primary(r);
        assertEquals(Cause.GOOGLE_REFRESH_TOKEN_LIMIT, f.cause());
        assertEquals(Level.PATTERN, f.level());
        assertEquals(Answer.YES, steps(r).get(GoogleCheck.STEP_LIMIT).answer());
        assertTexts(r);

        Peer afterT = peer("g-3", "alex.moreau@tidewater-studio.com", "gmail", ProviderFamily.GOOGLE, "running",
                "2026-10-09T12:00:00Z");
        Peer beforeLink = peer("g-4", "alex.moreau@tidewater-studio.com", "gmail", ProviderFamily.GOOGLE, "running",
                "2026-08-01T12:00:00Z");
        Peer otherFamily = peer("m-1", "alex.moreau@tidewater-studio.com", "imap", ProviderFamily.IMAP, "running",
                "2026-10-08T12:00:00Z");
        ProviderReport none = CHECK.check(context(evidence(a).lines(auth("2026-10-09T10:00:00Z", "invalid_grant", REVOKED))
                .peers(afterT, beforeLink, otherFamily).build(), tIso));
        assertEquals(Cause.USER_REVOKED_ACCESS, primary(none).cause());
        assertEquals(Answer.NO, steps(none).get(GoogleCheck.STEP_LIMIT).answer());

        // without an invalid_grant the limit does not apply
        ProviderReport noGrant = CHECK.check(context(evidence(a).peers(newer).build(), tIso));
        assertTrue(noGrant.findings().isEmpty());
    }

    @Test
    public void sixMonthsOfInactivity() {
        Account idle = gmail().linked("2025-12-01T00:00:00Z").lastActivity("2026-03-20T00:00:00Z").build();
        ProviderReport r = CHECK.check(context(evidence(idle).lines(auth("2026-10-09T10:00:00Z", "invalid_grant", REVOKED))
                .build(), "2026-10-09T10:01:00Z"));
        Finding f = primary(r);
        assertEquals(Cause.REFRESH_TOKEN_INACTIVE, f.cause());
        assertEquals(Level.HEURISTIC, f.level());
        assertEquals(0.75, f.confidence(), 1e-9);
        assertEquals(Answer.YES, steps(r).get(GoogleCheck.STEP_INACTIVITY).answer());
        assertEquals(1, r.findings().size());
        Account active = gmail().linked("2025-12-01T00:00:00Z").lastActivity("2026-04-20T00:00:00Z").build();
        ProviderReport no = CHECK.check(context(evidence(active).lines(auth("2026-10-09T10:00:00Z", "invalid_grant", REVOKED))
                .build(), "2026-10-09T10:01:00Z"));
        assertEquals(Cause.USER_REVOKED_ACCESS, primary(no).cause());
        assertEquals(Answer.NO, steps(no).get(GoogleCheck.STEP_INACTIVITY).answer());
    }

    @Test
    public void invalidGrantIsAPasswordChangeOnlyWithEvidenceOfOne() {
        ProviderReport r = CHECK.check(context(evidence(gmail().build()).lines(
                sync("2026-10-08T09:00:00Z", "info", "user reported: Google password was changed"),
                auth("2026-10-09T10:00:00Z", "invalid_grant", REVOKED)).build(), "2026-10-09T10:01:00Z"));
        assertEquals(Cause.PASSWORD_CHANGED, primary(r).cause());
        assertEquals(Answer.YES, steps(r).get(GoogleCheck.STEP_PASSWORD).answer());
        assertTexts(r);
        // a password change logged only after the invalid_grant does not count
        ProviderReport later = CHECK.check(context(evidence(gmail().build()).lines(
                auth("2026-10-09T10:00:00Z", "invalid_grant", REVOKED),
                sync("2026-10-09T10:00:30Z", "info", "password changed")).build(), "2026-10-09T10:01:00Z"));
        assertEquals(Cause.USER_REVOKED_ACCESS, primary(later).cause());
    }

    @Test
    public void gmailImapAuthenticationFailedPersistingAfterRefreshIsImapDisabled() {
        String failed = "a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)";
        ProviderReport twice = CHECK.check(context(evidence(gmail().build()).lines(
                sync("2026-10-09T09:00:00Z", "error", failed),
                sync("2026-10-09T09:30:00Z", "error", failed)).build(), "2026-10-09T10:00:00Z"));
        assertEquals(Cause.GMAIL_IMAP_DISABLED, primary(twice).cause());
        assertEquals(Level.SPECIFIC, primary(twice).level());
        assertTexts(twice);

        ProviderReport afterRefresh = CHECK.check(context(evidence(gmail().build()).lines(
                sync("2026-10-09T08:59:00Z", "info", "access token refreshed"),
                sync("2026-10-09T09:00:00Z", "error", failed)).build(), "2026-10-09T10:00:00Z"));
        assertEquals(Level.SPECIFIC, primary(afterRefresh).level());

        ProviderReport once = CHECK.check(context(evidence(gmail().build()).lines(
                sync("2026-10-09T09:00:00Z", "error", failed)).build(), "2026-10-09T10:00:00Z"));
        assertEquals(Cause.GMAIL_IMAP_DISABLED, primary(once).cause());
        assertEquals(Level.HEURISTIC, primary(once).level());

        Account appPassword = gmail().auth(AuthType.BASIC).build();
        ProviderReport basic = CHECK.check(context(evidence(appPassword).lines(
                sync("2026-10-09T09:00:00Z", "error", failed)).build(), "2026-10-09T10:00:00Z"));
        assertEquals(Cause.PASSWORD_CHANGED, primary(basic).cause());
        assertEquals(Cause.APP_PASSWORD_REQUIRED, primary(basic).alternatives().get(0).cause());
    }

    @Test
    public void gmailImapStrings() {
        Object[][] cases = {
                {"* NO [WEBALERT https://accounts.google.com/x] Web login required.", Cause.WEB_LOGIN_REQUIRED},
                {"a1 NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)", Cause.APP_PASSWORD_REQUIRED},
                {"a1 NO IMAP access is disabled for your domain.", Cause.GOOGLE_WORKSPACE_IMAP_DISABLED},
                {"a1 NO [ALERT] Too many simultaneous connections. (Failure)", Cause.IMAP_CONNECTION_LIMIT}};
        for (Object[] c : cases) {
            ProviderReport r = CHECK.check(context(evidence(gmail().build()).lines(
                    sync("2026-10-09T09:00:00Z", "error", (String) c[0])).build(), "2026-10-09T10:00:00Z"));
            assertEquals((String) c[0], c[1], primary(r).cause());
            assertEquals(Answer.YES, steps(r).get(GoogleCheck.STEP_IMAP).answer());
            assertTexts(r);
        }
    }

    @Test
    public void latestSpecificBeforeTWins() {
        ProviderReport r = CHECK.check(context(evidence(gmail().build()).lines(
                auth("2026-10-09T08:00:00Z", "admin_policy_enforced", null),
                auth("2026-10-09T09:00:00Z", "invalid_grant", "reauth related error (invalid_rapt)"),
                auth("2026-10-09T11:00:00Z", "deleted_client", null)).build(), "2026-10-09T10:00:00Z"));
        assertEquals(Cause.GOOGLE_SESSION_CONTROL, primary(r).cause());
        assertEquals(2, r.findings().size());
        assertTrue(r.findings().stream().noneMatch(f -> f.cause() == Cause.OAUTH_CLIENT_CREDENTIALS_INVALID));
    }

    @Test
    public void repeatedServerErrors() {
        ProviderReport r = CHECK.check(context(evidence(gmail().build()).lines(
                sync("2026-10-09T08:00:00Z", "error", "* BYE [UNAVAILABLE] Temporary System Problem"),
                sync("2026-10-09T09:00:00Z", "error", "HTTP 503")).build(), "2026-10-09T10:00:00Z"));
        assertEquals(Cause.REPEATED_SERVER_ERROR, primary(r).cause());
        assertEquals(Answer.YES, steps(r).get(GoogleCheck.STEP_SERVER).answer());
    }

    // ---- public examples 09 and 04 -----------------------------------------------------------------

    @Test
    public void example09GoogleTestingMode() {
        Account a = account("2z579j5drgn74g8qip6ocx9p3").email("alex.moreau@tidewater-studio.com")
                .provider("gmail", ProviderFamily.GOOGLE).state("invalid").linked("2026-10-05T16:20:00Z").build();
        CheckContext ctx = context(evidence(a)
                .events(event("account.invalid", "2026-10-12T16:32:10Z"))
                .lines(auth("2026-10-12T16:31:02Z", "invalid_grant", REVOKED))
                .peers(googlePeer("853obn7y3oq3xd8xatyxb3nq3", "hannah.berg@nordlicht-design.de", "2026-10-03T09:12:00Z", "2026-10-10T09:20:00Z"),
                        googlePeer("1pf042bz25ghn7cgj6rgu898a", "carlos.mendez@gmail.com", "2026-10-04T21:45:00Z", "2026-10-11T21:51:00Z"),
                        googlePeer("0hx89i5177bgyhgccmmqm2cyb", "fiona@thistle-and-thread.co.uk", "2026-10-01T12:02:00Z", "2026-10-08T12:10:00Z"),
                        googlePeer("fcah98qvwfpeq4q9czpofqsbg", "dev.patel@ridgeline-ventures.com", "2026-10-02T07:40:00Z", "2026-10-09T07:44:00Z"))
                .now("2026-10-12T17:00:00Z").build(), "2026-10-12T16:32:10Z");
        ProviderReport r = CHECK.check(ctx);
        Finding f = primary(r);
        assertEquals(Cause.GOOGLE_APP_TESTING_MODE, f.cause());
        assertEquals(Level.PATTERN, f.level());
        assertEquals(io.synctriage.model.Actor.DEVELOPER, f.cause().actor());
        assertTrue(steps(r).get(GoogleCheck.STEP_TESTING).detail(), steps(r).get(GoogleCheck.STEP_TESTING).detail()
                .contains("4 of 4 other Google accounts"));
        assertEquals(5, steps(r).get(GoogleCheck.STEP_TESTING).evidence().size());
        assertTexts(r);
    }

    @Test
    public void example04RecurringDomainPatternWithoutCodesLeavesNothingToGoogle() {
        Account a = account("xxcqxbq2b4y1nwd5my57pcagx").email("j.okonkwo@fernhill-academy.org")
                .provider("gmail", ProviderFamily.GOOGLE).state("invalid").linked("2026-09-04T13:40:00Z").build();
        CheckContext ctx = context(evidence(a)
                .events(event("account.connected", "2026-09-01T08:05:00Z"), event("account.invalid", "2026-09-04T08:08:00Z"),
                        event("account.running", "2026-09-04T13:40:00Z"), event("account.invalid", "2026-09-07T13:42:00Z"))
                .peers(peer("jk", "m.ferreira@fernhill-academy.org", "gmail", ProviderFamily.GOOGLE, "invalid", "2026-09-03T09:15:00Z",
                                event("account.connected", "2026-08-30T10:20:00Z"), failure("account.invalid", "2026-09-02T10:24:00Z", null, null),
                                event("account.running", "2026-09-03T09:15:00Z"), failure("account.invalid", "2026-09-06T09:18:00Z", null, null)),
                        peer("8v", "s.baptiste@fernhill-academy.org", "gmail", ProviderFamily.GOOGLE, "invalid", "2026-09-04T06:50:00Z",
                                event("account.connected", "2026-08-31T15:50:00Z"), failure("account.invalid", "2026-09-03T15:53:00Z", null, null),
                                event("account.running", "2026-09-04T06:50:00Z"), failure("account.invalid", "2026-09-07T06:53:00Z", null, null)))
                .now("2026-09-07T14:30:00Z").build(), "2026-09-07T13:42:00Z",
                Fixtures.pattern(io.synctriage.model.spi.PatternKind.RECURRING, Cause.DOMAIN_SESSION_POLICY,
                        "fernhill-academy.org", "xxcqxbq2b4y1nwd5my57pcagx", "jk", "8v"));
        ProviderReport r = CHECK.check(ctx);
        assertTrue(r.findings().toString(), r.findings().isEmpty());
        assertEquals(Answer.NO, steps(r).get(GoogleCheck.STEP_TESTING).answer());
        assertTrue(steps(r).get(GoogleCheck.STEP_TESTING).detail().contains("3 d 0 h 2 min"));
        assertEquals(List.of(), r.findings());
    }

    @Test
    public void platformParseErrorOnAStoppedOAuthAccount() {
        Account stopped = gmail().state("exception").build();
        ProviderReport yes = CHECK.check(context(evidence(stopped).lines(sync("2026-10-12T16:30:00Z", "error",
                "MessageParseError: failed to parse message 18c2f: UnicodeDecodeError: 'utf-8' codec can't decode byte"
                        + " 0xe9; sync aborted")).build(), "2026-10-12T16:32:10Z"));
        assertEquals(Cause.PLATFORM_SYNC_ERROR, primary(yes).cause());
        assertEquals(Answer.YES, steps(yes).get(GoogleCheck.STEP_SYNC).answer());
        assertTexts(yes);
        ProviderReport warning = CHECK.check(context(evidence(stopped).lines(sync("2026-10-12T16:30:00Z", "warning",
                "failed to parse Date header of message 3")).build(), "2026-10-12T16:32:10Z"));
        assertTrue(warning.findings().stream().noneMatch(f -> f.cause() == Cause.PLATFORM_SYNC_ERROR));
        ProviderReport revoked = CHECK.check(context(evidence(stopped).lines(
                sync("2026-10-12T16:30:00Z", "error", "parse error in message 3"),
                auth("2026-10-12T16:31:02Z", "invalid_grant", REVOKED)).build(), "2026-10-12T16:32:10Z"));
        assertTrue(revoked.findings().stream().noneMatch(f -> f.cause() == Cause.PLATFORM_SYNC_ERROR));
    }
}
