package io.synctriage.provider.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.synctriage.model.Subject;

/**
 * The rows of a {@link SignatureTable}, indexed so that a logged line is tested only against the
 * rows it could match. A table has a hundred rows and most lines match none, so testing every row
 * (dozens of regular expressions) per line was where diagnoses spent their time.
 *
 * <p>Each row gets a <em>key</em> from one of its positive terms, something the row cannot match
 * without: a code ({@code aadsts:70043} → 70043 among the text's AADSTS codes) or a set of
 * lower-case literals (a phrase, a token, {@code [alert}, the literals a regex cannot match
 * without, see {@link Literals}). A line's candidate rows are those whose key it has: codes are map
 * look-ups, literals are found in one pass over the lower-cased text (literals bucketed by a hash
 * of their first three characters). Rows without a usable key are always candidates. Candidates are then
 * tested in full, in table order, so the answer is exactly that of testing every row.
 *
 * <p>Literal keys hold only for ASCII texts (see {@link Term}); a text with other characters is
 * tested against every row, as before.
 */
final class Index {

    /** Literal buckets, by the low bits of a {@link #trigram}; a collision only costs a startsWith. */
    static final int BUCKETS = 4096;
    /** The number of distinct {@link #trigram}s. */
    static final int TRIGRAMS = 1 << 15;
    /** Largest step of the literal scan (an entry's offset must fit in its low 8 bits). */
    private static final int MAX_STRIDE = 8;

    /** A row with its terms in the order they are cheapest to test. */
    private record Row(Signature signature, Term[] terms) {
        boolean matches(Text text, Subject subject) {
            for (Term t : terms) {
                if (!t.test(text, subject)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Row[] rows;
    /** Rows (indexes) keyed by an AADSTS / EAS status / HTTP code. */
    private final Map<Integer, int[]> byAadsts;
    private final Map<Integer, int[]> byEas;
    private final Map<Integer, int[]> byHttp;
    /** Distinct literals, and for each the rows it keys. */
    private final String[] literals;
    /** The literals as ASCII bytes (literals are lower-case ASCII, see {@link Literals#usable}). */
    private final byte[][] literalBytes;
    private final int[][] literalRows;
    /**
     * Per bucket (the low bits of a {@link #trigram}), the literals having that trigram at an offset below
     * {@link #stride}, each entry {@code literal << 8 | offset}.
     */
    private final int[][] buckets;
    /**
     * How far the scan steps: the shortest literal less two. Every occurrence of a literal has a trigram
     * at each of its first {@code stride} offsets, so probing every {@code stride}-th position of the text
     * still meets each occurrence once, at one of those offsets.
     */
    private final int stride;
    /** Bit {@code t} is set when a literal has the {@link #trigram} {@code t} at an offset below the stride. */
    private final long[] trigrams = new long[TRIGRAMS / 64];
    /** Rows without a key: always tested. */
    private final int[] always;
    /** A first look at plain texts that rules out most of them without preparing a {@link Text}. */
    private final FirstLook plain;

    Index(List<Signature> signatures) {
        rows = new Row[signatures.size()];
        Map<Integer, List<Integer>> aadsts = new HashMap<>();
        Map<Integer, List<Integer>> eas = new HashMap<>();
        Map<Integer, List<Integer>> http = new HashMap<>();
        Map<String, List<Integer>> lits = new LinkedHashMap<>();
        List<Integer> unkeyed = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            Signature s = signatures.get(i);
            Term[] ordered = s.terms().toArray(new Term[0]);
            // stable: equal costs keep the table's order
            Arrays.sort(ordered, Comparator.comparingInt(Term::cost));
            rows[i] = new Row(s, ordered);
            Term key = key(s);
            if (key == null) {
                unkeyed.add(i);
                continue;
            }
            switch (key.type()) {
                case AADSTS -> addCodes(aadsts, key, i);
                case EAS_STATUS -> addCodes(eas, key, i);
                case HTTP -> addCodes(http, key, i);
                default -> {
                    for (String l : key.literals()) {
                        lits.computeIfAbsent(l, k -> new ArrayList<>()).add(i);
                    }
                }
            }
        }
        byAadsts = freeze(aadsts);
        byEas = freeze(eas);
        byHttp = freeze(http);
        literals = lits.keySet().toArray(new String[0]);
        literalBytes = new byte[literals.length][];
        for (int l = 0; l < literals.length; l++) {
            literalBytes[l] = literals[l].getBytes(StandardCharsets.US_ASCII);
        }
        literalRows = new int[literals.length][];
        int shortest = Integer.MAX_VALUE;
        for (String l : literals) {
            shortest = Math.min(shortest, l.length());
        }
        // literals have at least three characters (Literals.MIN_LENGTH); the cap keeps the buckets sparse
        stride = Math.max(1, Math.min(MAX_STRIDE, shortest - 2));
        List<List<Integer>> bucketLists = new ArrayList<>();
        for (int b = 0; b < BUCKETS; b++) {
            bucketLists.add(null);
        }
        for (int l = 0; l < literals.length; l++) {
            literalRows[l] = toArray(lits.get(literals[l]));
            for (int k = 0; k < stride; k++) {
                int t = trigram(literals[l].charAt(k), literals[l].charAt(k + 1), literals[l].charAt(k + 2));
                trigrams[t >>> 6] |= 1L << t;
                int b = t & (BUCKETS - 1);
                if (bucketLists.get(b) == null) {
                    bucketLists.set(b, new ArrayList<>());
                }
                bucketLists.get(b).add(l << 8 | k);
            }
        }
        buckets = new int[BUCKETS][];
        for (int b = 0; b < BUCKETS; b++) {
            if (bucketLists.get(b) != null) {
                buckets[b] = toArray(bucketLists.get(b));
            }
        }
        always = toArray(unkeyed);
        plain = new FirstLook(literals, always.length > 0, !byAadsts.isEmpty(), !byEas.isEmpty() || !byHttp.isEmpty(),
                byHttp.keySet());
    }

    /**
     * Whether {@link #find} could find a row for the text {@code Text.of(s)}, {@code s} being one trimmed
     * logged field: false only when it surely finds none. See {@link FirstLook}.
     */
    boolean mayMatchPlain(String s) {
        return plain.mayMatch(s);
    }

    /** The positive term that keys the row best: a code, else the most selective literals; null if none. */
    private static Term key(Signature s) {
        Term best = null;
        int bestScore = Integer.MIN_VALUE;
        for (Term t : s.terms()) {
            if (t.negated()) {
                continue;
            }
            int score;
            if (t.numberArray().length > 0) {
                score = Integer.MAX_VALUE;
            } else if (t.literals() != null) {
                score = Literals.score(t.literals());
            } else {
                continue;
            }
            if (score > bestScore) {
                best = t;
                bestScore = score;
            }
        }
        return best;
    }

    private static void addCodes(Map<Integer, List<Integer>> into, Term key, int row) {
        for (int n : key.numberArray()) {
            List<Integer> l = into.computeIfAbsent(n, k -> new ArrayList<>());
            if (l.isEmpty() || l.get(l.size() - 1) != row) {
                l.add(row);
            }
        }
    }

    private static Map<Integer, int[]> freeze(Map<Integer, List<Integer>> m) {
        Map<Integer, int[]> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, toArray(v)));
        return Map.copyOf(out);
    }

    private static int[] toArray(List<Integer> l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    /** The rows that hold for the text, in table order. */
    List<Signature> find(Text text, Subject subject) {
        List<Signature> hits = null;
        if (!text.ascii()) {
            for (Row r : rows) {
                if (r.matches(text, subject)) {
                    hits = add(hits, r.signature());
                }
            }
            return hits == null ? List.of() : hits;
        }
        boolean[] candidate = null;
        candidate = mark(candidate, always);
        candidate = markCodes(candidate, byAadsts, byAadsts.isEmpty() ? Set.of() : text.aadsts());
        candidate = markCodes(candidate, byEas, byEas.isEmpty() ? Set.of() : text.easStatus());
        candidate = markCodes(candidate, byHttp, byHttp.isEmpty() ? Set.of() : text.http());
        candidate = markLiterals(candidate, text.lowerAscii());
        if (candidate == null) {
            return List.of();
        }
        for (int i = 0; i < rows.length; i++) {
            if (candidate[i] && rows[i].matches(text, subject)) {
                hits = add(hits, rows[i].signature());
            }
        }
        return hits == null ? List.of() : hits;
    }

    private static List<Signature> add(List<Signature> hits, Signature s) {
        List<Signature> out = hits == null ? new ArrayList<>(4) : hits;
        out.add(s);
        return out;
    }

    private boolean[] mark(boolean[] candidate, int[] which) {
        if (which.length == 0) {
            return candidate;
        }
        boolean[] c = candidate == null ? new boolean[rows.length] : candidate;
        for (int i : which) {
            c[i] = true;
        }
        return c;
    }

    private boolean[] markCodes(boolean[] candidate, Map<Integer, int[]> byCode, Set<Integer> codes) {
        if (codes.isEmpty()) {
            return candidate; // the usual case: no iterator
        }
        boolean[] c = candidate;
        for (Integer code : codes) {
            int[] which = byCode.get(code);
            if (which != null) {
                c = mark(c, which);
            }
        }
        return c;
    }

    /**
     * Three characters as 15 bits, the low five bits of each: a literal's trigram and the text's are
     * compared without multiplying, and an ASCII letter and its upper case (they differ in bit 0x20 only)
     * fall on the same one, so a text need not be lower-cased to be probed. Other characters share them
     * too (digits with p-y, '@' with ' '): that only costs a comparison.
     */
    static int trigram(int c1, int c2, int c3) {
        return (c1 & 0x1f) << 10 | (c2 & 0x1f) << 5 | c3 & 0x1f;
    }

    /**
     * Marks the rows keyed by a literal the text contains. Only every {@link #stride}-th position is probed
     * (see there); a bit of the trigram bitmap is tested before the bucket array is touched (almost all
     * trigrams are no literal's), and an entry names where its literal would start.
     */
    private boolean[] markLiterals(boolean[] candidate, byte[] lower) {
        boolean[] c = candidate;
        boolean[] found = null;
        int n = lower.length - 2;
        int step = stride;
        for (int j = 0; j < n; j += step) {
            int t = trigram(lower[j], lower[j + 1], lower[j + 2]);
            if ((trigrams[t >>> 6] & (1L << t)) == 0) {
                continue;
            }
            for (int e : buckets[t & (BUCKETS - 1)]) {
                int l = e >>> 8;
                int at = j - (e & 0xff);
                if (at >= 0 && (found == null || !found[l]) && startsWith(lower, at, literalBytes[l])) {
                    if (found == null) {
                        found = new boolean[literals.length];
                    }
                    found[l] = true;
                    c = mark(c, literalRows[l]);
                }
            }
        }
        return c;
    }

    private static boolean startsWith(byte[] text, int at, byte[] literal) {
        if (at + literal.length > text.length) {
            return false;
        }
        for (int k = 0; k < literal.length; k++) {
            if (text[at + k] != literal[k]) {
                return false;
            }
        }
        return true;
    }
}
