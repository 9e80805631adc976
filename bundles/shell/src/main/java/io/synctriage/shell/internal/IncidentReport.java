package io.synctriage.shell.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.support.table.ShellTable;

import io.synctriage.model.Actor;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.IncidentStatus;

/**
 * One fleet incident as text: what it is (summary, cause and who must act, pattern, period), where (domains,
 * provider), its accounts as a table, and the timeline of their failures.
 */
final class IncidentReport {

    /** A provider-wide incident may span many domains: the first ones tell the story, the count the rest. */
    static final int DOMAINS_LISTED = 10;
    /** Timeline texts longer than this are cut; the REST API has them whole. */
    static final int TEXT_MAX = 160;

    private static final String LABEL = "%-12s %s%n";

    private IncidentReport() {
    }

    /**
     * @param format false for {@code --no-format}: the accounts table without borders, for scripts
     */
    static void print(Incident i, PrintStream out, boolean format) {
        out.printf(LABEL, "Incident", i.id());
        out.printf(LABEL, "Status", status(i));
        out.printf(LABEL, "Kind", kind(i));
        out.println();
        out.printf(LABEL, "CAUSE", i.cause());
        Actor actor = i.cause() == null ? null : i.cause().actor();
        out.printf(LABEL, "ACTOR", actor == null ? "none: the cause is undetermined" : actor);
        out.println();

        out.println("Summary");
        out.println("  " + orDash(i.summary()));
        out.println();

        out.printf(LABEL, i.domain() != null ? "Domain" : "Domains", domains(i));
        out.printf(LABEL, "Provider", orDash(i.provider())
                + (i.family() == null || i.family().id().equalsIgnoreCase(i.provider()) ? "" : " (" + i.family() + ")"));
        out.printf(LABEL, "Period", HumanDuration.period(i.periodSeconds(), i.toleranceSeconds()));
        out.printf(LABEL, "First", orDash(i.firstAt()));
        out.printf(LABEL, "Last", orDash(i.lastAt()));
        out.println();

        out.println("Signatures");
        if (i.signatures().isEmpty()) {
            out.println("  none: the failures logged no error code");
        }
        for (String signature : i.signatures()) {
            out.println("  - " + signature);
        }
        out.println();

        out.println("Accounts (" + i.accounts().size() + ")");
        ShellTable accounts = new ShellTable();
        accounts.column("ID");
        accounts.column("Email");
        accounts.column("Provider");
        accounts.column("Failed at");
        accounts.column("Failures").alignRight();
        accounts.column("Signature");
        accounts.column("Interval");
        accounts.emptyTableText("no member accounts");
        for (IncidentMember m : i.accounts()) {
            accounts.addRow().addContent(m.accountId(), orDash(m.email()), orDash(m.provider()), orDash(m.failedAt()),
                    m.failures(), orDash(m.signature()),
                    m.intervalSeconds() == null ? "-" : HumanDuration.of(m.intervalSeconds()));
        }
        accounts.print(out, format);
        out.println();

        out.println("Timeline");
        for (String line : timeline(i)) {
            out.println("  " + line);
        }
    }

    private static String status(Incident i) {
        StringBuilder s = new StringBuilder(i.status() == null ? "-" : i.status().wireName());
        if (i.status() == IncidentStatus.CLOSED && i.closedAt() != null) {
            s.append(" since ").append(i.closedAt());
        }
        if (i.reopenCount() > 0) {
            s.append(", reopened ").append(i.reopenCount()).append(i.reopenCount() == 1 ? " time" : " times");
        }
        return s.toString();
    }

    private static String kind(Incident i) {
        if (i.kind() == null) {
            return "-";
        }
        return IncidentsCommand.kindName(i.kind()) + switch (i.kind()) {
            case PROVIDER_WIDE -> " (one provider, several unrelated domains, one window)";
            case SAME_MOMENT -> " (accounts of one domain failed within minutes)";
            case RECURRING -> " (accounts of one domain fail a fixed time after each sign-in)";
            case SCHEDULE -> " (a provider schedule across domains)";
            case FLAPPING -> " (one account fails again soon after each re-authentication)";
        };
    }

    private static String domains(Incident i) {
        if (i.domain() != null) {
            return i.domain();
        }
        List<String> all = i.domains();
        if (all.isEmpty()) {
            return "-";
        }
        List<String> shown = all.subList(0, Math.min(all.size(), DOMAINS_LISTED));
        return all.size() + (all.size() == 1 ? " domain: " : " domains: ") + String.join(", ", shown)
                + (all.size() > shown.size() ? " and " + (all.size() - shown.size()) + " more" : "");
    }

    /**
     * The members' failures in time order, from the incident's evidence. The evidence is bounded: when it holds
     * fewer items than the members' failures, a last line says how many are shown. An incident without evidence
     * still has its members' first and latest failures.
     */
    static List<String> timeline(Incident i) {
        List<String> lines = new ArrayList<>();
        int failures = i.accounts().stream().mapToInt(IncidentMember::failures).sum();
        if (!i.evidence().isEmpty()) {
            List<EvidenceItem> items = new ArrayList<>(i.evidence());
            items.sort(Comparator.comparing(EvidenceItem::timestamp, Comparator.nullsLast(Comparator.naturalOrder())));
            for (EvidenceItem item : items) {
                lines.add(String.format(Locale.ROOT, "%-20s  %-9s %s", item.timestamp() == null ? "(no time)"
                        : item.timestamp().toString(), orDash(item.source()), cut(orDash(item.text()))));
            }
            if (items.size() < failures) {
                lines.add("(" + items.size() + " of the members' " + failures + " failures are kept as evidence)");
            }
            return lines;
        }
        record Failure(Instant at, String text) {
        }
        List<Failure> fromMembers = new ArrayList<>();
        for (IncidentMember m : i.accounts()) {
            String who = m.email() != null ? m.email() : m.accountId();
            String code = m.signature() == null ? "" : " (" + m.signature() + ")";
            if (m.failedAt() != null) {
                fromMembers.add(new Failure(m.failedAt(), who + " failed" + code));
            }
            if (m.lastFailedAt() != null && !m.lastFailedAt().equals(m.failedAt())) {
                fromMembers.add(new Failure(m.lastFailedAt(), who + " failed again (" + m.failures()
                        + " failures in all)" + code));
            }
        }
        fromMembers.sort(Comparator.comparing(Failure::at));
        for (Failure f : fromMembers) {
            lines.add(String.format(Locale.ROOT, "%-20s  %-9s %s", f.at(), "members", f.text()));
        }
        if (lines.isEmpty()) {
            lines.add("none");
        }
        return lines;
    }

    private static String cut(String text) {
        String one = text.replaceAll("\\s+", " ");
        return one.length() <= TEXT_MAX ? one : one.substring(0, TEXT_MAX - 1) + "…";
    }

    static String orDash(Object value) {
        return value == null || value.toString().isBlank() ? "-" : value.toString();
    }
}
