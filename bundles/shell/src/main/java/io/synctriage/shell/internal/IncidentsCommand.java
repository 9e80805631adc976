package io.synctriage.shell.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.FleetIncidents;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentPage;
import io.synctriage.model.IncidentQuery;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.spi.PatternKind;

/**
 * {@code triage:incidents [--since d] [--domain x] [--provider p] [--cause C] [--status open|closed] [--limit n]
 * [--cursor c]}: the fleet incidents, latest first, as a table (the same filters as
 * {@code GET /api/v1/fleet/incidents}). {@code triage:incidents <id>}: one incident with its accounts and the
 * timeline of their failures. Problems are one-line {@link CommandException}s, never a stack trace.
 */
@Service
@Command(scope = "triage", name = "incidents",
        description = "Lists the fleet incidents (accounts that failed for one shared reason: a domain, a provider, "
                + "a schedule), latest first, or shows one incident with its accounts and timeline.")
public class IncidentsCommand implements Action {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final Duration DEFAULT_LOOK_BACK = Duration.ofDays(30);
    static final String SERVICE_MISSING = "The fleet incidents (feature synctriage-store) are not installed or not "
            + "running.";

    /** Optional, so that the command exists and can say what is missing instead of "command not found". */
    @Reference(optional = true)
    FleetIncidents incidents;

    @Argument(index = 0, name = "id", required = false,
            description = "An incident id (e.g. inc-000042): shows that incident with its accounts and timeline")
    @Completion(IncidentIdCompleter.class)
    String id;

    @Option(name = "--since", description = "Incidents whose last failure is at or after this: ISO-8601 time, "
            + "epoch seconds, or a look-back such as 7d, 12h, 30m (default 30d)")
    String since;

    @Option(name = "-d", aliases = "--domain", description = "email domain, e.g. contoso.com (a provider-wide "
            + "incident matches every domain it spans)")
    String domain;

    @Option(name = "-p", aliases = "--provider",
            description = "provider as stored (office365, gmail, eas…) or family (microsoft, google, imap, eas)")
    String provider;

    @Option(name = "-c", aliases = "--cause", description = "cause code, e.g. ADMIN_DISCONNECTED")
    @Completion(CauseCompleter.class)
    String cause;

    @Option(name = "-s", aliases = "--status", description = "open or closed (default: both)")
    @Completion(value = StringsCompleter.class, values = {"open", "closed"})
    String status;

    @Option(name = "-n", aliases = "--limit", description = "at most this many rows, 1..1000 (default 100)")
    Integer limit;

    @Option(name = "--cursor", description = "the cursor printed under the previous page (paging)")
    String cursor;

    @Option(name = "--no-format", description = "Print the tables without borders (for scripts)")
    boolean noFormat;

    /** Where the output goes; null: the session's {@code System.out}. */
    PrintStream out;

    /** What "now" is for {@code --since}; a field so that tests can fix it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() throws CommandException {
        if (id != null && filtered()) {
            throw new CommandException("Give either an incident id or filters (--since, --domain, --provider, --cause, "
                    + "--status, --limit, --cursor), not both.");
        }
        PrintStream stdout = out != null ? out : System.out;
        if (id != null) {
            IncidentReport.print(one(id.trim()), stdout, !noFormat);
        } else {
            list(stdout);
        }
        return null;
    }

    private Incident one(String incidentId) throws CommandException {
        if (incidentId.isEmpty()) {
            throw new CommandException("The incident id is blank; list the incidents with triage:incidents.");
        }
        FleetIncidents service = service();
        Optional<Incident> incident;
        try {
            incident = service.incident(incidentId);
        } catch (IllegalArgumentException e) {
            // An id the service cannot even read names no incident.
            incident = Optional.empty();
        } catch (EvidenceStore.StoreException e) {
            throw storeFailed(e);
        }
        return incident.orElseThrow(() -> new CommandException("Unknown incident: no incident with the id '"
                + incidentId + "'; list the incidents with triage:incidents."));
    }

    private void list(PrintStream stdout) throws CommandException {
        IncidentQuery query = query();
        FleetIncidents service = service();
        IncidentPage page;
        try {
            page = service.incidents(query);
        } catch (IllegalArgumentException e) {
            if (query.cursor() != null) {
                throw new CommandException("--cursor '" + query.cursor() + "' is not a cursor of this listing (use the "
                        + "one printed under the previous page, with the same filters): " + e.getMessage());
            }
            throw new CommandException("The incident service refused the query: " + e.getMessage());
        } catch (EvidenceStore.StoreException e) {
            throw storeFailed(e);
        }
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Status");
        table.column("Kind");
        table.column("Cause");
        table.column("Domain");
        table.column("Provider");
        table.column("Accounts").alignRight();
        table.column("Period");
        table.column("First");
        table.column("Last");
        table.emptyTableText("no incidents since " + query.since()
                + (blankToNull(domain) != null || blankToNull(provider) != null || query.cause() != null
                        || query.status() != null ? " match the filters" : ""));
        for (Incident i : page.incidents()) {
            table.addRow().addContent(i.id(), i.status() == null ? "-" : i.status().wireName(),
                    i.kind() == null ? "-" : kindName(i.kind()), IncidentReport.orDash(i.cause()), domainCell(i),
                    IncidentReport.orDash(i.provider()), i.accounts().size(),
                    HumanDuration.period(i.periodSeconds(), i.toleranceSeconds()), IncidentReport.orDash(i.firstAt()),
                    IncidentReport.orDash(i.lastAt()));
        }
        table.print(stdout, !noFormat);
        if (page.next() != null) {
            stdout.println("More incidents: repeat with --cursor " + page.next());
        }
    }

    /** The query of the options, or a one-line error naming the option at fault. */
    IncidentQuery query() throws CommandException {
        int max = limit == null ? DEFAULT_LIMIT : limit;
        if (max < 1 || max > MAX_LIMIT) {
            throw new CommandException("--limit must be between 1 and " + MAX_LIMIT + ", got " + max);
        }
        Instant now = clock.instant();
        Instant from;
        if (blankToNull(since) == null) {
            from = now.minus(DEFAULT_LOOK_BACK);
        } else {
            try {
                from = IncidentQuery.parseSince(since, now);
            } catch (IllegalArgumentException e) {
                throw new CommandException("--since must be " + IncidentQuery.SINCE_FORMS + ", got '" + since.trim() + "'");
            }
        }
        Cause wantedCause = null;
        if (blankToNull(cause) != null) {
            try {
                wantedCause = Cause.valueOf(cause.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandException("Unknown cause '" + cause.trim() + "'; the causes are "
                        + Arrays.stream(Cause.values()).map(Cause::name).collect(Collectors.joining(", ")));
            }
        }
        IncidentStatus wantedStatus = null;
        if (blankToNull(status) != null) {
            wantedStatus = IncidentStatus.ofWireName(status);
            if (wantedStatus == null) {
                throw new CommandException("--status must be open or closed, got '" + status.trim() + "'");
            }
        }
        return new IncidentQuery(from, domain(domain), blankToNull(provider), wantedCause, wantedStatus, max,
                blankToNull(cursor));
    }

    private FleetIncidents service() throws CommandException {
        FleetIncidents service = incidents;
        if (service == null) {
            throw new CommandException(SERVICE_MISSING);
        }
        return service;
    }

    private static CommandException storeFailed(EvidenceStore.StoreException e) {
        return new CommandException("The incident store failed: " + e.getMessage() + " (details in the log)");
    }

    private boolean filtered() {
        return since != null || domain != null || provider != null || cause != null || status != null
                || limit != null || cursor != null;
    }

    /** The domain, or else how many domains a provider-wide or schedule incident spans. */
    private static String domainCell(Incident i) {
        if (i.domain() != null) {
            return i.domain();
        }
        int n = i.domains().size();
        return n == 0 ? "-" : n + (n == 1 ? " domain" : " domains");
    }

    /** The wire name of a pattern, as the REST API writes it: {@code same_moment}. */
    static String kindName(PatternKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@code @contoso.com} and {@code contoso.com} name the same domain. */
    private static String domain(String value) {
        String d = blankToNull(value);
        if (d != null && d.startsWith("@")) {
            d = blankToNull(d.substring(1));
        }
        return d == null ? null : d.toLowerCase(Locale.ROOT);
    }
}
