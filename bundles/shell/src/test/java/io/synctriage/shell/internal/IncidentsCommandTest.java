package io.synctriage.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.lang.reflect.Proxy;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.console.CommandLine;

import org.apache.karaf.shell.support.CommandException;
import org.junit.Before;
import org.junit.Test;

import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.spi.PatternKind;
import io.synctriage.model.testing.InMemoryFleetIncidents;

public class IncidentsCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private InMemoryFleetIncidents incidents;
    private IncidentsCommand command;

    @Before
    public void setUp() {
        incidents = new InMemoryFleetIncidents().add(InMemoryFleetIncidents.recurring()).add(InMemoryFleetIncidents.providerWide());
        command = new IncidentsCommand();
        command.incidents = incidents;
        command.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    private String run() throws CommandException {
        assertNull(command.execute());
        return out.toString(StandardCharsets.UTF_8);
    }

    private String error() {
        try {
            command.execute();
        } catch (CommandException e) {
            assertEquals("nothing printed besides the error", "", out.toString(StandardCharsets.UTF_8));
            assertFalse("one line: " + e.getMessage(), e.getMessage().contains("\n"));
            return e.getMessage();
        }
        throw new AssertionError("expected a CommandException; printed: " + out.toString(StandardCharsets.UTF_8));
    }

    private static String row(String table, String id) {
        return table.lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow(() -> new AssertionError(table));
    }

    // ----------------------------------------------------------------------------------------------- table

    @Test
    public void printsATableLatestFirst() throws CommandException {
        String table = run();
        String[] lines = table.split("\n");
        assertTrue(table, lines[0].matches("ID\\s+[│|] Status\\s+[│|] Kind\\s+[│|] Cause\\s+[│|] Domain\\s+[│|] "
                + "Provider\\s+[│|] Accounts [│|] Period\\s+[│|] First\\s+[│|] Last\\s*"));
        assertTrue("latest last first: " + table, table.indexOf("inc-000002") < table.indexOf("inc-000001"));
        assertTrue(table, row(table, "inc-000002").matches("inc-000002 [│|] open\\s+[│|] provider_wide [│|] "
                + "OAUTH_CLIENT_CREDENTIALS_INVALID [│|] 3 domains\\s+[│|] office365 [│|]\\s+3 [│|] -\\s+[│|] "
                + "2026-11-20T09:00:00Z [│|] 2026-11-20T09:18:00Z\\s*"));
        assertTrue(table, row(table, "inc-000001").matches("inc-000001 [│|] closed [│|] recurring\\s+[│|] "
                + "CA_SIGNIN_FREQUENCY\\s+[│|] kestrel-aero.com [│|] office365 [│|]\\s+2 [│|] 12 h ± 10 min [│|] "
                + "2026-11-10T08:00:00Z [│|] 2026-11-18T20:05:00Z\\s*"));
        assertFalse("no more pages: " + table, table.contains("--cursor"));
    }

    @Test
    public void defaultsAreThirtyDaysBackAndAHundred() throws CommandException {
        run();
        assertEquals(Instant.parse("2026-10-22T12:00:00Z"), incidents.lastQuery.since());
        assertEquals(IncidentsCommand.DEFAULT_LIMIT, incidents.lastQuery.limit());
        assertNull(incidents.lastQuery.domain());
        assertNull(incidents.lastQuery.cause());
        assertNull(incidents.lastQuery.status());
        assertNull(incidents.lastQuery.cursor());
    }

    @Test
    public void filtersGoToTheService() throws CommandException {
        command.since = "2026-11-01";
        command.domain = "@Kestrel-Aero.COM";
        command.provider = "office365";
        command.cause = "ca_signin_frequency";
        command.status = "Closed";
        command.limit = 5;
        String table = run();
        assertTrue(table, table.contains("inc-000001"));
        assertFalse(table, table.contains("inc-000002"));
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), incidents.lastQuery.since());
        assertEquals("kestrel-aero.com", incidents.lastQuery.domain());
        assertEquals("office365", incidents.lastQuery.provider());
        assertEquals(Cause.CA_SIGNIN_FREQUENCY, incidents.lastQuery.cause());
        assertEquals(IncidentStatus.CLOSED, incidents.lastQuery.status());
        assertEquals(5, incidents.lastQuery.limit());
    }

    @Test
    public void sinceIsIsoEpochSecondsOrADuration() throws CommandException {
        String[][] cases = {
                {"7d", "2026-11-14T12:00:00Z"}, {"12h", "2026-11-21T00:00:00Z"}, {"30m", "2026-11-21T11:30:00Z"},
                {"2w", "2026-11-07T12:00:00Z"}, {"P1DT1H", "2026-11-20T11:00:00Z"},
                {"1795165260", "2026-11-20T09:01:00Z"}, {"2026-11-20T10:01:00+01:00", "2026-11-20T09:01:00Z"},
                {"2026-11-20T09:01:00Z", "2026-11-20T09:01:00Z"},
        };
        for (String[] c : cases) {
            command.since = c[0];
            run();
            assertEquals(c[0], Instant.parse(c[1]), incidents.lastQuery.since());
        }
    }

    @Test
    public void pagesSayHowToGoOn() throws CommandException {
        command.limit = 1;
        String first = run();
        assertTrue(first, first.contains("inc-000002"));
        assertTrue(first, first.endsWith("More incidents: repeat with --cursor at:1\n"));
        out.reset();
        command.cursor = "at:1";
        String second = run();
        assertTrue(second, second.contains("inc-000001"));
        assertFalse(second, second.contains("inc-000002") || second.contains("More incidents"));
        assertEquals("at:1", incidents.lastQuery.cursor());
    }

    @Test
    public void noFormatHasNoBorders() throws CommandException {
        command.noFormat = true;
        String table = run();
        assertFalse(table, table.contains("│") || table.contains("|") || table.contains("─"));
        assertTrue(table, table.matches("(?s).*inc-000001\\s*\tclosed\\s*\trecurring\\s*\tCA_SIGNIN_FREQUENCY.*"));
    }

    @Test
    public void emptyResultSaysSo() throws CommandException {
        command.status = "open";
        command.cause = "PASSWORD_CHANGED";
        assertTrue(run().contains("no incidents since 2026-10-22T12:00:00Z match the filters"));
    }

    // --------------------------------------------------------------------------------------------- errors

    @Test
    public void badOptionsAreOneLine() {
        command.limit = 0;
        assertEquals("--limit must be between 1 and 1000, got 0", error());
        command.limit = 1001;
        assertEquals("--limit must be between 1 and 1000, got 1001", error());
        command.limit = null;
        command.since = "last tuesday";
        assertTrue(error().startsWith("--since must be an ISO-8601 time (2026-05-01T00:00:00Z), epoch seconds or a "
                + "look-back such as 7d, 12h or 30m, got 'last tuesday'"));
        command.since = null;
        command.cause = "GREMLINS";
        assertTrue(error().startsWith("Unknown cause 'GREMLINS'; the causes are APP_REVOKED_TOKENS, "));
        command.cause = null;
        command.status = "pending";
        assertEquals("--status must be open or closed, got 'pending'", error());
        assertNull("the service was not asked", incidents.lastQuery);
    }

    @Test
    public void aCursorTheServiceRefusesIsOneLine() {
        command.cursor = "forged";
        String error = error();
        assertTrue(error, error.startsWith("--cursor 'forged' is not a cursor of this listing"));
        assertTrue(error, error.endsWith("not a cursor: forged"));
    }

    @Test
    public void withoutTheServiceIsOneLine() {
        command.incidents = null;
        assertEquals(IncidentsCommand.SERVICE_MISSING, error());
        command.id = "inc-000001";
        assertEquals(IncidentsCommand.SERVICE_MISSING, error());
    }

    @Test
    public void aFailingStoreIsOneLine() {
        incidents.failure = new EvidenceStore.StoreException("database unavailable", null);
        assertEquals("The incident store failed: database unavailable (details in the log)", error());
        command.id = "inc-000001";
        assertEquals("The incident store failed: database unavailable (details in the log)", error());
    }

    @Test
    public void unknownIdIsOneLine() {
        command.id = "inc-999999";
        assertEquals("Unknown incident: no incident with the id 'inc-999999'; list the incidents with "
                + "triage:incidents.", error());
    }

    @Test
    public void anIdAndFiltersTogetherAreRefused() {
        command.id = "inc-000001";
        command.status = "open";
        assertTrue(error().startsWith("Give either an incident id or filters"));
    }

    // --------------------------------------------------------------------------------------------- detail

    @Test
    public void printsOneIncident() throws CommandException {
        command.id = "inc-000001";
        String report = run();
        assertTrue(report, report.startsWith(
                "Incident     inc-000001\n"
                        + "Status       closed since 2026-11-19T20:05:00Z, reopened 2 times\n"
                        + "Kind         recurring (accounts of one domain fail a fixed time after each sign-in)\n\n"
                        + "CAUSE        CA_SIGNIN_FREQUENCY\n"
                        + "ACTOR        MAIL_ADMIN\n\n"
                        + "Summary\n  2 accounts of kestrel-aero.com invalid about 12 h after each sign-in\n\n"
                        + "Domain       kestrel-aero.com\n"
                        + "Provider     office365 (microsoft)\n"
                        + "Period       12 h ± 10 min\n"
                        + "First        2026-11-10T08:00:00Z\n"
                        + "Last         2026-11-18T20:05:00Z\n\n"
                        + "Signatures\n  - AADSTS70043\n\n"
                        + "Accounts (2)\n"));
        assertTrue(report, row(report, "acc-kim").matches("acc-kim [│|] kim@kestrel-aero.com [│|] office365 [│|] "
                + "2026-11-10T08:00:00Z [│|]\\s+4 [│|] AADSTS70043 [│|] 12 h 5 min\\s*"));
        assertTrue("unknown values are dashes: " + report, row(report, "acc-lu").matches(
                "acc-lu\\s+[│|] -\\s+[│|] -\\s+[│|] 2026-11-10T08:09:00Z [│|]\\s+1 [│|] -\\s+[│|] -\\s*"));
        // No evidence kept: the timeline is built from the members' first and latest failures.
        assertTrue(report, report.endsWith("Timeline\n"
                + "  2026-11-10T08:00:00Z  members   kim@kestrel-aero.com failed (AADSTS70043)\n"
                + "  2026-11-10T08:09:00Z  members   acc-lu failed\n"
                + "  2026-11-18T20:05:00Z  members   kim@kestrel-aero.com failed again (4 failures in all) "
                + "(AADSTS70043)\n"));
    }

    @Test
    public void aProviderWideIncidentListsItsDomainsAndItsEvidenceInTimeOrder() throws CommandException {
        Incident wide = InMemoryFleetIncidents.providerWide();
        // The evidence arrives out of order; the timeline sorts it.
        incidents.incidents.set(1, new Incident(wide.id(), wide.kind(), wide.cause(), wide.domain(), wide.domains(),
                wide.family(), wide.provider(), wide.status(), wide.periodSeconds(), wide.toleranceSeconds(),
                wide.firstAt(), wide.lastAt(), wide.closedAt(), wide.reopenCount(), wide.accounts(), wide.signatures(),
                wide.summary(), List.of(wide.evidence().get(1), wide.evidence().get(0)), wide.updatedAt()));
        command.id = " inc-000002 ";
        String report = run();
        assertTrue(report, report.contains("Status       open\n"));
        assertTrue(report, report.contains("Kind         provider_wide (one provider, several unrelated domains, "
                + "one window)\n"));
        assertTrue(report, report.contains("ACTOR        DEVELOPER\n"));
        assertTrue(report, report.contains("Domains      3 domains: alder-labs.com, birch-legal.com, cedar-ops.com\n"));
        assertTrue(report, report.contains("Period       -\n"));
        assertTrue(report, report.contains("Accounts (3)\n"));
        assertTrue(report, report.endsWith("Timeline\n"
                + "  2026-11-20T09:00:00Z  auth_log  ada@alder-labs.com: AADSTS7000215\n"
                + "  2026-11-20T09:07:00Z  auth_log  bo@birch-legal.com: AADSTS7000215\n"
                + "  (2 of the members' 3 failures are kept as evidence)\n"));
    }

    @Test
    public void anUndeterminedIncidentSaysThereIsNoActor() throws CommandException {
        incidents.add(new Incident("inc-000009", PatternKind.SAME_MOMENT, Cause.UNDETERMINED, "contoso.com",
                List.of("contoso.com"), null, null, IncidentStatus.OPEN, null, null, NOW, NOW, null, 1, List.of(),
                List.of(), null, List.of(), NOW));
        command.id = "inc-000009";
        String report = run();
        assertTrue(report, report.contains("Status       open, reopened 1 time\n"));
        assertTrue(report, report.contains("ACTOR        none: the cause is undetermined\n"));
        assertTrue(report, report.contains("Summary\n  -\n"));
        assertTrue(report, report.contains("Provider     -\n"));
        assertTrue(report, report.contains("Signatures\n  none: the failures logged no error code\n"));
        assertTrue(report, report.contains("no member accounts"));
        assertTrue(report, report.endsWith("Timeline\n  none\n"));
    }

    // ------------------------------------------------------------------------------------------ completers

    @Test
    public void idsCompleteFromTheLatestIncidents() {
        IncidentIdCompleter completer = new IncidentIdCompleter();
        assertEquals("no service, no candidates", List.of(), completer.ids());
        completer.incidents = incidents;
        assertEquals(List.of("inc-000002", "inc-000001"), completer.ids());
        assertNull("any time: ids of old incidents complete too", incidents.lastQuery.since());
        incidents.failure = new EvidenceStore.StoreException("down", null);
        assertEquals(List.of(), completer.ids());
    }

    @Test
    public void causesCompleteCaseInsensitively() {
        List<String> candidates = new ArrayList<>();
        new CauseCompleter().complete(null, typing("admin_d"), candidates);
        assertEquals(List.of("ADMIN_DISCONNECTED"), candidates.stream().map(String::trim).toList());
    }

    /** A command line whose cursor is at the end of {@code word}. */
    private static CommandLine typing(String word) {
        return (CommandLine) Proxy.newProxyInstance(CommandLine.class.getClassLoader(),
                new Class<?>[] {CommandLine.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getCursorArgument":
                            return word;
                        case "getArgumentPosition":
                        case "getBufferPosition":
                            return word.length();
                        case "getBuffer":
                            return word;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
