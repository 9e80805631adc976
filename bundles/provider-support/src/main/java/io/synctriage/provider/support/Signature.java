package io.synctriage.provider.support;

import java.util.List;
import java.util.Set;

import io.synctriage.model.Alternative;
import io.synctriage.model.Cause;
import io.synctriage.model.Subject;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Match;

/**
 * One row of a provider's signature table.
 *
 * @param line         line number in the table (for messages and stable ordering)
 * @param terms        the conditions, all of which must hold (at least one is positive)
 * @param cause        the cause it names; null for {@link SignatureLevel#INFO} rows
 * @param kind         the kind of failure
 * @param level        how strongly it names the cause
 * @param confidence   in [0, 1]
 * @param alternatives other causes it may mean, best first
 * @param tags         names of the context rules and trace steps that apply to it
 * @param label        the signature as a person names it (e.g. {@code AADSTS70043 BadTokenDueToSignInFrequency})
 */
public record Signature(int line, List<Term> terms, Cause cause, ErrorKind kind, SignatureLevel level,
                        double confidence, List<Alternative> alternatives, Set<String> tags, String label) {

    public Signature {
        terms = List.copyOf(terms);
        alternatives = List.copyOf(alternatives);
        tags = Set.copyOf(tags);
    }

    /** Whether every term holds for this text logged by this subject. */
    public boolean matches(Text text, Subject subject) {
        for (Term t : terms) {
            if (!t.test(text, subject)) {
                return false;
            }
        }
        return true;
    }

    /** Number of non-negated terms: a row with more qualifiers is more specific. */
    public int positiveTerms() {
        int n = 0;
        for (Term t : terms) {
            if (!t.negated()) {
                n++;
            }
        }
        return n;
    }

    public boolean hasTag(String tag) {
        return tags.contains(tag);
    }

    public boolean specific() {
        return level == SignatureLevel.SPECIFIC;
    }

    /** The SPI form. */
    public Match toMatch() {
        return new Match(label, cause, kind, specific(), confidence, alternatives);
    }
}
