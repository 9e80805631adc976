package io.synctriage.engine.internal;

import static io.synctriage.engine.internal.Maps.map;
import static io.synctriage.engine.internal.TestIncidents.incident;
import static io.synctriage.engine.internal.TestIncidents.member;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.synctriage.engine.internal.PrecedenceTest.ScriptedCheck;
import io.synctriage.model.Answer;
import io.synctriage.model.Cause;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.Evidence;
import io.synctriage.model.Incident;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.FleetPattern;
import io.synctriage.model.spi.Match;
import io.synctriage.model.spi.PatternKind;
import io.synctriage.model.spi.ProviderReport;

/**
 * S2/S3 of a stored account taken from its fleet incidents (decision-tree.md, Precedence), with the
 * Microsoft codes scripted: refinement by the account's own codes, the choice between several
 * incidents, and that the peers alone no longer decide once an incident applies.
 */
public class IncidentPatternsTest {

    private static final long T = 1782900000L; // 2026-07-01T10:00:00Z
    private static final Instant AT = Instant.ofEpochSecond(T);

    private static final Match REVOKED = new Match("AADSTS50173", Cause.ADMIN_REVOKED_SESSIONS, ErrorKind.POLICY, true, 0.9, List.of());

    private final ScriptedCheck microsoft = new ScriptedCheck(ProviderFamily.MICROSOFT, Map.of("50173", REVOKED),
            ctx -> ProviderReport.empty());

    private static Map<String, Object> bundle(Object... extra) {
        Map<String, Object> b = map("account", map("id", "acc1", "email", "rae@contoso.com", "provider", "office365",
                        "sync_state", "invalid", "linked_at", "2026-06-01T00:00:00Z"),
                "webhooks", List.of(map("date", T, "type", "account.invalid", "object_data", map("account_id", "acc1"))),
                "api_log", List.of(), "now", T + 3600);
        for (int i = 0; i < extra.length; i += 2) {
            b.put((String) extra[i], extra[i + 1]);
        }
        return b;
    }

    private Diagnosis run(Map<String, Object> bundle, List<Incident> incidents) throws Exception {
        Evidence ev = TestIncidents.with(new EvidenceNormalizer(Clock.systemUTC()).normalize(bundle), incidents);
        BoundCheck bound = new BoundCheck(microsoft, "io.synctriage.provider.test", "1.0.0");
        return new TriageEngine(EngineSettings.defaults()).diagnose(ev, f -> f == ProviderFamily.MICROSOFT ? bound : null);
    }

    /** rae failed first (at T); bo and cy after her. */
    private static Incident sameMoment(String id, Cause cause) {
        return incident(id, PatternKind.SAME_MOMENT, cause, "contoso.com", null, List.of(
                member("acc1", "rae@contoso.com", AT),
                member("p1", "bo@contoso.com", AT.plusSeconds(120)),
                member("p2", "cy@contoso.com", AT.plusSeconds(300))), "3 accounts of contoso.com invalid within 5 min");
    }

    private static TraceStep step(Diagnosis d, String id) {
        return d.trace().stream().filter(s -> s.step().equals(id)).findFirst().orElseThrow();
    }

    @Test
    public void theAccountsOwnAdminCodeRefinesTheIncidentsGenericCause() throws Exception {
        // Its own AADSTS50173, and an error response of the API (which makes the engine rebuild the
        // evidence: the incidents must survive that).
        Map<String, Object> b = bundle("auth_log", List.of(map("timestamp", T - 30, "error", "invalid_grant",
                        "message", "AADSTS50173: The provided grant has expired due to it being revoked")),
                "api_log", List.of(map("timestamp", T - 20, "method", "GET", "path", "/threads", "status", 401,
                        "account_id", "acc1", "response", "{\"message\":\"token revoked\"}")));
        Diagnosis d = run(b, List.of(sameMoment("inc-000042", Cause.ADMIN_DISCONNECTED)));

        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, d.cause());
        assertEquals(Answer.YES, step(d, "S3_SAME_TIME").answer());
        String s3 = step(d, "S3_SAME_TIME").detail();
        assertTrue(s3, s3.contains("incident inc-000042: 3 accounts of contoso.com invalid within 5 min"));
        assertTrue(s3, s3.contains("this account's own errors name ADMIN_REVOKED_SESSIONS (1 line(s))"));
        assertTrue(d.alternatives().toString(), d.alternatives().stream().anyMatch(a -> a.cause() == Cause.ADMIN_DISCONNECTED));
        assertTrue(d.evidence().stream().anyMatch(e -> e.source().equals("incidents") && e.text().contains("inc-000042")));
        assertTrue(d.evidence().stream().anyMatch(e -> e.source().equals("auth_log") && e.text().contains("AADSTS50173")));
        // The provider checks see the incident's pattern: its generic cause, every member, the account first.
        FleetPattern p = microsoft.seen.get(0).pattern();
        assertEquals(PatternKind.SAME_MOMENT, p.kind());
        assertEquals(Cause.ADMIN_DISCONNECTED, p.cause());
        assertEquals("contoso.com", p.domain());
        assertEquals(List.of("acc1", "p1", "p2"), p.accountIds());
    }

    @Test
    public void anIncidentRefinedByItsMembersKeepsItsCauseUnlessTheAccountsOwnCodeNamesAnother() throws Exception {
        List<Incident> consent = List.of(sameMoment("inc-000043", Cause.ADMIN_CONSENT_REVOKED));
        Diagnosis members = run(bundle(), consent);
        assertEquals(Cause.ADMIN_CONSENT_REVOKED, members.cause());
        assertTrue(step(members, "S3_SAME_TIME").detail().contains("its members' codes name ADMIN_CONSENT_REVOKED"));
        assertTrue(members.alternatives().stream().anyMatch(a -> a.cause() == Cause.ADMIN_DISCONNECTED));

        Diagnosis own = run(bundle("auth_log", List.of(map("timestamp", T - 30, "message", "AADSTS50173: revoked"))), consent);
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, own.cause());
        assertTrue(own.alternatives().toString(), own.alternatives().stream().anyMatch(a -> a.cause() == Cause.ADMIN_CONSENT_REVOKED));
        // A code logged after T never refines (the look-back window ends at T).
        Diagnosis late = run(bundle("auth_log", List.of(map("timestamp", T + 60, "message", "AADSTS50173: revoked"))), consent);
        assertEquals(Cause.ADMIN_CONSENT_REVOKED, late.cause());
    }

    @Test
    public void theIncidentNearestTWinsThenThePrecedenceOrder() throws Exception {
        // A recurring incident whose members failed days before T, a same-moment one around T.
        Incident recurring = incident("inc-r", PatternKind.RECURRING, Cause.DOMAIN_SESSION_POLICY, "contoso.com", 86400L,
                List.of(member("p3", "di@contoso.com", AT.minusSeconds(5 * 86400)),
                        member("acc1", "rae@contoso.com", AT.minusSeconds(4 * 86400)),
                        member("p4", "ed@contoso.com", AT.minusSeconds(3 * 86400))), "3 accounts of contoso.com every 24 h");
        Incident moment = sameMoment("inc-m", Cause.ADMIN_DISCONNECTED);
        // the store lists incidents latest first; order must not matter
        assertEquals(Cause.ADMIN_DISCONNECTED, run(bundle(), List.of(recurring, moment)).cause());
        assertEquals(Cause.ADMIN_DISCONNECTED, run(bundle(), List.of(moment, recurring)).cause());

        // Equally near: provider-wide comes first.
        Incident wide = incident("inc-w", PatternKind.PROVIDER_WIDE, Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, null, null,
                List.of(member("w1", "a@fabrikam.com", AT.minusSeconds(600)), member("acc1", "rae@contoso.com", AT),
                        member("w3", "b@northwind.example", AT.plusSeconds(60))), "3 microsoft accounts of 3 domains");
        Diagnosis d = run(bundle(), List.of(moment, wide));
        assertEquals(Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, d.cause());
        assertEquals(Answer.SKIPPED, step(d, "S3_SAME_TIME").answer());
        assertTrue(step(d, "S2_DOMAIN_PATTERN").detail().startsWith("provider-wide: incident inc-w"));
        assertEquals(PatternKind.PROVIDER_WIDE, microsoft.seen.get(microsoft.seen.size() - 1).pattern().kind());
    }

    @Test
    public void anIncidentDecidesS2AndS3WhateverThePeersShow() throws Exception {
        // The peers alone make a same-moment cluster; the fleet tracker put the account in a
        // recurring incident instead (it saw every cycle): the incident's pattern is the answer.
        Map<String, Object> b = bundle("peers", List.of(map("id", "p1", "email", "bo@contoso.com", "provider", "office365",
                "events", List.of(map("type", "account.invalid", "timestamp", T - 400)))));
        assertEquals(Cause.ADMIN_DISCONNECTED, run(b, List.of()).cause());
        Incident recurring = incident("inc-r", PatternKind.RECURRING, null, "contoso.com", 43200L,
                List.of(member("p1", "bo@contoso.com", AT.minusSeconds(400)), member("p3", "di@contoso.com", AT.minusSeconds(200)),
                        member("acc1", "rae@contoso.com", AT)), "3 accounts of contoso.com every 12 h");
        Diagnosis d = run(b, List.of(recurring));
        assertEquals(Cause.DOMAIN_SESSION_POLICY, d.cause()); // an incident without a cause names its kind's generic one
        assertEquals(Answer.NO, step(d, "S3_SAME_TIME").answer());
        assertTrue(d.summary(), d.summary().contains("every 12 h"));
        assertEquals(Long.valueOf(43200L), microsoft.seen.get(1).pattern().periodSeconds());
    }

    @Test
    public void incidentsThatCannotExplainTheStateChangeAreIgnored() throws Exception {
        Diagnosis without = run(bundle(), List.of());
        // Not a member (a store that lists the domain's incidents), a consumer-domain "domain pattern",
        // a flapping incident (names no cause), and a provider-wide one without a cause.
        Incident notMember = incident("inc-x", PatternKind.SAME_MOMENT, Cause.ADMIN_DISCONNECTED, "contoso.com", null,
                List.of(member("p1", "bo@contoso.com", AT), member("p2", "cy@contoso.com", AT)), "2 accounts of contoso.com");
        Incident consumer = incident("inc-c", PatternKind.SAME_MOMENT, Cause.ADMIN_DISCONNECTED, "outlook.com", null,
                List.of(member("acc1", "rae@contoso.com", AT), member("p2", "cy@outlook.com", AT)), "2 accounts of outlook.com");
        Incident flapping = incident("inc-f", PatternKind.FLAPPING, null, "contoso.com", null,
                List.of(member("acc1", "rae@contoso.com", AT)), "rae@contoso.com keeps failing after each re-authentication");
        Incident causeless = incident("inc-w", PatternKind.PROVIDER_WIDE, null, null, null,
                List.of(member("acc1", "rae@contoso.com", AT), member("w2", "a@fabrikam.com", AT)), "provider-wide");
        Diagnosis d = run(bundle(), List.of(notMember, consumer, flapping, causeless));
        assertEquals(without.cause(), d.cause());
        assertEquals(step(without, "S2_DOMAIN_PATTERN"), step(d, "S2_DOMAIN_PATTERN"));
        assertEquals(step(without, "S3_SAME_TIME"), step(d, "S3_SAME_TIME"));
        assertTrue(d.missing().contains("peers"));
        // ...but the flapping one is cited (S6 for an OAuth account), without changing the cause.
        assertTrue(step(d, "S6_OAUTH").detail(), step(d, "S6_OAUTH").detail().contains("incident inc-f (flapping)"));
        assertFalse(step(without, "S6_OAUTH").detail().contains("flapping"));
        assertTrue(d.evidence().stream().anyMatch(e -> e.source().equals("incidents") && e.text().contains("inc-f")));
    }
}
