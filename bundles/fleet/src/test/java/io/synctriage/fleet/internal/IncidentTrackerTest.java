package io.synctriage.fleet.internal;

import static io.synctriage.fleet.internal.PlantedFleetTest.members;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.Test;

import io.synctriage.model.Cause;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.spi.FleetDetector;
import io.synctriage.model.spi.FleetFailure;
import io.synctriage.model.spi.FleetView;
import io.synctriage.model.spi.IncidentCandidate;
import io.synctriage.model.spi.PatternKind;

/** The tracker's rules one by one: refinement, precedence, scope, lifecycle, restart, bounds, robustness. */
public class IncidentTrackerTest {

    private static final Instant T = Instant.parse("2026-06-15T12:00:00Z");
    private static final Instant LONG_AGO = T.minus(300, ChronoUnit.DAYS);

    private static Instant min(long m) {
        return T.plus(m, ChronoUnit.MINUTES);
    }

    // --- same moment and refinement -----------------------------------------------------------------

    @Test
    public void sameMomentNamesTheAdminCauseTheCodesAgreeOn() {
        Harness h = new Harness(min(60));
        for (int i = 1; i <= 3; i++) {
            h.feed.account("a" + i, "user" + i + "@plain.example", "office365", LONG_AGO);
            h.feed.account("b" + i, "user" + i + "@revoked.example", "office365", LONG_AGO);
            h.feed.account("g" + i, "user" + i + "@restricted.example", "gmail", LONG_AGO);
        }
        for (int i = 1; i <= 3; i++) {
            h.feed.fail("a" + i, min(4L * i));
            h.feed.fail("b" + i, min(4L * i + 1), "invalid_grant", "AADSTS50173: The provided grant has expired due to it being revoked");
            h.feed.fail("g" + i, min(4L * i + 2), "access_denied", i == 3 ? "no code" : "admin_policy_enforced");
        }
        h.drain();
        List<Incident> found = h.incidents(PatternKind.SAME_MOMENT);
        assertEquals(h.describe(), 3, found.size());
        assertEquals(h.describe(), 3, h.incidents().size());
        Incident plain = byDomain(found, "plain.example");
        assertEquals(Cause.ADMIN_DISCONNECTED, plain.cause());
        assertEquals(Set.of("a1", "a2", "a3"), members(plain));
        assertEquals(IncidentStatus.OPEN, plain.status());
        assertEquals(min(4), plain.firstAt());
        assertEquals(min(12), plain.lastAt());
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, byDomain(found, "revoked.example").cause());
        // two of three Google accounts name admin_policy_enforced: the majority refines it
        Incident google = byDomain(found, "restricted.example");
        assertEquals(Cause.GOOGLE_API_ACCESS_RESTRICTED, google.cause());
        assertEquals("gmail", google.provider());
    }

    @Test
    public void aBackfillOlderThanTheLookBackStillYieldsItsIncidents() {
        // 80 days of history imported today, in time order: the windows slide with the events, not the wall clock
        Harness h = new Harness(min(0).plus(80, ChronoUnit.DAYS));
        h.feed.account("old-1", "a@backfilled.example", "office365", LONG_AGO);
        h.feed.account("old-2", "b@backfilled.example", "office365", LONG_AGO);
        h.feed.fail("old-1", min(1)).fail("old-2", min(9));
        h.drain();
        Incident old = h.only(PatternKind.SAME_MOMENT);
        assertEquals("backfilled.example", old.domain());
        assertEquals(IncidentStatus.CLOSED, old.status());
    }

    @Test
    public void snapshotsDateNoFailure() {
        // an import of account snapshots says three accounts ARE invalid, at the moment the store received them:
        // that is no evidence that they failed together
        Harness h = new Harness(min(60));
        for (int i = 1; i <= 3; i++) {
            h.feed.account("s" + i, "user" + i + "@imported.example", "office365", LONG_AGO);
            h.feed.change("s" + i, "invalid", null, min(1), null, null);
        }
        h.drain();
        assertEquals(List.of(), h.incidents());

        // the notifications that date the same failures do form the pattern
        for (int i = 1; i <= 2; i++) {
            h.feed.fail("s" + i, min(2L * i));
        }
        h.drain();
        assertEquals(Cause.ADMIN_DISCONNECTED, h.only(PatternKind.SAME_MOMENT).cause());
    }

    @Test
    public void anErrorLineStoredAfterTheFailureStillRefinesTheIncident() {
        Harness h = new Harness(min(60));
        h.feed.account("c1", "ann@late-codes.example", "office365", LONG_AGO);
        h.feed.account("c2", "bob@late-codes.example", "office365", LONG_AGO);
        h.feed.fail("c1", min(0)).fail("c2", min(5));
        h.drain();
        Incident before = h.only(PatternKind.SAME_MOMENT);
        assertEquals(Cause.ADMIN_DISCONNECTED, before.cause());
        assertNull(before.accounts().get(0).signature());

        // the auth logs are imported later, their lines lie before the failures
        h.feed.log("c1", min(0).minusSeconds(40), "invalid_grant", "AADSTS50173: grant revoked");
        h.feed.log("c2", min(5).minusSeconds(40), "invalid_grant", "AADSTS50173: grant revoked");
        h.drain();
        Incident after = h.only(PatternKind.SAME_MOMENT);
        assertEquals(before.id(), after.id());
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, after.cause());
        assertEquals(List.of("AADSTS50173"), after.signatures());
        for (IncidentMember m : after.accounts()) {
            assertEquals("AADSTS50173", m.signature());
            assertEquals("the same failure, counted once", 1, m.failures());
        }
        assertTrue(after.summary(), after.summary().contains("ADMIN_REVOKED_SESSIONS"));

        // an error logged after the failure, or before the account's re-authentication, explains nothing
        h.feed.account("c3", "cy@late-codes.example", "office365", LONG_AGO);
        h.feed.account("c4", "dee@late-codes.example", "office365", LONG_AGO);
        h.feed.fail("c3", min(200)).fail("c4", min(204));
        h.feed.log("c3", min(201), "invalid_grant", "AADSTS65001: consent revoked");
        h.feed.log("c4", min(205), "invalid_grant", "AADSTS65001: consent revoked");
        h.drain();
        Incident later = h.only(PatternKind.SAME_MOMENT);
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, later.cause());
        assertEquals(4, later.accounts().size());
    }

    // --- recurring --------------------------------------------------------------------------------------

    @Test
    public void recurringReportsTheMedianPeriodAndTheLargestDeviation() {
        Harness h = new Harness(T.plus(20, ChronoUnit.DAYS));
        long[] late = {2, 5, 8, 1}; // minutes past 24 h
        plantRecurring(h, "policy.example", "office365", late, null);
        plantRecurring(h, "sif.example", "office365", late, "AADSTS70043: sign-in frequency");
        plantRecurring(h, "rapt.example", "gmail", late, "invalid_grant: invalid_rapt");
        // an account of the policy domain that failed 3 days after its sign-in is no member
        h.feed.account("policy.example-x", "x@policy.example", "office365", LONG_AGO);
        h.feed.reauth("policy.example-x", T.plus(2, ChronoUnit.DAYS));
        h.feed.fail("policy.example-x", T.plus(5, ChronoUnit.DAYS));
        h.drain();

        List<Incident> found = h.incidents(PatternKind.RECURRING);
        assertEquals(h.describe(), 3, found.size());
        assertEquals(h.describe(), 3, h.incidents().size());
        Incident policy = byDomain(found, "policy.example");
        assertEquals(Cause.DOMAIN_SESSION_POLICY, policy.cause());
        // intervals 24 h + 1, 2, 5, 8 min: median 24 h 3 min 30 s, the farthest 4 min 30 s away
        assertEquals(Long.valueOf(86_400 + 210), policy.periodSeconds());
        assertEquals(Long.valueOf(270), policy.toleranceSeconds());
        assertEquals(4, policy.accounts().size());
        assertTrue(policy.summary(), policy.summary().contains("24 h 3 min ± 4 min"));
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, byDomain(found, "sif.example").cause());
        assertEquals(Cause.GOOGLE_SESSION_CONTROL, byDomain(found, "rapt.example").cause());
    }

    /** Four accounts signing in 5 h apart, each failing 24 h + late[i] min after its own sign-in. */
    private static void plantRecurring(Harness h, String domain, String provider, long[] late, String error) {
        for (int i = 0; i < late.length; i++) {
            String id = domain + "-" + i;
            h.feed.account(id, "u" + i + "@" + domain, provider, LONG_AGO);
            Instant signIn = T.plus(5L * i, ChronoUnit.HOURS);
            h.feed.reauth(id, signIn);
            h.feed.fail(id, signIn.plus(24, ChronoUnit.HOURS).plus(late[i], ChronoUnit.MINUTES), error, null);
        }
    }

    // --- provider-wide and precedence --------------------------------------------------------------------

    @Test
    public void providerWideBeatsTheSameMomentOfItsDomains() {
        for (int batch : new int[] {1000, 1}) {
            Harness h = new Harness(min(60));
            h.settings = Harness.withBatchSize(h.settings, batch);
            // each domain has two accounts failing together — a same-moment pattern on its own — but the
            // three domains fail within 12 minutes with the same credential error
            String[] domains = {"p1.example", "p2.example", "p3.example"};
            for (int d = 0; d < domains.length; d++) {
                for (int a = 0; a < 2; a++) {
                    String id = "cred-" + d + a;
                    h.feed.account(id, "u" + a + "@" + domains[d], "office365", LONG_AGO);
                    h.feed.fail(id, min(6L * d + a), "invalid_client", "AADSTS7000222: client secret expired");
                }
            }
            h.drain();
            Incident wide = h.only(PatternKind.PROVIDER_WIDE);
            assertEquals(h.describe(), 1, h.incidents().size());
            assertEquals(Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, wide.cause());
            assertEquals(6, wide.accounts().size());
            assertEquals(List.of("p1.example", "p2.example", "p3.example"), wide.domains());
            assertNull(wide.domain());
            assertEquals(0, h.tracker.holdCount());
        }
    }

    @Test
    public void serverErrorsOfOneDomainWaitOneWindowForAProviderWideClusterThenFormTheirOwn() {
        Harness h = new Harness(min(10));
        for (int i = 1; i <= 2; i++) {
            h.feed.account("q" + i, "u" + i + "@own-server.example", "imap", LONG_AGO);
            h.feed.log("q" + i, min(i).minusSeconds(60), null, "IMAP server error: 503 Service Unavailable");
            h.feed.stop("q" + i, min(i));
        }
        h.drain();
        assertEquals("held back while the window is open: " + h.describe(), 0, h.incidents().size());
        assertEquals("q2 formed the pattern and waits", 1, h.tracker.holdCount());

        h.clock.set(min(40)); // the window after the last failure has passed: no provider-wide cluster formed
        h.drain();
        Incident own = h.only(PatternKind.SAME_MOMENT);
        assertEquals("own-server.example", own.domain());
        assertEquals(Cause.ADMIN_DISCONNECTED, own.cause());
        assertEquals(0, h.tracker.holdCount());
    }

    @Test
    public void aProviderOutageIsFoundFromTheLoggedServerErrors() {
        Harness h = new Harness(min(60));
        for (int d = 1; d <= 4; d++) {
            String id = "o" + d;
            h.feed.account(id, "info@host-" + d + ".example", "imap", LONG_AGO);
            h.feed.log(id, min(3L * d).minusSeconds(90), null, "connection timed out");
            h.feed.stop(id, min(3L * d));
        }
        h.drain();
        Incident outage = h.only(PatternKind.PROVIDER_WIDE);
        assertEquals(Cause.PROVIDER_OUTAGE, outage.cause());
        assertEquals(4, outage.domains().size());
        assertEquals(List.of("timeout"), outage.signatures());
    }

    // --- scope -------------------------------------------------------------------------------------------

    @Test
    public void consumerDomainsNeverFormADomainIncident() {
        Harness h = new Harness(min(60));
        for (int i = 0; i < 5; i++) {
            h.feed.account("gm" + i, "person" + i + "@gmail.com", "gmail", LONG_AGO);
            h.feed.account("ol" + i, "person" + i + "@Outlook.com", "outlook", LONG_AGO);
            h.feed.fail("gm" + i, min(i), "invalid_grant", "admin_policy_enforced");
            h.feed.fail("ol" + i, min(i), "invalid_client", "AADSTS7000222");
        }
        h.drain();
        // same moment, same code, same provider: still thousands of unrelated people, and no
        // provider-wide either (no non-consumer domain among them)
        assertEquals(h.describe(), List.of(), h.incidents());
    }

    @Test
    public void twoUnrelatedFailuresOfOneDomainWeeksApartAreNoIncident() {
        Harness h = new Harness(T.plus(30, ChronoUnit.DAYS));
        h.feed.account("w1", "a@weeks-apart.example", "office365", LONG_AGO);
        h.feed.account("w2", "b@weeks-apart.example", "office365", LONG_AGO.plus(10, ChronoUnit.DAYS));
        h.feed.fail("w1", T, "invalid_grant", "AADSTS50173");
        h.feed.fail("w2", T.plus(21, ChronoUnit.DAYS), "invalid_grant", "AADSTS50173");
        h.drain();
        assertEquals(h.describe(), List.of(), h.incidents());
    }

    // --- schedules and flapping ------------------------------------------------------------------------

    @Test
    public void idleMicrosoftAccountsWithABareAuthErrorFormTheInactivitySchedule() {
        Harness h = new Harness(T.plus(10, ChronoUnit.DAYS));
        for (int i = 1; i <= 3; i++) {
            h.feed.account("idle" + i, "paused@idle-" + i + ".example", "office365", LONG_AGO,
                    T.minus(100, ChronoUnit.DAYS));
            h.feed.log("idle" + i, T.plus(i, ChronoUnit.DAYS).minusSeconds(30), "invalid_grant", "refresh failed");
            h.feed.fail("idle" + i, T.plus(i, ChronoUnit.DAYS));
        }
        // long-linked accounts whose activity is unknown may well have been syncing every minute: not idle
        h.feed.account("busy", "busy@idle-1.example", "office365", LONG_AGO);
        h.feed.fail("busy", T.plus(2, ChronoUnit.DAYS).plusSeconds(600));
        h.feed.account("linked", "linked@idle-2.example", "office365", LONG_AGO);
        h.feed.log("linked", T.plus(2, ChronoUnit.DAYS).plusSeconds(900), "invalid_grant", "refresh failed");
        h.feed.fail("linked", T.plus(2, ChronoUnit.DAYS).plusSeconds(960));
        h.drain();
        Incident idle = h.only(PatternKind.SCHEDULE);
        assertEquals(Cause.REFRESH_TOKEN_INACTIVE, idle.cause());
        assertEquals(Set.of("idle1", "idle2", "idle3"), members(idle));
        // the "period" of this schedule is how long the members were idle: 101, 102, 103 days
        assertEquals(Long.valueOf(Duration.ofDays(102).getSeconds()), idle.periodSeconds());
        assertEquals(Long.valueOf(Duration.ofDays(1).getSeconds()), idle.toleranceSeconds());
        assertTrue(idle.summary(), idle.summary().contains("after 102 d ± 24 h without activity"));
        // ... but no cycle: each account fails once, whenever it is next used, so it closes after the usual
        // quiet period, not after two idle times
        h.clock.set(T.plus(3, ChronoUnit.DAYS).plus(6, ChronoUnit.HOURS).plusSeconds(1));
        h.drain();
        assertEquals(IncidentStatus.CLOSED, h.only(PatternKind.SCHEDULE).status());
        assertEquals(Long.valueOf(Duration.ofDays(101).getSeconds()), idle.accounts().get(0).intervalSeconds());
    }

    @Test
    public void anAccountFailingRightAfterEachReauthOrRestartIsFlapping() {
        Harness h = new Harness(T.plus(1, ChronoUnit.DAYS));
        h.feed.account("fl", "me@outlook.com", "outlook", LONG_AGO);
        for (int cycle = 0; cycle < 3; cycle++) {
            Instant back = T.plus(3L * cycle, ChronoUnit.HOURS);
            h.feed.reauth("fl", back);
            h.feed.stop("fl", back.plus(10, ChronoUnit.MINUTES));
            // the same cycle's second notification is not another flap
            h.feed.fail("fl", back.plus(11, ChronoUnit.MINUTES));
        }
        // failing two hours after its re-authentication is no flap
        h.feed.account("ok", "other@outlook.com", "outlook", LONG_AGO);
        h.feed.reauth("ok", T).fail("ok", T.plus(2, ChronoUnit.HOURS));
        h.feed.reauth("ok", T.plus(3, ChronoUnit.HOURS)).fail("ok", T.plus(5, ChronoUnit.HOURS));
        h.drain();
        Incident flap = h.only(PatternKind.FLAPPING);
        assertEquals(h.describe(), 1, h.incidents().size());
        assertEquals(Cause.UNDETERMINED, flap.cause());
        assertEquals("its own domain, even a consumer one", "outlook.com", flap.domain());
        assertEquals(Set.of("fl"), members(flap));
        assertEquals("one failure per re-authentication", 3, flap.accounts().get(0).failures());
    }

    // --- lifecycle -----------------------------------------------------------------------------------

    @Test
    public void anIncidentClosesAfterItsQuietPeriodAndReopensWhenItRecurs() {
        Harness h = new Harness(min(10));
        for (int i = 1; i <= 4; i++) {
            h.feed.account("l" + i, "u" + i + "@lifecycle.example", "office365", LONG_AGO);
        }
        h.feed.fail("l1", min(0)).fail("l2", min(3));
        h.drain();
        Incident open = h.only(PatternKind.SAME_MOMENT);
        assertEquals(IncidentStatus.OPEN, open.status());

        h.clock.set(min(3).plus(6, ChronoUnit.HOURS).minusSeconds(1));
        h.drain();
        assertEquals(IncidentStatus.OPEN, h.only(PatternKind.SAME_MOMENT).status());
        h.clock.set(min(3).plus(6, ChronoUnit.HOURS).plusSeconds(1));
        h.drain();
        Incident closed = h.only(PatternKind.SAME_MOMENT);
        assertEquals(IncidentStatus.CLOSED, closed.status());
        assertEquals("closed when it went quiet", min(3).plus(6, ChronoUnit.HOURS), closed.closedAt());

        h.clock.set(min(24 * 60 + 10));
        h.feed.fail("l3", min(24 * 60)).fail("l4", min(24 * 60 + 2));
        h.drain();
        Incident reopened = h.only(PatternKind.SAME_MOMENT);
        assertEquals(open.id(), reopened.id());
        assertEquals(IncidentStatus.OPEN, reopened.status());
        assertEquals(1, reopened.reopenCount());
        assertNull(reopened.closedAt());
        assertEquals(4, reopened.accounts().size());
        assertEquals(min(24 * 60 + 2), reopened.lastAt());
    }

    /*
     * A backfill (history imported weeks after it happened) arrives in pieces, and the tracker catches up between
     * them. By the wall clock every incident of that history is long quiet, so it closes at once; it must still be
     * the one the next piece of the same pattern joins (closed incidents stay in the working set for the look-back
     * of the EVENT clock), not a new incident per piece. Seen at scale: recurring patterns reported once per cycle,
     * and a same-moment incident reported again under its refined cause when its error lines came in later.
     */

    @Test
    public void aBackfillInPiecesRefinesTheSameIncidentWhenItsErrorLinesComeLater() {
        Harness h = new Harness(min(0).plus(60, ChronoUnit.DAYS));
        h.feed.account("e1", "ann@blocked.example", "eas", LONG_AGO);
        h.feed.account("e2", "bob@blocked.example", "eas", LONG_AGO);
        h.feed.fail("e1", min(0)).fail("e2", min(4));
        h.drain();
        Incident first = h.only(PatternKind.SAME_MOMENT);
        assertEquals(Cause.ADMIN_DISCONNECTED, first.cause());
        assertEquals("quiet for weeks by the wall clock", IncidentStatus.CLOSED, first.status());

        h.feed.log("e1", min(0).minusSeconds(30), "AADSTS50173", "AADSTS50173: grant revoked");
        h.feed.log("e2", min(4).minusSeconds(30), "AADSTS50173", "AADSTS50173: grant revoked");
        h.drain();
        Incident refined = h.only(PatternKind.SAME_MOMENT);
        assertEquals(first.id(), refined.id());
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, refined.cause());
        assertEquals(0, refined.reopenCount());
    }

    @Test
    public void aBackfillInPiecesKeepsEveryCycleOfARecurringPatternInOneIncident() {
        Harness h = new Harness(T.plus(70, ChronoUnit.DAYS));
        String[] ids = {"r0", "r1", "r2"};
        for (int i = 0; i < ids.length; i++) {
            h.feed.account(ids[i], "u" + i + "@cycles.example", "office365", LONG_AGO);
        }
        // three cycles of a 24 h policy, the accounts 5 h apart; each piece is one account's cycle
        for (int cycle = 0; cycle < 3; cycle++) {
            for (int i = 0; i < ids.length; i++) {
                Instant signIn = T.plus(cycle * 25L + 5L * i, ChronoUnit.HOURS);
                h.feed.reauth(ids[i], signIn);
                h.feed.fail(ids[i], signIn.plus(24, ChronoUnit.HOURS).plus(i, ChronoUnit.MINUTES));
                h.drain();
            }
        }
        Incident rec = h.only(PatternKind.RECURRING);
        assertEquals(h.describe(), 1, h.incidents().size());
        assertEquals(Set.of("r0", "r1", "r2"), members(rec));
        for (IncidentMember m : rec.accounts()) {
            assertEquals(h.describe(), 3, m.failures());
        }
        assertEquals("the cycles follow each other within two periods: it never went quiet", 0, rec.reopenCount());
    }

    @Test
    public void aRecurringIncidentStaysOpenForTwoPeriods() {
        Harness h = new Harness(T.plus(3, ChronoUnit.DAYS));
        plantRecurring(h, "slow.example", "office365", new long[] {0, 0, 0}, null);
        h.drain();
        Incident rec = h.only(PatternKind.RECURRING);
        // last failure: 10 h + 24 h after T; 3 days after T is 38 h later, inside 2 x 24 h
        assertEquals(IncidentStatus.OPEN, rec.status());
        h.clock.set(rec.lastAt().plus(48, ChronoUnit.HOURS).plusSeconds(1));
        h.drain();
        assertEquals(IncidentStatus.CLOSED, h.only(PatternKind.RECURRING).status());
    }

    // --- restart ------------------------------------------------------------------------------------------

    @Test
    public void aNewTrackerOnTheSameStoreContinuesWithoutDuplicates() {
        Harness once = new Harness(T.plus(60, ChronoUnit.SECONDS));
        PlantedFleetTest.plant(once.feed);
        once.drain();
        List<Incident> expected = once.incidents();

        for (int stopAfter : new int[] {3, 9, 14, 20}) {
            Harness h = new Harness(T.plus(60, ChronoUnit.SECONDS));
            h.settings = Harness.withBatchSize(h.settings, 2);
            PlantedFleetTest.plant(h.feed);
            h.start();
            for (int i = 0; i < stopAfter; i++) {
                h.tracker.step();
            }
            h.start(); // a restart: the windows are rebuilt from the store and the feed
            h.drain();
            assertSameIncidents("restart after " + stopAfter + " batches", expected, h.incidents());

            // a third start on a store that is up to date changes nothing at all
            int saves = h.store.saves.get();
            h.start();
            h.drain();
            assertEquals(saves, h.store.saves.get());
            assertSameIncidents("idle restart", expected, h.incidents());
        }
    }

    /**
     * The same incidents with the same members and counts. Compared by pattern, not by id: where the batch
     * boundaries fall decides whether a code arrives before its failure or attaches later, and so the order
     * in which incidents are numbered.
     */
    private static void assertSameIncidents(String what, List<Incident> expected, List<Incident> actual) {
        assertEquals(what, expected.size(), actual.size());
        java.util.Map<String, Incident> byPattern = new java.util.HashMap<>();
        for (Incident a : actual) {
            assertNull(what + ": twice " + pattern(a), byPattern.put(pattern(a), a));
        }
        for (Incident e : expected) {
            Incident a = byPattern.get(pattern(e));
            String id = what + " " + pattern(e);
            assertTrue(id, a != null);
            assertEquals(id, e.status(), a.status());
            assertEquals(id, e.reopenCount(), a.reopenCount());
            assertEquals(id, e.accounts(), a.accounts());
            assertEquals(id, e.periodSeconds(), a.periodSeconds());
            assertEquals(id, e.signatures(), a.signatures());
        }
    }

    private static String pattern(Incident i) {
        return i.kind() + "|" + i.cause() + "|" + (i.domain() != null ? i.domain() : i.family());
    }

    // --- bounds ---------------------------------------------------------------------------------------

    @Test
    public void memoryStaysBoundedAsTheFleetClockMoves() {
        Harness h = new Harness(T);
        h.settings = Harness.withBatchSize(Harness.withLimits(h.settings, 1_500, 20, 1_000), 500);
        // 10,000 distinct accounts of 100 domains failing every 9 minutes for 62 days, each with an error line
        Instant at = T;
        for (int i = 0; i < 10_000; i++) {
            String id = "m" + i;
            h.feed.account(id, "u" + i + "@d" + (i % 100) + ".example", "office365", LONG_AGO);
            h.feed.log(id, at.minusSeconds(30), null, "sync failed for account " + id.replace("5", "five"));
            h.feed.fail(id, at);
            at = at.plus(9, ChronoUnit.MINUTES);
        }
        h.clock.set(at);
        h.start();
        int maxWindow = 0;
        int maxErrors = 0;
        while (!h.tracker.step()) {
            maxWindow = Math.max(maxWindow, h.tracker.windows().size());
            maxErrors = Math.max(maxErrors, h.tracker.errors().size());
        }
        assertTrue("failures in memory: " + maxWindow, maxWindow <= 1_500);
        assertTrue("error lines in memory: " + maxErrors, maxErrors <= 1_000);
        FailureWindows w = h.tracker.windows();
        assertTrue(w.accountCount() <= 1_500);
        // the oldest left memory: nothing of the first days is visible any more
        assertEquals(List.of(), w.accountFailures("m0", T.minusSeconds(1), at));
        assertEquals(List.of(), w.domainFailures("d0.example", T.minusSeconds(1), T.plus(20, ChronoUnit.DAYS)));
        assertEquals(1, w.accountFailures("m9999", T, at).size());
        assertTrue("per domain at most 20 (+1/8 slack)", w.domainFailures("d99.example", T, at).size() <= 22);
        assertEquals(h.describe(), List.of(), h.incidents());

        // without the count bound, time alone evicts: 30 days + one window of 9-minute failures remain
        Harness t = new Harness(T);
        t.settings = Harness.withBatchSize(t.settings, 500);
        at = T;
        for (int i = 0; i < 10_000; i++) {
            t.feed.account("m" + i, "u" + i + "@d" + (i % 100) + ".example", "office365", LONG_AGO);
            t.feed.fail("m" + i, at);
            at = at.plus(9, ChronoUnit.MINUTES);
        }
        t.clock.set(at);
        t.drain();
        int inLookback = (int) (Duration.ofDays(30).plusMinutes(30).toMinutes() / 9) + 1;
        assertTrue(t.tracker.windows().size() + " in memory, " + inLookback + " in the look-back",
                t.tracker.windows().size() <= inLookback + 60 / 9 + 1);
    }

    // --- robustness -----------------------------------------------------------------------------------

    @Test
    public void aFailedSaveOrReadIsRetriedWithoutLosingOrRepeatingAnything() {
        Harness h = new Harness(min(60));
        for (int i = 1; i <= 3; i++) {
            h.feed.account("r" + i, "u" + i + "@retry.example", "office365", LONG_AGO);
            h.feed.fail("r" + i, min(i));
        }
        h.start();
        h.store.failSaves.set(2);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                h.tracker.step();
                fail("the save fails");
            } catch (IllegalStateException expected) {
                assertEquals(List.of(), h.store.all());
            }
        }
        h.feed.failReads.set(1);
        try {
            h.tracker.step(); // the pending save succeeds, then the read fails
            fail("the read fails");
        } catch (IllegalStateException expected) {
            assertEquals(1, h.store.all().size());
        }
        h.drain();
        Incident i = h.only(PatternKind.SAME_MOMENT);
        assertEquals(3, i.accounts().size());
        i.accounts().forEach(m -> assertEquals(1, m.failures()));
    }

    @Test
    public void aBrokenDetectorOrClassifierDoesNotStopTheOthers() {
        Harness h = new Harness(min(60));
        List<FleetDetector> detectors = new ArrayList<>(Harness.defaultDetectors());
        detectors.add(0, new FleetDetector() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public PatternKind kind() {
                return PatternKind.PROVIDER_WIDE;
            }

            @Override
            public List<IncidentCandidate> onFailure(FleetFailure failure, FleetView view) {
                throw new IllegalStateException("bug (test)");
            }
        });
        h.detectors = detectors;
        h.classifier.broken = true;
        h.feed.account("k1", "a@broken.example", "office365", LONG_AGO);
        h.feed.account("k2", "b@broken.example", "office365", LONG_AGO);
        h.feed.fail("k1", min(0), "invalid_grant", "AADSTS50173").fail("k2", min(1), "invalid_grant", "AADSTS50173");
        h.drain();
        // the codes could not be read: the generic pattern cause, and the incident all the same
        assertEquals(Cause.ADMIN_DISCONNECTED, h.only(PatternKind.SAME_MOMENT).cause());
    }

    private static Incident byDomain(List<Incident> incidents, String domain) {
        return incidents.stream().filter(i -> domain.equals(i.domain())).findFirst()
                .orElseThrow(() -> new AssertionError("no incident of " + domain + " in " + incidents));
    }
}
