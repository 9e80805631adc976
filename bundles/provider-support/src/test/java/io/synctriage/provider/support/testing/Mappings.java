package io.synctriage.provider.support.testing;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.synctriage.model.Cause;
import io.synctriage.model.Subject;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Match;
import io.synctriage.model.spi.ProviderCheck;
import io.synctriage.provider.support.Signature;
import io.synctriage.provider.support.SignatureTable;
import io.synctriage.provider.support.Term;
import io.synctriage.provider.support.Text;

/**
 * Table-driven classify tests of the provider bundles: each provider lists its own expectations
 * (written independently of its shipped table) as {@link Row}s, and these helpers check them and the
 * table's self-consistency, reporting every failing row at once.
 */
public final class Mappings {

    /** A logged line (OAuth error field and message) and the best match it must give. */
    public record Row(String error, String text, Cause cause, ErrorKind kind, boolean specific) {

        String describe() {
            return error == null ? text : error + " " + text;
        }
    }

    private Mappings() {
    }

    /** A message without an OAuth error field. */
    public static Row row(String text, Cause cause, ErrorKind kind, boolean specific) {
        return new Row(null, text, cause, kind, specific);
    }

    public static Row row(String error, String text, Cause cause, ErrorKind kind, boolean specific) {
        return new Row(error, text, cause, kind, specific);
    }

    /** Fails listing every row whose best match has another cause, kind or specificity, or none. */
    public static void assertEveryRow(ProviderCheck check, Subject subject, List<Row> rows) {
        List<String> failures = new ArrayList<>();
        for (Row r : rows) {
            List<Match> m = check.classify(r.error(), r.text(), subject);
            if (m.isEmpty()) {
                failures.add("no match: " + r.describe());
                continue;
            }
            Match best = m.get(0);
            if (best.cause() != r.cause() || best.kind() != r.kind() || best.specific() != r.specific()) {
                failures.add(r.describe() + " → " + best.cause() + "/" + best.kind() + "/" + best.specific()
                        + ", expected " + r.cause() + "/" + r.kind() + "/" + r.specific());
            }
        }
        assertTrue(String.join("\n", failures), failures.isEmpty());
    }

    /**
     * Self-consistency of a shipped table: each row is found by a natural sample of its own first
     * term (so a new one-line row is exercised without touching the provider's test).
     *
     * @param singleTermOnly skip rows with more than one term (their qualifiers need a context the
     *                       sample does not give)
     */
    public static void assertRowsMatchOwnSamples(SignatureTable table, Subject subject, boolean singleTermOnly) {
        List<String> failures = new ArrayList<>();
        for (Signature s : table.signatures()) {
            String sample = sample(s.terms().get(0));
            if (sample == null || singleTermOnly && s.terms().size() > 1) {
                continue;
            }
            if (!table.find(Text.of(sample), subject).contains(s)) {
                failures.add("line " + s.line() + " " + s.label() + " not found by '" + sample + "'");
            }
        }
        assertTrue(String.join("\n", failures), failures.isEmpty());
        assertFalse(table.signatures().isEmpty());
    }

    /** A logged line a term holds for, or null for terms without a natural sample (regex, subject). */
    public static String sample(Term t) {
        String v = t.values().get(0);
        return switch (t.type()) {
            case AADSTS -> "AADSTS" + v + ": sample";
            case EAS_STATUS -> "Status " + v;
            case HTTP -> "HTTP " + v;
            case TOKEN, TEXT -> "x " + v + " y";
            case IMAP_CODE -> "a1 NO [" + v + "] sample";
            default -> null;
        };
    }
}
