package io.synctriage.engine.internal;

import static io.synctriage.engine.internal.Maps.map;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.Test;

import io.synctriage.model.Alternative;
import io.synctriage.model.Answer;
import io.synctriage.model.Cause;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.Subject;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.CheckContext;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.Level;
import io.synctriage.model.spi.Match;
import io.synctriage.model.spi.PatternKind;
import io.synctriage.model.spi.ProviderCheck;
import io.synctriage.model.spi.ProviderReport;

/** Precedence between the engine's own answers and provider findings, with a scripted provider check. */
public class PrecedenceTest {

    private static final long T = 1782900000L; // 2026-07-01T10:00:00Z

    /** A provider check whose classification and report are scripted by the test. */
    static class ScriptedCheck implements ProviderCheck {
        final ProviderFamily family;
        final Map<String, Match> codes;
        final Function<CheckContext, ProviderReport> report;
        final List<CheckContext> seen = new ArrayList<>();

        ScriptedCheck(ProviderFamily family, Map<String, Match> codes, Function<CheckContext, ProviderReport> report) {
            this.family = family;
            this.codes = codes;
            this.report = report;
        }

        @Override
        public ProviderFamily family() {
            return family;
        }

        @Override
        public List<String> checkNames() {
            return List.of("scripted");
        }

        @Override
        public List<Match> classify(String error, String message, Subject subject) {
            List<Match> out = new ArrayList<>();
            String text = (error == null ? "" : error) + " " + (message == null ? "" : message);
            codes.forEach((code, m) -> {
                if (text.contains(code)) {
                    out.add(m);
                }
            });
            return out;
        }

        @Override
        public ProviderReport check(CheckContext context) {
            seen.add(context);
            return report.apply(context);
        }
    }

    private static Finding finding(Cause cause, Level level, double conf, long at) {
        return new Finding(cause, level, conf, Instant.ofEpochSecond(at),
                List.of(new EvidenceItem("auth_log", Instant.ofEpochSecond(at), cause.name())), null, List.of(),
                List.of(new Alternative(Cause.PASSWORD_EXPIRED, 0.3)));
    }

    private static Diagnosis run(Map<String, Object> bundle, ProviderCheck check) throws Exception {
        Evidence ev = new EvidenceNormalizer(Clock.systemUTC()).normalize(bundle);
        BoundCheck bound = check == null ? null : new BoundCheck(check, "io.synctriage.provider.test", "1.2.3");
        return new TriageEngine(EngineSettings.defaults()).diagnose(ev, f -> bound != null && f == check.family() ? bound : null);
    }

    private static Map<String, Object> invalid(String email, String provider, Object... extra) {
        Map<String, Object> b = map("account", map("id", "acc1", "email", email, "provider", provider,
                "sync_state", "invalid", "linked_at", "2026-06-01T00:00:00Z"),
                "webhooks", List.of(map("date", T, "type", "account.invalid", "object_data", map("account_id", "acc1"))),
                "api_log", List.of(), "now", T + 3600);
        for (int i = 0; i < extra.length; i += 2) {
            b.put((String) extra[i], extra[i + 1]);
        }
        return b;
    }

    @Test
    public void specificCodeBeatsHeuristicAndProviderStepsFollowS6() throws Exception {
        ScriptedCheck imap = new ScriptedCheck(ProviderFamily.IMAP, Map.of(), ctx -> new ProviderReport(
                List.of(TraceStep.of("IMAP_RESPONSE_CODE", Answer.YES, "iCloud AUTHENTICATIONFAILED")),
                List.of(finding(Cause.APP_PASSWORD_REQUIRED, Level.SPECIFIC, 0.85, T - 60))));
        Diagnosis d = run(invalid("jo@icloud.com", "icloud", "sync_log",
                List.of(map("timestamp", T - 60, "level", "error", "message", "NO [AUTHENTICATIONFAILED] Authentication failed"))), imap);
        assertEquals(Cause.APP_PASSWORD_REQUIRED, d.cause());
        assertEquals("S6_OAUTH", d.trace().get(5).step());
        assertEquals("IMAP_RESPONSE_CODE", d.trace().get(6).step());
        assertEquals(Answer.YES, d.trace().get(4).answer()); // S5
        assertTrue(d.alternatives().stream().anyMatch(a -> a.cause() == Cause.PASSWORD_CHANGED));
        assertEquals("io.synctriage.provider.test", d.checks().bundle());
        assertEquals("1.2.3", d.checks().version());
        assertEquals("imap", d.checks().provider());
        assertTrue(d.missing().stream().noneMatch(m -> m.startsWith("provider checks")));
    }

    @Test
    public void nearestSpecificBeforeTWinsAndEvidenceAfterTNeverExplains() throws Exception {
        ScriptedCheck ms = new ScriptedCheck(ProviderFamily.MICROSOFT, Map.of(), ctx -> new ProviderReport(List.of(), List.of(
                finding(Cause.MFA_REQUIRED, Level.SPECIFIC, 0.95, T - 7200),
                finding(Cause.CA_SIGNIN_FREQUENCY, Level.SPECIFIC, 0.8, T - 90),
                finding(Cause.USER_DISABLED, Level.SPECIFIC, 0.99, T + 600),
                finding(Cause.REFRESH_TOKEN_INACTIVE, Level.HEURISTIC, 0.99, T - 10))));
        Diagnosis d = run(invalid("rae@contoso.com", "office365"), ms);
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, d.cause());
        assertTrue(d.alternatives().stream().noneMatch(a -> a.cause() == Cause.USER_DISABLED));
        assertTrue(d.alternatives().stream().anyMatch(a -> a.cause() == Cause.MFA_REQUIRED));
        assertEquals(Instant.ofEpochSecond(T), ms.seen.get(0).stateChangeAt());
        assertEquals(Instant.ofEpochSecond(T).minusSeconds(30L * 86400), ms.seen.get(0).lookbackStart());
        assertNull(ms.seen.get(0).pattern());
    }

    @Test
    public void providerPatternBeatsSpecificAndAppActionBeatsEverything() throws Exception {
        ScriptedCheck google = new ScriptedCheck(ProviderFamily.GOOGLE, Map.of(), ctx -> new ProviderReport(List.of(), List.of(
                finding(Cause.USER_REVOKED_ACCESS, Level.SPECIFIC, 0.9, T - 60),
                finding(Cause.GOOGLE_APP_TESTING_MODE, Level.PATTERN, 0.8, T - 60))));
        assertEquals(Cause.GOOGLE_APP_TESTING_MODE, run(invalid("al@lindenhall.edu", "gmail"), google).cause());
        Diagnosis revoked = run(invalid("al@lindenhall.edu", "gmail", "api_log", List.of(map("timestamp", T - 30,
                "method", "POST", "path", "/a/c/accounts/acc1/revoke-all", "status", 200))), google);
        assertEquals(Cause.APP_REVOKED_TOKENS, revoked.cause());
        assertEquals(Answer.YES, revoked.trace().get(0).answer());
    }

    @Test
    public void sameMomentClusterTakesTheAdminCauseTheCodesName() throws Exception {
        Match revoked = new Match("AADSTS50173", Cause.ADMIN_REVOKED_SESSIONS, ErrorKind.POLICY, true, 0.9, List.of());
        Match disabled = new Match("AADSTS50057", Cause.PASSWORD_EXPIRED, ErrorKind.AUTH, true, 0.9, List.of());
        ScriptedCheck ms = new ScriptedCheck(ProviderFamily.MICROSOFT, Map.of("50173", revoked, "50055", disabled),
                ctx -> ProviderReport.empty());
        Map<String, Object> bundle = invalid("rae@contoso.com", "office365", "peers", List.of(
                map("id", "p1", "email", "bo@contoso.com", "provider", "office365", "events",
                        List.of(map("type", "account.invalid", "timestamp", T - 400, "error", "invalid_grant",
                                "message", "AADSTS50173: The provided grant has expired due to it being revoked"))),
                map("id", "p2", "email", "cy@contoso.com", "provider", "office365", "events",
                        List.of(map("type", "account.invalid", "timestamp", T + 200, "message", "AADSTS50055 something")))));
        Diagnosis d = run(bundle, ms);
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, d.cause());
        assertEquals(Answer.YES, d.trace().get(2).answer());
        assertEquals(PatternKind.SAME_MOMENT, ms.seen.get(0).pattern().kind());
        assertEquals(List.of("acc1", "p1", "p2"), ms.seen.get(0).pattern().accountIds());
        assertTrue(d.alternatives().stream().anyMatch(a -> a.cause() == Cause.ADMIN_DISCONNECTED));
        // Without the provider bundle the generic pattern cause stands, with the admin actions that
        // produce it on Microsoft as the alternatives to check first.
        Diagnosis generic = run(bundle, null);
        assertEquals(Cause.ADMIN_DISCONNECTED, generic.cause());
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, generic.alternatives().get(0).cause());
    }

    @Test
    public void sameMomentThresholdIsConfigurable() throws Exception {
        Map<String, Object> bundle = invalid("rae@contoso.com", "office365", "peers", List.of(
                map("id", "p1", "email", "bo@contoso.com", "provider", "office365", "events",
                        List.of(map("type", "account.invalid", "timestamp", T - 400)))));
        Evidence ev = new EvidenceNormalizer(Clock.systemUTC()).normalize(bundle);
        EngineSettings d = EngineSettings.defaults();
        EngineSettings three = new EngineSettings(d.lookback(), d.clusterWindow(), 3, d.recurringMinFailures(),
                d.recurringTolerance(), d.providerWideMinDomains(), d.consumerDomains());
        assertEquals(Cause.ADMIN_DISCONNECTED, new TriageEngine(d).diagnose(ev, f -> null).cause());
        assertEquals(Cause.UNDETERMINED, new TriageEngine(three).diagnose(ev, f -> null).cause());
    }

    @Test
    public void aThrowingProviderDegradesTheDiagnosisInsteadOfFailingIt() throws Exception {
        ProviderCheck broken = new ScriptedCheck(ProviderFamily.IMAP, Map.of(), ctx -> {
            throw new IllegalStateException("bundle is stopping");
        }) {
            @Override
            public List<Match> classify(String error, String message, Subject subject) {
                throw new IllegalStateException("tables unloaded");
            }
        };
        Diagnosis d = run(invalid("office@birchmead.co.uk", "imap", "sync_log",
                List.of(map("timestamp", T - 60, "message", "NO [AUTHENTICATIONFAILED] Authentication failed"))), broken);
        assertEquals(Cause.PASSWORD_CHANGED, d.cause()); // the generic rule still answers
        assertTrue(d.missing().toString(), d.missing().stream().anyMatch(m -> m.contains("failed")));
    }
}
