package io.synctriage.provider.microsoft.internal;

import static io.synctriage.provider.support.testing.Fixtures.account;
import static io.synctriage.provider.support.testing.Fixtures.auth;
import static io.synctriage.provider.support.testing.Fixtures.context;
import static io.synctriage.provider.support.testing.Fixtures.event;
import static io.synctriage.provider.support.testing.Fixtures.evidence;
import static io.synctriage.provider.support.testing.Fixtures.failure;
import static io.synctriage.provider.support.testing.Fixtures.grantExpired;
import static io.synctriage.provider.support.testing.Fixtures.pattern;
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
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.CheckContext;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.Level;
import io.synctriage.model.spi.PatternKind;
import io.synctriage.model.spi.ProviderCheck;
import io.synctriage.model.spi.ProviderReport;
import io.synctriage.provider.support.testing.Fixtures;

public class MicrosoftCheckTest {

    private static final MicrosoftCheck CHECK = new MicrosoftCheck();
    private static final String T = "2026-04-14T08:02:30Z";

    private static Fixtures.AccountBuilder office365() {
        return account("acc-1").email("r.kowalski@vistula-pharma.pl").provider("office365", ProviderFamily.MICROSOFT)
                .linked("2026-04-13T07:58:11Z");
    }

    @Test
    public void serviceIdentity() {
        assertEquals(ProviderFamily.MICROSOFT, CHECK.family());
        assertEquals("microsoft", CHECK.family().id());
        assertEquals(MicrosoftCheck.STEPS, CHECK.checkNames());
        assertTrue(CHECK.checkNames().stream().allMatch(s -> s.startsWith("MS_")));
        assertEquals("synctriage.provider.family", ProviderCheck.FAMILY_PROPERTY);
    }

    @Test
    public void traceListsEveryStepInOrder() {
        ProviderReport r = CHECK.check(context(evidence(office365().build())
                .lines(auth("2026-04-14T08:01:09Z", "invalid_grant", "AADSTS70043: sign-in frequency")).build(), T));
        assertEquals(MicrosoftCheck.STEPS, r.steps().stream().map(TraceStep::step).toList());
    }

    @Test
    public void noLogsSkipsTheCodeSteps() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).build(), T));
        assertTrue(r.findings().isEmpty());
        assertEquals(Answer.SKIPPED, steps(r).get(MicrosoftCheck.STEP_CODE).answer());
        assertEquals(Answer.SKIPPED, steps(r).get(MicrosoftCheck.STEP_SCOPE).answer());
        assertEquals(Answer.NO, steps(r).get(MicrosoftCheck.STEP_SERVER).answer());
    }

    @Test
    public void emptyLogsAnswerNo() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).emptyLogs().build(), T));
        assertEquals(Answer.NO, steps(r).get(MicrosoftCheck.STEP_CODE).answer());
        assertTrue(r.findings().isEmpty());
    }

    @Test
    public void specificCodeDecidesWithTheTimeOfItsLine() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).lines(
                auth("2026-04-14T08:01:09Z", "invalid_grant", "AADSTS70043: sign-in frequency")).build(), T));
        Finding f = primary(r);
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, f.cause());
        assertEquals(Level.SPECIFIC, f.level());
        assertEquals(t("2026-04-14T08:01:09Z"), f.at());
        assertEquals("auth_log", f.evidence().get(0).source());
        assertEquals(1, r.findings().size());
        assertEquals(Answer.YES, steps(r).get(MicrosoftCheck.STEP_CODE).answer());
        assertTrue(f.summary().contains("r.kowalski@vistula-pharma.pl"));
        assertTrue(f.remediation().get(0).contains("Conditional Access"));
        assertTexts(r);
    }

    @Test
    public void latestCodeBeforeTWinsAndLaterLinesAreIgnored() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).lines(
                auth("2026-04-14T06:00:00Z", "invalid_grant", "AADSTS50126: invalid username or password"),
                auth("2026-04-14T08:00:00Z", "invalid_grant", "AADSTS70043: sign-in frequency"),
                auth("2026-04-14T08:30:00Z", "access_denied", "AADSTS53003: blocked by CA (after T)")).build(), T));
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, primary(r).cause());
        assertEquals(2, r.findings().size());
        assertEquals(Cause.PASSWORD_CHANGED, r.findings().get(1).cause());
        assertTrue(r.findings().stream().noneMatch(f -> f.cause() == Cause.CONDITIONAL_ACCESS_BLOCK));
        String detail = steps(r).get(MicrosoftCheck.STEP_CODE).detail();
        assertTrue(detail, detail.startsWith("AADSTS70043"));
        assertTrue(detail, detail.contains("1 matching line logged after the state change ignored"));
    }

    @Test
    public void codeOnlyAfterTExplainsNothing() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).lines(
                auth("2026-04-14T09:00:00Z", null, "AADSTS53003")).build(), T));
        assertTrue(r.findings().isEmpty());
        assertEquals(Answer.NO, steps(r).get(MicrosoftCheck.STEP_CODE).answer());
    }

    @Test
    public void codeOlderThanTheLookBackIsIgnored() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).lines(
                auth("2026-02-01T09:00:00Z", null, "AADSTS53003")).build(), T));
        assertTrue(r.findings().isEmpty());
    }

    @Test
    public void revokedGrantOnASingleAccountIsTheUser() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).lines(
                auth("2026-04-14T08:00:00Z", "invalid_grant", "AADSTS50173: The provided grant has expired due to it being revoked")).build(), T));
        Finding f = primary(r);
        assertEquals(Cause.USER_REVOKED_ACCESS, f.cause());
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, f.alternatives().get(0).cause());
        assertEquals(Answer.NO, steps(r).get(MicrosoftCheck.STEP_SCOPE).answer());
        assertTexts(r);
    }

    @Test
    public void revokedGrantInADomainPatternIsTheAdmin() {
        for (PatternKind kind : List.of(PatternKind.SAME_MOMENT, PatternKind.RECURRING)) {
            CheckContext ctx = context(evidence(office365().build()).lines(
                    auth("2026-04-14T08:00:00Z", "invalid_grant", "AADSTS50173")).build(), T,
                    pattern(kind, Cause.ADMIN_DISCONNECTED, "vistula-pharma.pl", "acc-1", "acc-2", "acc-3"));
            ProviderReport r = CHECK.check(ctx);
            assertEquals(Cause.ADMIN_REVOKED_SESSIONS, primary(r).cause());
            assertEquals(Answer.YES, steps(r).get(MicrosoftCheck.STEP_SCOPE).answer());
            assertTrue(steps(r).get(MicrosoftCheck.STEP_SCOPE).detail().contains("vistula-pharma.pl"));
        }
        // a provider-wide pattern is not a domain cluster
        CheckContext wide = context(evidence(office365().build()).lines(auth("2026-04-14T08:00:00Z", null, "AADSTS50173")).build(),
                T, pattern(PatternKind.PROVIDER_WIDE, Cause.PROVIDER_OUTAGE, null, "acc-1", "b", "c"));
        assertEquals(Cause.USER_REVOKED_ACCESS, primary(CHECK.check(wide)).cause());
    }

    @Test
    public void applicationDisabledIsTenantLocalUnlessProviderWide() {
        for (String code : List.of("AADSTS7000112: Application is disabled.")) {
            ProviderReport local = CHECK.check(context(evidence(office365().build()).lines(
                    auth("2026-04-14T08:00:00Z", "unauthorized_client", code)).build(), T));
            assertEquals(code, Cause.ADMIN_CONSENT_REVOKED, primary(local).cause());
            assertEquals(Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, primary(local).alternatives().get(0).cause());
            ProviderReport wide = CHECK.check(context(evidence(office365().build()).lines(
                    auth("2026-04-14T08:00:00Z", "unauthorized_client", code)).build(), T,
                    pattern(PatternKind.PROVIDER_WIDE, Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, null, "acc-1", "x", "y")));
            assertEquals(code, Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, primary(wide).cause());
            assertTexts(wide);
        }
    }

    @Test
    public void applicationNotFoundIsTheDevelopersClientEvenForOneAccount() {
        // causes.md lists 700016 and 70001 under OAUTH_CLIENT_CREDENTIALS_INVALID only; consent is the alternative.
        for (String code : List.of("AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.",
                "AADSTS70001: Application 'x' is disabled.")) {
            ProviderReport local = CHECK.check(context(evidence(office365().build()).lines(
                    auth("2026-04-14T08:00:00Z", "unauthorized_client", code)).build(), T));
            assertEquals(code, Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, primary(local).cause());
            assertEquals(code, Cause.ADMIN_CONSENT_REVOKED, primary(local).alternatives().get(0).cause());
            assertTexts(local);
        }
    }

    @Test
    public void passwordChangeCodeHasExpiryAsAlternative() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).lines(
                auth("2026-04-14T08:00:00Z", "invalid_grant", "AADSTS50133: Session is invalid due to expiration or recent password change.")).build(), T));
        Finding f = primary(r);
        assertEquals(Cause.PASSWORD_CHANGED, f.cause());
        assertEquals(Cause.PASSWORD_EXPIRED, f.alternatives().get(0).cause());
    }

    @Test
    public void expiredClientSecretIsTheDevelopersEvenForOneAccount() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).lines(
                auth("2026-04-14T08:00:00Z", "invalid_client", "AADSTS7000222: The provided client secret keys for app 'x' are expired.")).build(), T));
        assertEquals(Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, primary(r).cause());
        assertTrue(primary(r).remediation().get(0).contains("Certificates & secrets"));
    }

    @Test
    public void imapLoginRejectionDependsOnTheAuthType() {
        ProviderReport oauth = CHECK.check(context(evidence(office365().build()).lines(
                sync("2026-04-14T08:00:00Z", "error", "outlook.office365.com:993 A1 NO AUTHENTICATE failed.")).build(), T));
        assertEquals(Cause.PASSWORD_CHANGED, primary(oauth).cause());
        assertEquals(Level.HEURISTIC, primary(oauth).level());
        assertEquals(Answer.YES, steps(oauth).get(MicrosoftCheck.STEP_SERVICE).answer());
        Account basic = office365().auth(AuthType.BASIC).build();
        ProviderReport pw = CHECK.check(context(evidence(basic).lines(
                sync("2026-04-14T08:00:00Z", "error", "outlook.office365.com:993 A1 NO LOGIN failed.")).build(), T));
        assertEquals(Cause.BASIC_AUTH_RETIRED, primary(pw).cause());
        assertTexts(pw);
    }

    @Test
    public void mailboxWithoutLicence() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).lines(
                sync("2026-04-14T08:00:00Z", "error", "GET /me/mailFolders: 404 {\"error\":{\"code\":\"MailboxNotEnabledForRESTAPI\","
                        + "\"message\":\"The mailbox is either inactive, soft-deleted, or is hosted on-premise.\"}}")).build(), T));
        assertEquals(Cause.MAILBOX_UNAVAILABLE, primary(r).cause());
        assertEquals(Answer.YES, steps(r).get(MicrosoftCheck.STEP_SERVICE).answer());
        assertEquals(Answer.NO, steps(r).get(MicrosoftCheck.STEP_CODE).answer());
    }

    @Test
    public void bareInvalidGrantAfterNinetyIdleDaysIsInactivity() {
        Account a = office365().linked("2025-11-01T00:00:00Z").lastActivity("2026-01-05T00:00:00Z").build();
        ProviderReport r = CHECK.check(context(evidence(a).lines(
                auth("2026-04-14T08:00:00Z", "invalid_grant", "AADSTS70000: The provided value for 'refresh_token' is not valid.")).build(), T));
        Finding f = primary(r);
        assertEquals(Cause.REFRESH_TOKEN_INACTIVE, f.cause());
        assertEquals(Level.HEURISTIC, f.level());
        assertEquals(0.7, f.confidence(), 1e-9);
        assertEquals(Answer.YES, steps(r).get(MicrosoftCheck.STEP_INACTIVITY).answer());
        assertTrue(f.summary(), f.summary().contains("99 d"));
        assertTexts(r);
    }

    @Test
    public void bareInvalidGrantOfAnActiveAccountFallsBackToPasswordChange() {
        // linked long ago, but the sync log shows activity the day before: not idle
        Account a = office365().linked("2025-11-01T00:00:00Z").build();
        ProviderReport r = CHECK.check(context(evidence(a).lines(
                sync("2026-04-13T12:00:00Z", "info", "IDLE on INBOX: 3 new messages"),
                auth("2026-04-14T08:00:00Z", "invalid_grant", null)).build(), T));
        Finding f = primary(r);
        assertEquals(Cause.PASSWORD_CHANGED, f.cause());
        assertEquals(Level.HEURISTIC, f.level());
        assertEquals(0.35, f.confidence(), 1e-9);
        assertEquals(Answer.NO, steps(r).get(MicrosoftCheck.STEP_INACTIVITY).answer());
        assertEquals(Answer.YES, steps(r).get(MicrosoftCheck.STEP_GENERIC).answer());
        assertTrue(f.summary().contains("generic error"));
    }

    @Test
    public void inactivityMeasuredFromLinkedAtOnlyIsWeak() {
        Account a = office365().linked("2025-12-01T00:00:00Z").build();
        ProviderReport r = CHECK.check(context(evidence(a).lines(auth("2026-04-14T08:00:00Z", "invalid_grant", null)).build(), T));
        assertEquals(Cause.REFRESH_TOKEN_INACTIVE, primary(r).cause());
        assertEquals(0.45, primary(r).confidence(), 1e-9);
    }

    @Test
    public void inactivityUnknownWithoutTimestamps() {
        Account a = account("x").email("a@b.com").provider("office365", ProviderFamily.MICROSOFT).build();
        ProviderReport r = CHECK.check(context(evidence(a).lines(auth("2026-04-14T08:00:00Z", "invalid_grant", null)).build(), T));
        assertEquals(Answer.UNKNOWN, steps(r).get(MicrosoftCheck.STEP_INACTIVITY).answer());
        assertEquals(Cause.PASSWORD_CHANGED, primary(r).cause());
    }

    @Test
    public void transientCodesNameNoCause() {
        ProviderReport r = CHECK.check(context(evidence(office365().build()).lines(
                auth("2026-04-14T08:00:00Z", "temporarily_unavailable", "AADSTS90055: throttled")).build(), T));
        assertTrue(r.findings().isEmpty());
        TraceStep g = steps(r).get(MicrosoftCheck.STEP_GENERIC);
        assertEquals(Answer.YES, g.answer());
        assertTrue(g.detail(), g.detail().contains("AADSTS90055"));
    }

    @Test
    public void repeatedServerErrors() {
        ProviderReport once = CHECK.check(context(evidence(office365().build()).lines(
                sync("2026-04-14T07:00:00Z", "error", "Graph HTTP 503 Service Unavailable")).build(), T));
        assertTrue(once.findings().isEmpty());
        ProviderReport twice = CHECK.check(context(evidence(office365().build()).lines(
                sync("2026-04-14T07:00:00Z", "error", "Graph HTTP 503 Service Unavailable"),
                sync("2026-04-14T07:30:00Z", "error", "Graph returned 500")).build(), T));
        Finding f = primary(twice);
        assertEquals(Cause.REPEATED_SERVER_ERROR, f.cause());
        assertEquals(t("2026-04-14T07:30:00Z"), f.at());
        assertEquals(2, f.evidence().size());
        assertEquals(Answer.YES, steps(twice).get(MicrosoftCheck.STEP_SERVER).answer());
    }

    @Test
    public void ownFailureEventsCarryingAnErrorAreRead() {
        ProviderReport r = CHECK.check(context(evidence(office365().build())
                .events(failure("account.invalid", T, "invalid_grant", "AADSTS53003: blocked")).build(), T));
        assertEquals(Cause.CONDITIONAL_ACCESS_BLOCK, primary(r).cause());
        assertEquals("webhooks", primary(r).evidence().get(0).source());
    }

    @Test
    public void findingsAreOrderedSpecificFirst() {
        Account a = office365().lastActivity("2025-12-01T00:00:00Z").build();
        ProviderReport r = CHECK.check(context(evidence(a).lines(
                auth("2026-04-14T07:00:00Z", null, "AADSTS50057: user disabled"),
                auth("2026-04-14T08:00:00Z", "invalid_grant", null),
                sync("2026-04-14T08:01:00Z", "error", "HTTP 503"),
                sync("2026-04-14T08:02:00Z", "error", "HTTP 503")).build(), T));
        assertEquals(Cause.USER_DISABLED, r.findings().get(0).cause());
        assertEquals(Level.SPECIFIC, r.findings().get(0).level());
        assertTrue(r.findings().stream().skip(1).allMatch(f -> f.level() == Level.HEURISTIC));
    }

    // ---- the public examples 05 and 10, evidence built by hand ----------------------------------

    @Test
    public void example05ConditionalAccessSignInFrequency() {
        Account a = account("painijj2e52ygujuhal03bm40").email("r.kowalski@vistula-pharma.pl")
                .provider("office365", ProviderFamily.MICROSOFT).state("invalid").linked("2026-04-13T07:58:11Z").build();
        CheckContext ctx = context(evidence(a)
                .events(event("account.invalid", "2026-04-14T08:02:30Z"))
                .lines(auth("2026-04-14T08:01:09Z", "invalid_grant", "AADSTS70043: The refresh token has expired or is "
                        + "invalid due to sign-in frequency checks by conditional access. The token was issued on "
                        + "2026-04-13T07:58:11.0000000Z and the maximum allowed lifetime for this request is 86400."))
                .now("2026-04-14T08:45:00Z").build(), "2026-04-14T08:02:30Z");
        ProviderReport r = CHECK.check(ctx);
        Finding f = primary(r);
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, f.cause());
        assertEquals(Cause.CA_SIGNIN_FREQUENCY.actor(), io.synctriage.model.Actor.MAIL_ADMIN);
        assertEquals(Level.SPECIFIC, f.level());
        assertEquals(t("2026-04-14T08:01:09Z"), f.at());
        assertEquals(Answer.NO, steps(r).get(MicrosoftCheck.STEP_INACTIVITY).answer());
        assertTexts(r);
    }

    @Test
    public void example10GrantRefreshTokenInactive() {
        Account a = account("0b503211-0807-4d63-bb61-222e49ab0c84").email("s.achterberg@polderlicht.nl")
                .provider("microsoft", ProviderFamily.MICROSOFT).state("invalid").v3()
                .created("2025-12-08T10:15:32Z").linked("2025-12-08T10:15:32Z").build();
        CheckContext ctx = context(evidence(a)
                .events(grantExpired("2026-07-14T06:20:07Z", "2026-04-14T06:12:00Z"))
                .lines(auth("2026-07-14T06:19:51Z", "invalid_grant", "AADSTS700082: The refresh token has expired due to "
                        + "inactivity. The token was issued on 2026-04-14T06:12:00.0000000Z and was inactive for 90.00:00:00."))
                .now("2026-07-14T07:00:00Z").build(), "2026-07-14T06:20:07Z");
        ProviderReport r = CHECK.check(ctx);
        Finding f = primary(r);
        assertEquals(Cause.REFRESH_TOKEN_INACTIVE, f.cause());
        assertEquals(Level.SPECIFIC, f.level());
        assertEquals(t("2026-07-14T06:19:51Z"), f.at());
        assertEquals(1, r.findings().size());
        TraceStep idle = steps(r).get(MicrosoftCheck.STEP_INACTIVITY);
        assertEquals(Answer.YES, idle.answer());
        assertTrue(idle.detail(), idle.detail().contains("grant_updated_at"));
        assertTrue(idle.detail(), idle.detail().contains("91 d"));
        assertTrue(f.summary(), f.summary().contains("91 d"));
        assertTexts(r);
    }

    @Test
    public void platformParseErrorOnAStoppedOAuthAccount() {
        Account stopped = office365().state("exception").build();
        ProviderReport yes = CHECK.check(context(evidence(stopped).lines(
                sync("2026-04-14T08:00:00Z", "error", "Failed to deserialize event AAMk= from /me/events/delta:"
                        + " com.fasterxml.jackson.databind.JsonMappingException: Unexpected character; sync aborted"))
                .build(), T));
        assertEquals(Cause.PLATFORM_SYNC_ERROR, primary(yes).cause());
        assertEquals(Answer.YES, steps(yes).get(MicrosoftCheck.STEP_SYNC).answer());
        assertTexts(yes);
        // a skipped item is not one, nor is a warning
        ProviderReport skipped = CHECK.check(context(evidence(stopped).lines(
                sync("2026-04-14T08:00:00Z", "error", "could not parse event 7; item skipped")).build(), T));
        assertTrue(skipped.findings().stream().noneMatch(f -> f.cause() == Cause.PLATFORM_SYNC_ERROR));
        // an AADSTS code explains the stop better
        ProviderReport coded = CHECK.check(context(evidence(stopped).lines(
                sync("2026-04-14T07:59:00Z", "error", "parse error in event 7"),
                auth("2026-04-14T08:00:00Z", "invalid_grant", "AADSTS50057: The user account is disabled.")).build(), T));
        assertEquals(Cause.USER_DISABLED, primary(coded).cause());
        assertTrue(coded.findings().stream().noneMatch(f -> f.cause() == Cause.PLATFORM_SYNC_ERROR));
    }
}
