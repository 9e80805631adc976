package io.synctriage.provider.support;

import static io.synctriage.provider.support.testing.Fixtures.account;
import static io.synctriage.provider.support.testing.Fixtures.auth;
import static io.synctriage.provider.support.testing.Fixtures.context;
import static io.synctriage.provider.support.testing.Fixtures.event;
import static io.synctriage.provider.support.testing.Fixtures.evidence;
import static io.synctriage.provider.support.testing.Fixtures.failure;
import static io.synctriage.provider.support.testing.Fixtures.grantExpired;
import static io.synctriage.provider.support.testing.Fixtures.peer;
import static io.synctriage.provider.support.testing.Fixtures.t;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.Test;

import io.synctriage.model.Account;
import io.synctriage.model.Alternative;
import io.synctriage.model.Cause;
import io.synctriage.model.Peer;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.Level;

public class HelpersTest {

    @Test
    public void lastAuthorisationAndLastUse() {
        Account a = account("g1").provider("microsoft", ProviderFamily.MICROSOFT).v3()
                .created("2025-12-08T10:15:32Z").build();
        List<io.synctriage.model.AccountEvent> events = List.of(
                event("grant.updated", "2026-01-10T00:00:00Z"),
                grantExpired("2026-07-14T06:20:07Z", "2026-04-14T06:12:00Z"),
                event("account.connected", "2026-08-01T00:00:00Z"));
        assertEquals(t("2026-01-10T00:00:00Z"), Timing.lastAuthorisation(a, events, t("2026-07-14T06:20:07Z")).orElseThrow());
        assertEquals(t("2026-04-14T06:12:00Z"), Timing.lastUse(a, events, t("2026-07-14T06:20:07Z")).orElseThrow());
        Account none = account("x").build();
        assertTrue(Timing.lastUse(none, List.of(), t("2026-01-01T00:00:00Z")).isEmpty());
        Account later = account("y").linked("2026-09-01T00:00:00Z").lastActivity("2026-09-02T00:00:00Z").build();
        assertTrue("evidence after the limit is ignored", Timing.lastUse(later, List.of(), t("2026-08-01T00:00:00Z")).isEmpty());
    }

    @Test
    public void describesDurations() {
        assertEquals("7 d 0 h 12 min", Timing.describe(Duration.ofDays(7).plusMinutes(12).plusSeconds(10)));
        assertEquals("3 h 5 min", Timing.describe(Duration.ofHours(3).plusMinutes(5)));
        assertEquals("1 min 21 s", Timing.describe(Duration.ofSeconds(81)));
        assertEquals("9 s", Timing.describe(Duration.ofSeconds(9)));
        assertEquals("-2 h 0 min", Timing.describe(Duration.ofHours(-2)));
    }

    @Test
    public void runningSuccessorNeedsSameEmailOtherIdLaterLinkAndHealthyState() {
        Account a = account("old").email("Office@Studio.se").linked("2025-10-02T11:04:51Z").build();
        Peer successor = peer("new", "office@studio.se", "imap", ProviderFamily.IMAP, "running", "2026-02-17T10:00:00Z");
        Peer older = peer("older", "office@studio.se", "imap", ProviderFamily.IMAP, "running", "2025-01-01T00:00:00Z");
        Peer stopped = peer("dead", "office@studio.se", "imap", ProviderFamily.IMAP, "stopped", "2026-03-01T00:00:00Z");
        Peer other = peer("x", "someone@studio.se", "imap", ProviderFamily.IMAP, "running", "2026-03-01T00:00:00Z");
        Peer self = peer("old", "office@studio.se", "imap", ProviderFamily.IMAP, "running", "2026-03-01T00:00:00Z");
        assertEquals("new", Peers.runningSuccessor(a, List.of(older, stopped, other, self, successor)).orElseThrow().id());
        assertTrue(Peers.runningSuccessor(a, List.of(older, stopped, other, self)).isEmpty());
        assertEquals(3, Peers.sameEmail(a, List.of(older, stopped, other, self, successor)).size());
        Peer partial = peer("p", "office@studio.se", "imap", ProviderFamily.IMAP, "partial", "2026-02-18T00:00:00Z");
        assertEquals("p", Peers.runningSuccessor(a, List.of(successor, partial)).orElseThrow().id());
    }

    @Test
    public void peerFailuresAndAuthorisations() {
        Peer p = peer("p", "a@b.c", "gmail", ProviderFamily.GOOGLE, "invalid", "2026-10-03T09:12:00Z",
                failure("account.invalid", "2026-10-10T09:20:00Z", null, null),
                event("account.running", "2026-10-11T00:00:00Z"),
                event("account.connected", "2026-10-01T00:00:00Z"));
        assertEquals(List.of(t("2026-10-10T09:20:00Z")), Peers.failures(p));
        assertEquals(List.of(t("2026-10-01T00:00:00Z"), t("2026-10-03T09:12:00Z"), t("2026-10-11T00:00:00Z")),
                Peers.authorisations(p));
    }

    @Test
    public void states() {
        assertTrue(States.isHealthy("Running"));
        assertTrue(States.isHealthy("valid"));
        assertTrue(States.isFailing("invalid-credentials"));
        assertTrue(States.isStopped("stopped"));
        assertFalse(States.isStopped("invalid"));
        assertFalse(States.isFailing(null));
        assertFalse(States.isHealthy("something-new"));
    }

    /** The one-pass prefilter of Hosts.extract never says "no host" where the host pattern finds one. */
    @Test
    public void hostPrefilterNeverHidesAHost() {
        java.util.Random random = new java.util.Random(7);
        String[] pieces = {"a", "Zk", "0", "9", ".", "-", "_", "@", ":", " ", "/", "é", "\u212a", "com", "mail.", ".de", "x1"};
        int withHost = 0;
        for (int round = 0; round < 100_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(10); i >= 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String s = sb.toString();
            boolean found = Hosts.HOST.matcher(s).find();
            if (found) {
                withHost++;
                assertTrue(s, Hosts.mayHoldHost(s));
            }
        }
        assertTrue("the random texts must hold hosts often enough to test anything", withHost > 1000);
        assertFalse(Hosts.mayHoldHost("AADSTS50076: you must use multi-factor authentication to access '0000'. Trace ID: 6b1f"));
        assertEquals(List.of(), Hosts.extract(Text.of("access '00000003-0000-0000-c000-000000000000'. Trace ID: 6b1f3c2e")));
    }

    @Test
    public void hostsFromTextAndPublicList() {
        Text text = Text.of("LOGIN office@studio.se on mail.studio-lindqvist.se:993 failed; java.net.SocketTimeoutException");
        assertEquals(List.of("mail.studio-lindqvist.se"), Hosts.extract(text));
        assertEquals(List.of("mail.weinhaus-keller.de"),
                Hosts.extract(Text.of("FolderSync https://mail.weinhaus-keller.de/Microsoft-Server-ActiveSync: Status 129")));
        List<String> two = Hosts.extract(Text.of("connect to imap.mail.me.com timed out, fallback p02-imap.mail.me.com"));
        assertEquals("imap.mail.me.com", two.get(0));
        Hosts list = Hosts.of(List.of("mail.me.com", "outlook.office365.com"));
        assertTrue(list.isPublic("imap.mail.me.com"));
        assertTrue(list.isPublic("OUTLOOK.office365.com"));
        assertFalse(list.isPublic("mail.me.com.evil.example"));
        assertFalse(list.isPublic("notmail.me.com.example"));
        assertEquals("imap.mail.me.com", list.firstPublic(two));
    }

    @Test
    public void candidatesGroupLinesAndDecideByTheLatest() throws IOException {
        SignatureTable table = LogScanTest.table();
        Account a = account("acc").email("x@contoso.com").provider("office365", ProviderFamily.MICROSOFT).build();
        LogScan scan = LogScan.of(context(evidence(a).lines(
                auth("2026-04-14T06:00:00Z", null, "AADSTS50126"),
                auth("2026-04-14T07:00:00Z", null, "AADSTS70043"),
                auth("2026-04-14T07:30:00Z", null, "AADSTS50126"),
                auth("2026-04-14T07:40:00Z", "invalid_grant", null)).build(), "2026-04-14T08:00:00Z"), table);
        List<Candidates.Candidate> cs = Candidates.group(scan.hits(), h -> Candidates.Resolution.of(h.best(), "X"));
        assertEquals(2, cs.size());
        assertEquals(Cause.PASSWORD_CHANGED, cs.get(0).cause());
        assertEquals(2, cs.get(0).count());
        assertEquals(t("2026-04-14T07:30:00Z"), cs.get(0).at());
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, cs.get(1).cause());

        Texts texts = Texts.parse("t", new StringReader(
                "PASSWORD_CHANGED.summary = {email} ({domain}) {signature} at {when} x{count} on {host}.\n"
                        + "PASSWORD_CHANGED.step.1 = Re-authenticate {email}\n"));
        Finding f = new FindingFactory(texts).finding(a, cs.get(0)).alternative(Cause.PASSWORD_CHANGED, 0.9)
                .alternative(Cause.PASSWORD_EXPIRED, 0.2).alternative(Cause.PASSWORD_EXPIRED, 0.4).build();
        assertEquals(Level.SPECIFIC, f.level());
        assertEquals(t("2026-04-14T07:30:00Z"), f.at());
        assertEquals("x@contoso.com (contoso.com) AADSTS50126 at 2026-04-14T07:30:00Z x2 on the mail server.", f.summary());
        assertEquals(List.of(new Alternative(Cause.PASSWORD_EXPIRED, 0.4)), f.alternatives());
        assertEquals(2, f.evidence().size());
        assertEquals(t("2026-04-14T07:30:00Z"), f.evidence().get(0).timestamp());
        assertEquals(0.8, f.confidence(), 1e-9);
        Map<String, String> unused = Map.of();
        assertTrue(unused.isEmpty());
    }

    @Test
    public void knownTagsArePassedThrough() throws IOException {
        SignatureTable t = SignatureTable.parse("x", new StringReader(
                "text:a\tPASSWORD_CHANGED\tAUTH\tspecific\t0.9\t-\tone,two\tlabel with spaces"), Set.of("one", "two"));
        assertTrue(t.signatures().get(0).hasTag("two"));
        assertEquals("label with spaces", t.signatures().get(0).label());
    }
}
