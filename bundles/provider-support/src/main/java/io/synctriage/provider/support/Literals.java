package io.synctriage.provider.support;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Necessary literals of a term: lower-case ASCII strings of which at least one occurs in the
 * lower-cased text of <em>every</em> ASCII text the term can match. They let the matcher skip a
 * row (and its regular expression) with a few {@code indexOf}s or one pass over the text: most
 * logged lines are benign and contain none of them.
 *
 * <p>The regex analysis is deliberately conservative: it understands literal characters, escaped
 * punctuation, groups, alternation and quantifiers; anything else (character classes, {@code .},
 * {@code \d}, look-arounds, back-references, inline flags) contributes no literal, and a construct
 * it does not know gives up on the whole expression ({@code null}: no prefilter, always evaluate).
 * Wrongly returning a literal would silently drop matches, so every doubt returns less.
 */
final class Literals {

    /** Literals shorter than this are useless as a filter (and the table index hashes three characters). */
    static final int MIN_LENGTH = 3;

    private Literals() {
    }

    /**
     * The literal alternatives of the values (a TEXT/TOKEN value, or {@code prefix + value} for IMAP
     * codes), or null when one of them is not usable (non-ASCII or too short).
     */
    static List<String> ofValues(String prefix, List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            String lit = (prefix + v).toLowerCase(Locale.ROOT);
            if (!usable(lit)) {
                return null;
            }
            out.add(lit);
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /** The literal alternatives every match of the (case-insensitive) regex contains, or null. */
    static List<String> ofRegex(String regex) {
        try {
            Parser p = new Parser(regex);
            Set<String> req = p.alternation();
            if (p.pos != regex.length() || req == null || req.isEmpty()) {
                return null;
            }
            for (String s : req) {
                if (!usable(s)) {
                    return null;
                }
            }
            return List.copyOf(req);
        } catch (Unsupported e) {
            return null;
        }
    }

    static boolean usable(String lit) {
        if (lit.length() < MIN_LENGTH) {
            return false;
        }
        for (int i = 0; i < lit.length(); i++) {
            char c = lit.charAt(i);
            if (c >= 128 || Character.isUpperCase(c)) {
                return false;
            }
        }
        return true;
    }

    /** Quality of a literal set as a filter: longer shortest literal first, then fewer alternatives. */
    static int score(List<String> lits) {
        int min = Integer.MAX_VALUE;
        for (String s : lits) {
            min = Math.min(min, s.length());
        }
        return min * 64 - Math.min(lits.size(), 63);
    }

    private static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** One element of a sequence: a mandatory literal character, a required set, or nothing known. */
    private record Atom(char literal, Set<String> req, boolean isChar) {
        static final Atom NONE = new Atom('\0', null, false);
    }

    /**
     * Recursive descent over the supported subset. {@code alternation()} returns a set R such that
     * every match contains one element of R, or null for "unknown".
     */
    private static final class Parser {
        private final String re;
        private int pos;

        Parser(String re) {
            this.re = re;
        }

        Set<String> alternation() {
            Set<String> all = new LinkedHashSet<>();
            boolean unknown = false;
            while (true) {
                Set<String> s = sequence();
                if (s == null) {
                    unknown = true;
                } else {
                    all.addAll(s);
                }
                if (pos < re.length() && re.charAt(pos) == '|') {
                    pos++;
                    continue;
                }
                return unknown ? null : all;
            }
        }

        private Set<String> sequence() {
            List<Atom> atoms = new ArrayList<>();
            while (pos < re.length()) {
                char c = re.charAt(pos);
                if (c == '|' || c == ')') {
                    break;
                }
                Atom a = atom();
                // A quantifier applies to the atom just read.
                if (pos < re.length()) {
                    char q = re.charAt(pos);
                    if (q == '?' || q == '*') {
                        pos++;
                        a = Atom.NONE;
                        lazyOrPossessive();
                    } else if (q == '+') {
                        pos++;
                        // One or more: the atom occurs, but repeated characters are no longer adjacent
                        // to their neighbours in a known way.
                        a = a.isChar() ? new Atom('\0', Set.of(String.valueOf(a.literal())), false) : a;
                        lazyOrPossessive();
                    } else if (q == '{') {
                        int close = re.indexOf('}', pos);
                        if (close < 0) {
                            throw new Unsupported();
                        }
                        String body = re.substring(pos + 1, close);
                        pos = close + 1;
                        int min;
                        try {
                            min = Integer.parseInt(body.contains(",") ? body.substring(0, body.indexOf(',')).trim()
                                    : body.trim());
                        } catch (NumberFormatException e) {
                            throw new Unsupported();
                        }
                        if (min == 0) {
                            a = Atom.NONE;
                        } else if (a.isChar()) {
                            a = new Atom('\0', Set.of(String.valueOf(a.literal())), false);
                        }
                        lazyOrPossessive();
                    }
                }
                atoms.add(a);
            }
            // Runs of mandatory characters are literals; any run or required group is necessary.
            Set<String> best = null;
            StringBuilder run = new StringBuilder();
            for (int i = 0; i <= atoms.size(); i++) {
                Atom a = i < atoms.size() ? atoms.get(i) : null;
                if (a != null && a.isChar()) {
                    run.append(a.literal());
                    continue;
                }
                if (run.length() > 0) {
                    best = better(best, Set.of(run.toString()));
                    run.setLength(0);
                }
                if (a != null && a.req() != null) {
                    best = better(best, a.req());
                }
            }
            return best;
        }

        private void lazyOrPossessive() {
            if (pos < re.length() && (re.charAt(pos) == '?' || re.charAt(pos) == '+')) {
                pos++;
            }
        }

        private static Set<String> better(Set<String> a, Set<String> b) {
            if (a == null) {
                return b;
            }
            for (String s : b) {
                if (!usable(s)) {
                    return a;
                }
            }
            for (String s : a) {
                if (!usable(s)) {
                    return b;
                }
            }
            return score(List.copyOf(b)) > score(List.copyOf(a)) ? b : a;
        }

        private Atom atom() {
            char c = re.charAt(pos++);
            switch (c) {
                case '(' -> {
                    boolean lookaround = false;
                    if (pos < re.length() && re.charAt(pos) == '?') {
                        if (re.startsWith("?:", pos)) {
                            pos += 2;
                        } else if (re.startsWith("?=", pos) || re.startsWith("?!", pos)) {
                            pos += 2;
                            lookaround = true;
                        } else if (re.startsWith("?<=", pos) || re.startsWith("?<!", pos)) {
                            pos += 3;
                            lookaround = true;
                        } else {
                            // named groups, inline flags, atomic groups: not worth the risk
                            throw new Unsupported();
                        }
                    }
                    Set<String> inner = alternation();
                    if (pos >= re.length() || re.charAt(pos) != ')') {
                        throw new Unsupported();
                    }
                    pos++;
                    return lookaround ? Atom.NONE : new Atom('\0', inner, false);
                }
                case '[' -> {
                    skipClass();
                    return Atom.NONE;
                }
                case '.', '^', '$' -> {
                    return Atom.NONE;
                }
                case '\\' -> {
                    if (pos >= re.length()) {
                        throw new Unsupported();
                    }
                    char e = re.charAt(pos++);
                    if ("dDsSwWbB".indexOf(e) >= 0) {
                        return Atom.NONE;
                    }
                    if (e < 128 && !Character.isLetterOrDigit(e)) {
                        return literal(e);
                    }
                    throw new Unsupported();
                }
                case '?', '*', '+', '{', '|', ')' -> throw new Unsupported();
                default -> {
                    return literal(c);
                }
            }
        }

        private Atom literal(char c) {
            if (c >= 128) {
                return Atom.NONE;
            }
            return new Atom(Character.toLowerCase(c), null, true);
        }

        private void skipClass() {
            if (pos < re.length() && re.charAt(pos) == '^') {
                pos++;
            }
            if (pos < re.length() && re.charAt(pos) == ']') {
                pos++;
            }
            while (pos < re.length()) {
                char c = re.charAt(pos++);
                if (c == '\\') {
                    pos++;
                } else if (c == '[' || c == '&') {
                    throw new Unsupported();
                } else if (c == ']') {
                    return;
                }
            }
            throw new Unsupported();
        }
    }
}
