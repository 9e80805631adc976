package io.synctriage.fleet.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.Test;

import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.IncidentStatus;

/**
 * Every detector on one planted fleet (the fleet of FleetIncidentsIT, each pattern on its own day and
 * domains, plus a domain whose two failures are weeks apart): each pattern is found exactly once with the
 * right cause, scope and period — whatever the batch size, i.e. wherever the batch boundaries fall.
 */
public class PlantedFleetTest {

    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");

    private static final Set<String> EXPECTED = Set.of(
            "SAME_MOMENT|ADMIN_REVOKED_SESSIONS|revoked-sessions.example",
            "SAME_MOMENT|ADMIN_DISCONNECTED|eas-disconnect.example",
            "RECURRING|CA_SIGNIN_FREQUENCY|sif-policy.example",
            "RECURRING|DOMAIN_SESSION_POLICY|short-session.example",
            "PROVIDER_WIDE|OAUTH_CLIENT_CREDENTIALS_INVALID|google",
            "PROVIDER_WIDE|PROVIDER_OUTAGE|imap",
            "SCHEDULE|GOOGLE_APP_TESTING_MODE|google",
            "SCHEDULE|REFRESH_TOKEN_INACTIVE|microsoft",
            "FLAPPING|MFA_REQUIRED|flap-mfa.example");

    @Test
    public void findsEachPlantedPatternExactlyOnce() {
        for (int batch : new int[] {1000, 7, 1}) {
            Harness h = new Harness(NOW.plusSeconds(60));
            h.settings = Harness.withBatchSize(h.settings, batch);
            plant(h.feed);
            h.drain();
            Map<String, Incident> found = byKey(h);
            assertEquals("batch size " + batch + ":" + h.describe(), new TreeSet<>(EXPECTED), new TreeSet<>(found.keySet()));

            Incident sessions = found.get("SAME_MOMENT|ADMIN_REVOKED_SESSIONS|revoked-sessions.example");
            assertEquals(Set.of("rs-1", "rs-2", "rs-3"), members(sessions));
            assertNull(sessions.periodSeconds());
            assertEquals(List.of("AADSTS50173"), sessions.signatures());
            assertEquals(List.of("revoked-sessions.example"), sessions.domains());

            Incident sif = found.get("RECURRING|CA_SIGNIN_FREQUENCY|sif-policy.example");
            assertEquals(Set.of("sif-1", "sif-2", "sif-3"), members(sif));
            assertEquals(Long.valueOf(86_400), sif.periodSeconds());
            assertEquals(Long.valueOf(0), sif.toleranceSeconds());
            for (IncidentMember m : sif.accounts()) {
                assertEquals(Long.valueOf(86_400), m.intervalSeconds());
            }

            Incident shortSession = found.get("RECURRING|DOMAIN_SESSION_POLICY|short-session.example");
            assertEquals(Long.valueOf(8 * 3600), shortSession.periodSeconds());
            assertEquals("2 accounts x 2 cycles", 4, shortSession.accounts().stream().mapToInt(IncidentMember::failures).sum());
            assertTrue(shortSession.summary(), shortSession.summary().contains("each came 8 h ± 0 s after"));

            Incident credentials = found.get("PROVIDER_WIDE|OAUTH_CLIENT_CREDENTIALS_INVALID|google");
            assertNull("a provider-wide incident has no single domain", credentials.domain());
            assertEquals(List.of("cred-a.example", "cred-b.example", "cred-c.example"), credentials.domains());
            assertEquals("gmail", credentials.provider());

            Incident outage = found.get("PROVIDER_WIDE|PROVIDER_OUTAGE|imap");
            assertEquals(Set.of("out-1", "out-2", "out-3"), members(outage));

            Incident testing = found.get("SCHEDULE|GOOGLE_APP_TESTING_MODE|google");
            assertEquals(Set.of("tm-1", "tm-2"), members(testing));
            assertNull(testing.domain());
            assertEquals(Long.valueOf(7 * 86_400), testing.periodSeconds());
            assertEquals(Long.valueOf(20 * 60), testing.toleranceSeconds());

            Incident idle = found.get("SCHEDULE|REFRESH_TOKEN_INACTIVE|microsoft");
            assertEquals(Set.of("idle-1", "idle-2"), members(idle));

            Incident flap = found.get("FLAPPING|MFA_REQUIRED|flap-mfa.example");
            assertEquals(Set.of("flap-1"), members(flap));
            assertEquals(2, flap.accounts().get(0).failures());

            for (Incident i : found.values()) {
                assertFalse("weeks apart: in no incident " + i, i.hasMember("apart-1") || i.hasMember("apart-2"));
                // the EAS disconnection happened minutes ago: still open; everything else has been quiet for days
                boolean recent = i.domain() != null && i.domain().equals("eas-disconnect.example");
                assertEquals(i.id() + " " + i.kind(), recent ? IncidentStatus.OPEN : IncidentStatus.CLOSED, i.status());
                assertEquals(0, i.reopenCount());
                assertFalse(i.summary().isBlank());
            }
            assertEquals("ids are numbered from 1", "inc-000001", h.incidents().get(0).id());
            assertEquals(0, h.tracker.holdCount());
        }
    }

    private static Map<String, Incident> byKey(Harness h) {
        Map<String, Incident> out = new TreeMap<>();
        for (Incident i : h.incidents()) {
            String scope = i.domain() != null ? i.domain() : String.valueOf(i.family());
            Incident twice = out.put(i.kind() + "|" + i.cause() + "|" + scope, i);
            assertNull("two incidents for " + i.kind() + "|" + i.cause() + "|" + scope + h.describe(), twice);
        }
        return out;
    }

    static Set<String> members(Incident i) {
        return i.accounts().stream().map(IncidentMember::accountId).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Instant day(int daysAgo) {
        return NOW.truncatedTo(ChronoUnit.DAYS).minus(daysAgo, ChronoUnit.DAYS);
    }

    /** Snapshots and logs first (an import), then the state changes in time order (the webhooks). */
    static void plant(FakeFeed feed) {
        List<Object[]> events = new ArrayList<>();

        Instant rs = day(20).plus(9, ChronoUnit.HOURS);
        for (int i = 1; i <= 3; i++) {
            String id = "rs-" + i;
            Instant at = rs.plus(3L * (i - 1), ChronoUnit.MINUTES);
            feed.account(id, "user" + i + "@revoked-sessions.example", "office365", day(200));
            feed.log(id, at.minusSeconds(40), "invalid_grant",
                    "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.");
            events.add(new Object[] {"fail", id, at});
        }

        Instant eas = NOW.minus(25, ChronoUnit.MINUTES);
        feed.account("eas-1", "eas-1@eas-disconnect.example", "eas", day(120));
        feed.account("eas-2", "eas-2@eas-disconnect.example", "eas", day(110));
        events.add(new Object[] {"fail", "eas-1", eas});
        events.add(new Object[] {"fail", "eas-2", eas.plus(4, ChronoUnit.MINUTES)});

        for (int i = 1; i <= 3; i++) {
            String id = "sif-" + i;
            Instant signIn = day(15).plus(5L * i, ChronoUnit.HOURS);
            feed.account(id, "staff" + i + "@sif-policy.example", "office365", day(300));
            events.add(new Object[] {"reauth", id, signIn});
            Instant at = signIn.plus(24, ChronoUnit.HOURS);
            feed.log(id, at.minusSeconds(30), "invalid_grant", "AADSTS70043: The refresh token has expired or is "
                    + "invalid due to sign-in frequency checks by conditional access.");
            events.add(new Object[] {"fail", id, at});
        }

        for (int i = 1; i <= 2; i++) {
            String id = "ss-" + i;
            feed.account(id, "team" + i + "@short-session.example", "gmail", day(300));
            for (int cycle = 0; cycle < 2; cycle++) {
                Instant signIn = day(8 - cycle).plus(3L * i, ChronoUnit.HOURS);
                events.add(new Object[] {"reauth", id, signIn});
                events.add(new Object[] {"fail", id, signIn.plus(8, ChronoUnit.HOURS)});
            }
        }

        Instant cred = day(12).plus(14, ChronoUnit.HOURS);
        String[] credDomains = {"cred-a.example", "cred-b.example", "cred-c.example"};
        for (int i = 0; i < credDomains.length; i++) {
            String id = "cred-" + (i + 1);
            Instant at = cred.plus(5L * i, ChronoUnit.MINUTES);
            feed.account(id, "ops@" + credDomains[i], "gmail", day(250));
            feed.log(id, at.minusSeconds(20), "deleted_client", "The OAuth client was deleted.");
            events.add(new Object[] {"fail", id, at});
        }

        Instant outage = day(11).plus(2, ChronoUnit.HOURS);
        String[] outageDomains = {"mailhost-a.example", "mailhost-b.example", "mailhost-c.example"};
        for (int i = 0; i < outageDomains.length; i++) {
            String id = "out-" + (i + 1);
            Instant at = outage.plus(4L * i, ChronoUnit.MINUTES);
            feed.account(id, "info@" + outageDomains[i], "imap", day(400));
            for (int k = 3; k >= 1; k--) {
                feed.log(id, at.minus(k * 2L, ChronoUnit.MINUTES), null, "IMAP server error: 503 Service Unavailable");
            }
            events.add(new Object[] {"stop", id, at});
        }

        for (int i = 1; i <= 2; i++) {
            String id = "tm-" + i;
            Instant linked = day(24).plus(9L * i, ChronoUnit.HOURS);
            feed.account(id, "founder@testing-mode-" + i + ".example", "gmail", linked);
            Instant at = linked.plus(7, ChronoUnit.DAYS).plus(20, ChronoUnit.MINUTES);
            feed.log(id, at.minusSeconds(15), "invalid_grant", "Token has been expired or revoked.");
            events.add(new Object[] {"fail", id, at});
        }

        for (int i = 1; i <= 2; i++) {
            String id = "idle-" + i;
            Instant at = day(18 - 3 * i).plus(11, ChronoUnit.HOURS);
            feed.account(id, "paused" + i + "@idle-" + i + ".example", "office365", day(500),
                    at.minus(90, ChronoUnit.DAYS).minus(2, ChronoUnit.HOURS));
            feed.log(id, at.minusSeconds(10), "invalid_grant", "AADSTS700082: The refresh token has expired due "
                    + "to inactivity. The token was issued on 2026-01-01 and was inactive for 90.00:00:00.");
            events.add(new Object[] {"fail", id, at});
        }

        feed.account("flap-1", "cfo@flap-mfa.example", "office365", day(100));
        for (int cycle = 0; cycle < 2; cycle++) {
            Instant signIn = day(5).plus(2L * cycle, ChronoUnit.HOURS);
            events.add(new Object[] {"reauth", "flap-1", signIn});
            Instant at = signIn.plus(20, ChronoUnit.MINUTES);
            feed.log("flap-1", at.minusSeconds(5), "interaction_required", "AADSTS50076: Due to a configuration "
                    + "change made by your administrator, you must use multi-factor authentication.");
            events.add(new Object[] {"fail", "flap-1", at});
        }

        feed.account("apart-1", "a@weeks-apart.example", "office365", day(300));
        feed.account("apart-2", "b@weeks-apart.example", "office365", day(290));
        events.add(new Object[] {"fail", "apart-1", day(26).plus(10, ChronoUnit.HOURS)});
        events.add(new Object[] {"fail", "apart-2", day(5).plus(16, ChronoUnit.HOURS)});

        events.sort(Comparator.comparing(e -> (Instant) e[2]));
        for (Object[] e : events) {
            String id = (String) e[1];
            Instant at = (Instant) e[2];
            switch ((String) e[0]) {
                case "fail" -> feed.fail(id, at);
                case "stop" -> feed.stop(id, at);
                default -> feed.reauth(id, at);
            }
        }
    }
}
