package io.synctriage.provider.support;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.synctriage.model.Subject;

/**
 * One condition of a signature row: {@code [!]type:value[|value...]}. Alternatives separated by
 * {@code |} are allowed for every type except {@code regex} (whose own syntax uses {@code |}).
 * A leading {@code !} negates the term.
 */
public final class Term {

    private final MatchType type;
    private final boolean negated;
    private final List<String> values;
    private final Set<Integer> numbers;
    private final Pattern pattern;
    /** The numbers as an array: tested on every line, so no iterator. */
    private final int[] numberArray;
    /**
     * Lower-case literals of which every ASCII text this term holds for contains one (null: none
     * known). Checked with {@code contains} before the regular expression runs.
     */
    private final List<String> literals;

    private Term(MatchType type, boolean negated, List<String> values, Set<Integer> numbers, Pattern pattern) {
        this.type = type;
        this.negated = negated;
        this.values = List.copyOf(values);
        this.numbers = Set.copyOf(numbers);
        this.pattern = pattern;
        this.numberArray = numbers.stream().mapToInt(Integer::intValue).toArray();
        this.literals = switch (type) {
            // TOKEN and IMAP_CODE patterns are quoted values, case-insensitive: the value itself is
            // necessary. TEXT is a plain contains already, so it needs no prefilter, but its values
            // serve as the row's index key (see SignatureTable).
            case TEXT, TOKEN -> Literals.ofValues("", this.values);
            case IMAP_CODE -> Literals.ofValues("[", this.values);
            case REGEX -> Literals.ofRegex(this.values.get(0));
            default -> null;
        };
    }

    /**
     * Parses one term.
     *
     * @throws IllegalArgumentException when the type is unknown, a value is empty, a number is not a
     *                                  number or a regex does not compile
     */
    public static Term parse(String spec) {
        String s = spec.trim();
        boolean negated = s.startsWith("!");
        if (negated) {
            s = s.substring(1).trim();
        }
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("term '" + spec + "' must read type:value");
        }
        MatchType type = MatchType.fromId(s.substring(0, colon).trim().toLowerCase(Locale.ROOT));
        if (type == null) {
            throw new IllegalArgumentException("unknown match type in '" + spec + "'");
        }
        String value = s.substring(colon + 1).trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty value in '" + spec + "'");
        }
        List<String> values = new ArrayList<>();
        if (type == MatchType.REGEX) {
            values.add(value);
        } else {
            for (String v : value.split("\\|")) {
                String t = v.trim();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("empty alternative in '" + spec + "'");
                }
                values.add(t);
            }
        }
        Set<Integer> numbers = new LinkedHashSet<>();
        Pattern pattern = null;
        switch (type) {
            case AADSTS, EAS_STATUS, HTTP -> {
                for (String v : values) {
                    try {
                        numbers.add(Integer.parseInt(v));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + v + "' is not a number in '" + spec + "'");
                    }
                }
            }
            case TEXT -> values.replaceAll(Term::phrase);
            case PROVIDER, DOMAIN -> values.replaceAll(v -> v.toLowerCase(Locale.ROOT));
            case TOKEN -> pattern = Pattern.compile("(?<![A-Za-z0-9_])(?:" + quoted(values) + ")(?![A-Za-z0-9_])",
                    Pattern.CASE_INSENSITIVE);
            case IMAP_CODE -> pattern = Pattern.compile("\\[(?:" + quoted(values) + ")(?=[\\]\\s])",
                    Pattern.CASE_INSENSITIVE);
            case REGEX -> {
                try {
                    pattern = Pattern.compile(value, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("bad regex in '" + spec + "': " + e.getDescription());
                }
            }
            default -> throw new IllegalStateException(type.toString());
        }
        return new Term(type, negated, values, numbers, pattern);
    }

    /** A phrase as matched: normalised like a logged text, lower-cased, final full stop dropped. */
    private static String phrase(String v) {
        String p = Text.normalize(v).toLowerCase(Locale.ROOT);
        while (p.endsWith(".")) {
            p = p.substring(0, p.length() - 1).trim();
        }
        if (p.isEmpty()) {
            throw new IllegalArgumentException("phrase '" + v + "' is empty once normalised");
        }
        return p;
    }

    private static String quoted(List<String> values) {
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            if (b.length() > 0) {
                b.append('|');
            }
            b.append(Pattern.quote(v));
        }
        return b.toString();
    }

    /** Whether this term holds for the text logged by the subject (subject may be null). */
    public boolean test(Text text, Subject subject) {
        return negated != matches(text, subject);
    }

    private boolean matches(Text text, Subject subject) {
        switch (type) {
            case AADSTS:
                return intersects(text.aadsts());
            case EAS_STATUS:
                return intersects(text.easStatus());
            case HTTP:
                return intersects(text.http());
            case TEXT:
                for (String v : values) {
                    if (text.lower().contains(v)) {
                        return true;
                    }
                }
                return false;
            case TOKEN:
            case IMAP_CODE:
            case REGEX:
                // The literals are necessary only for ASCII texts: with UNICODE_CASE a regex letter
                // also matches a few non-ASCII letters (the Kelvin sign, the long s) that the
                // lower-cased text does not spell the same way.
                if (literals != null && text.ascii() && !text.containsAny(literals)) {
                    return false;
                }
                return pattern.matcher(text.normalized()).find();
            case PROVIDER: {
                String p = subject == null || subject.provider() == null ? null
                        : subject.provider().trim().toLowerCase(Locale.ROOT);
                return p != null && values.contains(p);
            }
            case DOMAIN: {
                String d = subject == null ? null : subject.domain();
                if (d == null) {
                    return false;
                }
                for (String v : values) {
                    if (d.equals(v) || d.endsWith("." + v)) {
                        return true;
                    }
                }
                return false;
            }
            default:
                throw new IllegalStateException(type.toString());
        }
    }

    private boolean intersects(Set<Integer> found) {
        if (found.isEmpty()) {
            return false;
        }
        for (int n : numberArray) {
            if (found.contains(n)) {
                return true;
            }
        }
        return false;
    }

    /** The numbers of a code term (AADSTS, EAS status, HTTP), as an array; empty for other types. */
    int[] numberArray() {
        return numberArray;
    }

    /** See {@link #literals}; null when none are known. */
    List<String> literals() {
        return literals;
    }

    /**
     * Relative cost of {@link #test}: set lookups and subject attributes first, phrases next, regular
     * expressions last. A row's terms are a conjunction of pure tests, so their order of evaluation
     * does not change the answer, only how soon a false one stops it.
     */
    int cost() {
        return switch (type) {
            case AADSTS, EAS_STATUS, HTTP -> 0;
            case PROVIDER, DOMAIN -> 1;
            case TEXT -> 2;
            case TOKEN, IMAP_CODE -> 3;
            case REGEX -> 4;
        };
    }

    public MatchType type() {
        return type;
    }

    public boolean negated() {
        return negated;
    }

    /** The values as matched (phrases normalised and lower-cased). */
    public List<String> values() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Term t && t.type == type && t.negated == negated && t.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, negated, values);
    }

    @Override
    public String toString() {
        return (negated ? "!" : "") + type.id() + ":" + String.join("|", values);
    }
}
