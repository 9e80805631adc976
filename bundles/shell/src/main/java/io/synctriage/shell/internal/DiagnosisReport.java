package io.synctriage.shell.internal;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.support.table.ShellTable;

import io.synctriage.model.Alternative;
import io.synctriage.model.Checks;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.TraceStep;

/**
 * A diagnosis as text for a support engineer: who and what first, then cause and actor (the answer),
 * what to do, why (evidence, alternatives, gaps), and the decision trace as a table.
 */
final class DiagnosisReport {

    /** Trace details longer than this are cut in the table; the REST API has them whole. */
    static final int DETAIL_MAX = 100;

    private static final String LABEL = "%-12s %s%n";

    private DiagnosisReport() {
    }

    /**
     * @param format false for {@code --no-format}: the trace table without borders, for scripts
     */
    static void print(Diagnosis d, PrintStream out, boolean format) {
        out.printf(LABEL, "Account", d.accountId() + (d.email() == null ? "" : " <" + d.email() + ">"));
        out.printf(LABEL, "State", orDash(d.state()) + (d.stateChangeAt() == null ? "" : " since " + d.stateChangeAt()));
        out.printf(LABEL, "Provider", orDash(d.provider()));
        out.println();
        out.printf(LABEL, "CAUSE", d.cause());
        out.printf(LABEL, "ACTOR", d.actor() == null ? "none: the cause is undetermined" : d.actor());
        out.printf(LABEL, "Confidence", String.format(Locale.ROOT, "%.2f", d.confidence()));
        out.println();

        out.println("Summary");
        out.println("  " + orDash(d.summary()));
        out.println();

        out.println(d.actor() == null ? "Remediation" : "Remediation (for " + d.actor() + ")");
        if (d.remediation().isEmpty()) {
            out.println("  none");
        }
        for (int i = 0; i < d.remediation().size(); i++) {
            out.println("  " + (i + 1) + ". " + d.remediation().get(i));
        }
        out.println();

        out.println("Evidence");
        if (d.evidence().isEmpty()) {
            out.println("  none");
        }
        for (EvidenceItem item : d.evidence()) {
            out.println("  " + evidenceLine(item));
        }
        out.println();

        out.println("Alternatives");
        if (d.alternatives().isEmpty()) {
            out.println("  none");
        }
        for (Alternative alternative : d.alternatives()) {
            out.println(String.format(Locale.ROOT, "  %-32s %.2f", alternative.cause(), alternative.confidence()));
        }
        out.println();

        bulleted(out, "Missing", d.missing());
        bulleted(out, "Next steps", d.nextSteps());

        out.printf(LABEL, "Checks", checksLine(d.checks(), d.provider()));
        out.println();

        out.println("Trace");
        ShellTable trace = new ShellTable();
        trace.column("Step");
        trace.column("Answer");
        trace.column("Detail").maxSize(DETAIL_MAX);
        trace.emptyTableText("no steps were recorded");
        for (TraceStep step : d.trace()) {
            trace.addRow().addContent(step.step(), step.answer(), orDash(step.detail()));
        }
        trace.print(out, format);
    }

    private static void bulleted(PrintStream out, String title, List<String> lines) {
        out.println(title);
        if (lines.isEmpty()) {
            out.println("  none");
        }
        for (String line : lines) {
            out.println("  - " + line);
        }
        out.println();
    }

    private static String evidenceLine(EvidenceItem item) {
        Instant at = item.timestamp();
        return String.format(Locale.ROOT, "%-20s  %-9s %s", at == null ? "(no time)" : at.toString(),
                orDash(item.source()), orDash(item.text()));
    }

    private static String checksLine(Checks checks, String provider) {
        if (checks != null && checks.bundle() != null) {
            return checks.provider() + ": " + checks.bundle() + (checks.version() == null ? "" : " " + checks.version());
        }
        String family = checks != null && checks.provider() != null ? checks.provider() : provider;
        return family == null
                ? "none: the provider is unknown, only the generic steps ran"
                : "none: no provider check bundle for " + family + " is active, only the generic steps ran";
    }

    private static String orDash(Object value) {
        return value == null || value.toString().isBlank() ? "-" : value.toString();
    }
}
