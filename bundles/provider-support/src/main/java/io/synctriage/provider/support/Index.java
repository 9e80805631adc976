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

    /** Literal buckets, hashed by the first three characters; a collision only costs a startsWith. */
    private static final int BUCKETS = 4096;
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
     * Per hash of three ASCII characters, the literals having them at an offset below {@link #stride}, each
     * entry {@code literal << 8 | offset}.
     */
    private final int[][] buckets;
    /**
     * How far the scan steps: the shortest literal less two. Every occurrence of a literal has a trigram
     * at each of its first {@code stride} offsets, so probing every {@code stride}-th position of the text
     * still meets each occurrence once, at one of those offsets.
     */
    private final int stride;
    /** Bit {@code b} is set when {@code buckets[b]} is not null. */
    private final long[] occupied = new long[BUCKETS / 64];
    /** Rows without a key: always tested. */
    private final int[] always;
    /** A first look at plain texts that rules out most of them without preparing a {@link Text}. */
    private final Plain plain;

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
                int b = bucket(literals[l].charAt(k), literals[l].charAt(k + 1), literals[l].charAt(k + 2));
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
                occupied[b >>> 6] |= 1L << b;
            }
        }
        always = toArray(unkeyed);
        plain = new Plain(literals, always.length > 0, !byAadsts.isEmpty(), !byEas.isEmpty() || !byHttp.isEmpty());
    }

    /**
     * Whether {@link #find} could find a row for the text {@code Text.of(s)}, {@code s} being one trimmed
     * logged field: false only when it surely finds none. See {@link Plain}.
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

    private static int bucket(int c1, int c2, int c3) {
        return ((c1 * 31 + c2) * 31 + c3) & (BUCKETS - 1);
    }

    /**
     * Marks the rows keyed by a literal the text contains. Only every {@link #stride}-th position is probed
     * (see there); a bit of the small occupancy bitmap is tested before the bucket array is touched (almost
     * all buckets are empty), and an entry names where its literal would start.
     */
    private boolean[] markLiterals(boolean[] candidate, byte[] lower) {
        boolean[] c = candidate;
        boolean[] found = null;
        int n = lower.length - 2;
        int step = stride;
        for (int j = 0; j < n; j += step) {
            int b = bucket(lower[j], lower[j + 1], lower[j + 2]);
            if ((occupied[b >>> 6] & (1L << b)) == 0) {
                continue;
            }
            for (int e : buckets[b]) {
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

    /**
     * The index's first look at a logged text, before any {@link Text} is prepared: most lines of a log
     * are benign, and for them the full preparation (a copy, lower-casing, the code sets, a second pass
     * for the literals) buys nothing. For a <em>plain</em> text (ASCII, nothing to unescape, whitespace
     * already single: {@code Text.of} leaves it as it is), one read can answer "no candidate row", and
     * answers it only when {@link Index#find} would have none, that is when:
     * <ul>
     *   <li>no literal key occurs in it, lower-cased (the stride scan of {@link Index#markLiterals}, in
     *       the same pass);</li>
     *   <li>for AADSTS rows: no digit, or neither "aadsts" nor "error" (Text.aadsts() needs both a digit
     *       and one of them; they are scanned with the literals);</li>
     *   <li>for EAS status and HTTP rows: no three digits in a row starting with 1, 4 or 5 (Text
     *       computes no status code without them);</li>
     *   <li>no row without a key.</li>
     * </ul>
     * Anything else, or any doubt (a text that is not plain), answers "maybe" and the text takes the full
     * path. A false "maybe" only costs that path; a false "no" would lose a match, so every rule errs
     * towards "maybe".
     */
    private static final class Plain {
        /** Words Text.aadsts() needs one of; scanned with the literals, after the real ones. */
        private static final String[] CODE_WORDS = {"aadsts", "error"};

        private final boolean always;
        private final boolean statusRows;
        private final int realLiterals;
        private final byte[][] literalBytes;
        private final int[][] buckets = new int[BUCKETS][];
        private final long[] occupied = new long[BUCKETS / 64];
        private final int stride;

        Plain(String[] literals, boolean always, boolean aadstsRows, boolean statusRows) {
            this.always = always;
            this.statusRows = statusRows;
            this.realLiterals = literals.length;
            List<String> all = new ArrayList<>(List.of(literals));
            if (aadstsRows) {
                all.addAll(List.of(CODE_WORDS));
            }
            literalBytes = new byte[all.size()][];
            int shortest = Integer.MAX_VALUE;
            for (int l = 0; l < all.size(); l++) {
                literalBytes[l] = all.get(l).getBytes(StandardCharsets.US_ASCII);
                shortest = Math.min(shortest, all.get(l).length());
            }
            stride = Math.max(1, Math.min(MAX_STRIDE, shortest - 2));
            List<List<Integer>> lists = new ArrayList<>(java.util.Collections.nCopies(BUCKETS, null));
            for (int l = 0; l < literalBytes.length; l++) {
                for (int k = 0; k < stride; k++) {
                    int b = bucket(fold(literalBytes[l][k]), fold(literalBytes[l][k + 1]), fold(literalBytes[l][k + 2]));
                    if (lists.get(b) == null) {
                        lists.set(b, new ArrayList<>());
                    }
                    lists.get(b).add(l << 8 | k);
                }
            }
            for (int b = 0; b < BUCKETS; b++) {
                if (lists.get(b) != null) {
                    buckets[b] = toArray(lists.get(b));
                    occupied[b >>> 6] |= 1L << b;
                }
            }
        }

        boolean mayMatch(String s) {
            if (always) {
                return true;
            }
            int n = s.length();
            // as Text reads an ASCII text: the UTF-8 bytes (an intrinsic copy, as long as the text only
            // when it is ASCII)
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (n < 1 || b.length != n || b[0] <= ' ' || b[n - 1] <= ' ') {
                return true; // empty, not ASCII, or not trimmed: not plain
            }
            // One pass: each byte is classified, and every stride-th trigram (the one ending here) is
            // probed as markLiterals probes the lower-cased text. Nothing is lower-cased: the buckets are
            // hashed on the bytes with 0x20 set (A-Z fall on a-z, see fold), and a candidate is compared
            // lower-casing as it goes. Letters, nearly all of a text, then take one predictable branch.
            boolean digits = false;
            boolean codeWord = false;
            int run = 0;
            int probe = 2;
            for (int i = 0; i < n; i++) {
                int c = b[i];
                if (c >= 'A') {
                    run = 0;
                    if (c == '\\') {
                        return true; // an escape Text would undo: not plain
                    }
                } else if (c >= '0' && c <= '9') {
                    digits = true;
                    // the three digits ending here start with 1, 4 or 5: a code an EAS/HTTP row may read
                    if (++run >= 3 && statusRows && isCodeStart(b[i - 2])) {
                        return true;
                    }
                } else {
                    run = 0;
                    if (c == '?' && s.charAt(i) != '?') {
                        return true; // a lone surrogate the encoder replaced: not ASCII
                    }
                    if (c == '&' || c <= ' ' && (c == ' ' ? i + 1 < n && b[i + 1] == ' ' : isRegexSpace((char) c))) {
                        return true; // an entity to undo, or whitespace to collapse: not plain
                    }
                }
                if (i == probe) {
                    probe += stride;
                    int found = literalAt(b, i - 2);
                    if (found >= 0) {
                        if (found < realLiterals) {
                            return true;
                        }
                        codeWord = true; // "aadsts" or "error": a candidate only with a digit somewhere
                    }
                }
            }
            return codeWord && digits;
        }

        /**
         * The byte with 0x20 set: an ASCII upper-case letter becomes its lower case, a lower-case one
         * stays. Other bytes may meet another ('@' and '`'): as a hash that only costs a comparison.
         */
        private static int fold(int c) {
            return c | 0x20;
        }

        private static boolean isCodeStart(byte d) {
            return d == '1' || d == '4' || d == '5';
        }

        /**
         * A literal occurring in the lower-cased text at an offset whose bucket the trigram at {@code j}
         * falls in (the scan of markLiterals), or -1; real literals before code words.
         */
        private int literalAt(byte[] text, int j) {
            int b = bucket(fold(text[j]), fold(text[j + 1]), fold(text[j + 2]));
            if ((occupied[b >>> 6] & (1L << b)) == 0) {
                return -1;
            }
            int codeWord = -1;
            for (int e : buckets[b]) {
                int l = e >>> 8;
                int at = j - (e & 0xff);
                if (at >= 0 && startsWithLowering(text, at, literalBytes[l])) {
                    if (l < realLiterals) {
                        return l;
                    }
                    codeWord = l;
                }
            }
            return codeWord;
        }

        private static boolean startsWithLowering(byte[] text, int at, byte[] literal) {
            if (at + literal.length > text.length) {
                return false;
            }
            for (int k = 0; k < literal.length; k++) {
                int c = text[at + k];
                if ((c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c) != literal[k]) {
                    return false;
                }
            }
            return true;
        }

        /** {@code \s} without UNICODE_CHARACTER_CLASS, as Text reads it. */
        private static boolean isRegexSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
        }
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
