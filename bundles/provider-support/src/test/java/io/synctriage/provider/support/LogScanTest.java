package io.synctriage.provider.support;

import static io.synctriage.provider.support.testing.Fixtures.account;
import static io.synctriage.provider.support.testing.Fixtures.auth;
import static io.synctriage.provider.support.testing.Fixtures.context;
import static io.synctriage.provider.support.testing.Fixtures.evidence;
import static io.synctriage.provider.support.testing.Fixtures.failure;
import static io.synctriage.provider.support.testing.Fixtures.sync;
import static io.synctriage.provider.support.testing.Fixtures.syncFor;
import static io.synctriage.provider.support.testing.Fixtures.t;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.Set;

import org.junit.Test;

import io.synctriage.model.Account;
import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.LogLine;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.CheckContext;

public class LogScanTest {

    /** A level is quiet unless, trimmed and lower-cased, it starts with err/warn or is fatal/critical. */
    @Test
    public void quietLevelsAreThoseOfTheDefinition() {
        String[] pieces = {"e", "E", "r", "R", "w", "W", "a", "n", "f", "t", "l", "c", "i", "info", "Debug", "ERR", "warn",
            "fatal", "CRITICAL", "crit", " ", "\t", "\u00c9", "\u0130", "\u212A", "\u00e9", "x"};
        java.util.Random random = new java.util.Random(3);
        for (int round = 0; round < 50_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(4); i >= 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String level = sb.toString();
            String l = level.trim().toLowerCase(java.util.Locale.ROOT);
            boolean expected = !(l.startsWith("err") || l.startsWith("warn") || l.equals("fatal") || l.equals("critical"));
            assertEquals("[" + level + "]", expected, LogScan.isQuiet(level));
        }
        assertTrue(LogScan.isQuiet(null));
    }


    static SignatureTable table() throws IOException {
        return SignatureTable.parse("t.tsv", new StringReader(String.join("\n",
                "aadsts:70043\tCA_SIGNIN_FREQUENCY\tPOLICY\tspecific\t0.95\t-\t-\tAADSTS70043",
                "aadsts:50126\tPASSWORD_CHANGED\tAUTH\tspecific\t0.8\t-\t-\tAADSTS50126",
                "token:invalid_grant\t-\tAUTH\tinfo\t0.3\t-\t-\tinvalid_grant")), Set.of());
    }

    private static final Account ACCOUNT = account("acc-1").email("r.k@vistula.pl")
            .provider("office365", ProviderFamily.MICROSOFT).build();

    @Test
    public void splitsByWindowAndPicksTheLineNearestBeforeT() throws IOException {
        CheckContext ctx = context(evidence(ACCOUNT).lines(
                auth("2026-02-01T08:00:00Z", "invalid_grant", "AADSTS50126: old, before the window"),
                auth("2026-04-14T07:00:00Z", "invalid_grant", "AADSTS50126: wrong password"),
                auth("2026-04-14T08:01:09Z", "invalid_grant", "AADSTS70043: sign-in frequency"),
                auth("2026-04-14T09:00:00Z", "invalid_grant", "AADSTS50126: after T"),
                sync("2026-04-14T07:30:00Z", "info", "IDLE ok")).build(), "2026-04-14T08:02:30Z");
        LogScan scan = LogScan.of(ctx, table());
        assertEquals(2, scan.hits().size());
        assertEquals(1, scan.afterT().size());
        assertEquals(1, scan.beforeWindow().size());
        assertEquals(3, scan.linesInWindow());
        assertTrue(scan.logsSupplied());
        Hit latest = scan.latest(h -> h.best().cause() != null).orElseThrow();
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, latest.best().cause());
        assertEquals(t("2026-04-14T08:01:09Z"), latest.at());
        assertEquals("auth_log", latest.item().source());
        assertEquals("invalid_grant AADSTS70043: sign-in frequency", latest.item().text());
        // two codes: the latest before T wins; the one after T is never chosen
        Hit pw = scan.latest(h -> h.best().cause() == Cause.PASSWORD_CHANGED).orElseThrow();
        assertEquals(t("2026-04-14T07:00:00Z"), pw.at());
    }

    @Test
    public void lineAtExactlyTCounts() throws IOException {
        CheckContext ctx = context(evidence(ACCOUNT).lines(auth("2026-04-14T08:02:30Z", null, "AADSTS70043")).build(),
                "2026-04-14T08:02:30Z");
        assertEquals(1, LogScan.of(ctx, table()).hits().size());
    }

    @Test
    public void undatedLinesRankBeforeDatedOnes() throws IOException {
        LogLine undated = new LogLine(EvidenceSource.AUTH_LOG, null, null, null, "AADSTS70043", null, null);
        CheckContext ctx = context(evidence(ACCOUNT).lines(
                auth("2026-04-14T07:00:00Z", null, "AADSTS50126"), undated).build(), "2026-04-14T08:02:30Z");
        LogScan scan = LogScan.of(ctx, table());
        assertEquals(2, scan.hits().size());
        assertNull(scan.hits().get(0).at());
        assertEquals(Cause.PASSWORD_CHANGED, scan.latest(h -> h.best().cause() != null).orElseThrow().best().cause());
        CheckContext only = context(evidence(ACCOUNT).lines(undated).build(), "2026-04-14T08:02:30Z");
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, LogScan.of(only, table()).latest(h -> true).orElseThrow().best().cause());
    }

    @Test
    public void linesOfOtherAccountsAreIgnored() throws IOException {
        LogLine otherByEmail = new LogLine(EvidenceSource.AUTH_LOG, t("2026-04-14T07:00:00Z"), null, null,
                "AADSTS50126", null, "someone@else.pl");
        LogLine mineByEmail = new LogLine(EvidenceSource.AUTH_LOG, t("2026-04-14T07:10:00Z"), null, null,
                "AADSTS50126", null, "R.K@Vistula.pl");
        CheckContext ctx = context(evidence(ACCOUNT).lines(
                syncFor("other-id", "2026-04-14T07:00:00Z", "AADSTS70043"),
                syncFor("acc-1", "2026-04-14T07:05:00Z", "AADSTS70043"),
                otherByEmail, mineByEmail).build(), "2026-04-14T08:02:30Z");
        LogScan scan = LogScan.of(ctx, table());
        assertEquals(2, scan.hits().size());
        assertEquals(t("2026-04-14T07:05:00Z"), scan.hits().get(0).at());
        assertEquals(t("2026-04-14T07:10:00Z"), scan.hits().get(1).at());
    }

    @Test
    public void ownEventsWithAnErrorAreEvidence() throws IOException {
        CheckContext ctx = context(evidence(ACCOUNT)
                .events(failure("account.invalid", "2026-04-14T08:02:30Z", "invalid_grant", "AADSTS70043: x")).build(),
                "2026-04-14T08:02:30Z");
        LogScan scan = LogScan.of(ctx, table());
        assertEquals(1, scan.hits().size());
        assertEquals("webhooks", scan.hits().get(0).item().source());
        assertTrue(scan.hits().get(0).item().text().startsWith("account.invalid: invalid_grant"));
        assertFalse(scan.logsSupplied());
    }

    @Test
    public void emptyLogsStillCountAsSupplied() throws IOException {
        LogScan scan = LogScan.of(context(evidence(ACCOUNT).emptyLogs().build(), "2026-04-14T08:02:30Z"), table());
        assertTrue(scan.logsSupplied());
        assertTrue(scan.hits().isEmpty());
    }

    @Test
    public void windowFallsBackToNowAndThirtyDays() {
        CheckContext ctx = new CheckContext(evidence(ACCOUNT).now("2026-04-14T10:00:00Z").build(), null, null, null);
        Window w = Window.of(ctx);
        assertEquals(t("2026-04-14T10:00:00Z"), w.stateChangeAt());
        assertEquals(t("2026-03-15T10:00:00Z"), w.lookbackStart());
        assertTrue(w.contains(null));
        assertTrue(w.isAfterT(t("2026-04-14T10:00:01Z")));
        assertTrue(w.isBeforeWindow(t("2026-03-15T09:59:59Z")));
    }

    @Test
    public void lastQuietSyncLineIsTheLatestNonFailureSyncLineUpToT() throws IOException {
        CheckContext ctx = context(evidence(ACCOUNT).lines(
                sync("2026-04-14T06:00:00Z", "info", "IDLE on INBOX"),
                sync("2026-04-14T07:00:00Z", null, "FolderSync OK"),
                sync("2026-04-14T07:30:00Z", "error", "something broke"),
                sync("2026-04-14T07:40:00Z", "info", "AADSTS70043 while refreshing"),
                auth("2026-04-14T07:50:00Z", null, "token refreshed"),
                sync("2026-04-14T09:00:00Z", "info", "IDLE after T")).build(), "2026-04-14T08:02:30Z");
        assertEquals(t("2026-04-14T07:00:00Z"), LogScan.of(ctx, table()).lastQuietSyncLine().orElseThrow());
        assertTrue(LogScan.of(context(evidence(ACCOUNT).build(), "2026-04-14T08:02:30Z"), table())
                .lastQuietSyncLine().isEmpty());
    }

    @Test
    public void longLinesAreQuotedShortened() {
        String longText = "x".repeat(5000);
        assertEquals(LogScan.MAX_EVIDENCE_TEXT + 1, LogScan.quote(longText).length());
    }
}
