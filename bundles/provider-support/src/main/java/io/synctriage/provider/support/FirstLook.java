package io.synctriage.provider.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The index's first look at a logged text, before any {@link Text} is prepared: most lines of a log
 * are benign, and for them the full preparation (a copy, lower-casing, the code sets, a second pass
 * for the literals) buys nothing. For a <em>plain</em> text (ASCII, nothing to unescape, whitespace
 * already single: {@code Text.of} leaves it as it is), a quick read can answer "no candidate row", and
 * answers it only when {@link Index#find} would have none, that is when:
 * <ul>
 *   <li>no literal key occurs in it, lower-cased (the stride scan of {@link Index#find});</li>
 *   <li>for AADSTS rows: no digit, or neither "aadsts" nor "error" (Text.aadsts() needs both a digit
 *       and one of them; they are scanned with the literals);</li>
 *   <li>for EAS status and HTTP rows: no three digits in a row starting with 1, 4 or 5 (Text computes
 *       no status code without them), or none of "status", "http" (also scanned with the literals) and
 *       no run of exactly three digits that is the code of an HTTP row. Text's status-code patterns each
 *       need "status" (the EAS forms, "Status 401") or "http" ("HTTP 503"), except the two that read a
 *       code standing alone ("503 Service Unavailable", "returned 401"), and the code they read is such
 *       a run: so a count ("expires in 3599 s") rules them out, and so does "429 Too Many Requests" for
 *       a table without a 429 row;</li>
 *   <li>no row without a key.</li>
 * </ul>
 * Anything else, or any doubt (a text that is not plain), answers "maybe" and the text takes the full
 * path. A false "maybe" only costs that path; a false "no" would lose a match, so every rule errs
 * towards "maybe".
 *
 * <p>The text is read in two passes rather than one that branches on every byte's kind (words and
 * spaces alternate too irregularly for such a branch to be predicted, and that was most of the look's
 * cost): the literal probes, then a pass that stops only at digits and the few characters that make a
 * text not plain.
 */
final class FirstLook {

    /** Words Text.aadsts() needs one of. */
    private static final String[] AADSTS_WORDS = {"aadsts", "error"};
    /** Words one of Text's status-code patterns needs unless the code stands alone. */
    private static final String[] STATUS_WORDS = {"status", "http"};

    /** Largest step of the literal scan (an entry's offset must fit in its low 8 bits). */
    private static final int MAX_STRIDE = 8;

    /** What {@link #wordsAt} reports: a real literal, or which kind of code word. */
    private static final int LITERAL = 1;
    private static final int AADSTS_WORD = 2;
    private static final int STATUS_WORD = 4;

    /** The kinds of byte {@link #mayHaveCode} stops at; the others are 0. */
    private static final int DIGIT = 1;
    /** '\\' (an escape), '&' (an entity) or whitespace other than ' ': Text would change the text. */
    private static final int NOT_PLAIN = 2;
    /** '?': maybe a lone surrogate the encoder replaced. */
    private static final int QUESTION = 4;
    private static final byte[] KIND = new byte[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            KIND[c] = DIGIT;
        }
        for (char c : new char[] {'\\', '&', '\t', '\n', '\u000B', '\f', '\r'}) {
            KIND[c] = NOT_PLAIN;
        }
        KIND['?'] = QUESTION;
    }

    private final boolean always;
    private final boolean statusRows;
    /** Indexed by an HTTP code 400-599 less 400: whether an HTTP row is keyed by it. */
    private final boolean[] httpRows = new boolean[200];
    private final byte[][] literalBytes;
    /** For each literal, {@link #LITERAL} or the kind of code word it is. */
    private final int[] literalKinds;
    /** As {@link Index}'s buckets, for these literals. */
    private final int[][] buckets = new int[Index.BUCKETS][];
    /** Bit {@code t} is set when a literal has the {@link Index#trigram} {@code t} at an offset the scan probes. */
    private final long[] trigrams = new long[Index.TRIGRAMS / 64];
    private final int stride;

    /**
     * @param literals   the index's literal keys (lower-case ASCII, at least three characters)
     * @param always     whether some row has no key (then every text is a "maybe")
     * @param aadstsRows whether some row is keyed by AADSTS codes
     * @param statusRows whether some row is keyed by EAS status or HTTP codes
     * @param httpCodes  the HTTP codes rows are keyed by
     */
    FirstLook(String[] literals, boolean always, boolean aadstsRows, boolean statusRows, Set<Integer> httpCodes) {
        this.always = always;
        this.statusRows = statusRows;
        for (int code : httpCodes) {
            if (code >= 400 && code <= 599) {
                httpRows[code - 400] = true;
            }
        }
        List<String> all = new ArrayList<>(List.of(literals));
        List<Integer> kinds = new ArrayList<>(Collections.nCopies(literals.length, LITERAL));
        if (aadstsRows) {
            all.addAll(List.of(AADSTS_WORDS));
            kinds.addAll(Collections.nCopies(AADSTS_WORDS.length, AADSTS_WORD));
        }
        if (statusRows) {
            all.addAll(List.of(STATUS_WORDS));
            kinds.addAll(Collections.nCopies(STATUS_WORDS.length, STATUS_WORD));
        }
        literalBytes = new byte[all.size()][];
        literalKinds = new int[all.size()];
        int shortest = Integer.MAX_VALUE;
        for (int l = 0; l < all.size(); l++) {
            literalBytes[l] = all.get(l).getBytes(StandardCharsets.US_ASCII);
            literalKinds[l] = kinds.get(l);
            shortest = Math.min(shortest, all.get(l).length());
        }
        // Every occurrence of a literal has a trigram at each of its first `stride` offsets, so probing
        // every stride-th position of the text still meets each occurrence once, at one of those offsets.
        stride = Math.max(1, Math.min(MAX_STRIDE, shortest - 2));
        List<List<Integer>> lists = new ArrayList<>(Collections.nCopies(Index.BUCKETS, null));
        for (int l = 0; l < literalBytes.length; l++) {
            for (int k = 0; k < stride; k++) {
                int t = Index.trigram(literalBytes[l][k], literalBytes[l][k + 1], literalBytes[l][k + 2]);
                trigrams[t >>> 6] |= 1L << t;
                int b = t & (Index.BUCKETS - 1);
                if (lists.get(b) == null) {
                    lists.set(b, new ArrayList<>());
                }
                lists.get(b).add(l << 8 | k);
            }
        }
        for (int b = 0; b < Index.BUCKETS; b++) {
            if (lists.get(b) != null) {
                List<Integer> entries = lists.get(b);
                buckets[b] = new int[entries.size()];
                for (int i = 0; i < entries.size(); i++) {
                    buckets[b][i] = entries.get(i);
                }
            }
        }
    }

    /** Whether {@link Index#find} could find a row for {@code Text.of(s)}, {@code s} one trimmed field. */
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
        int words = words(b);
        if ((words & LITERAL) != 0) {
            return true;
        }
        if (s.indexOf("  ") >= 0) {
            return true; // whitespace Text would collapse: not plain
        }
        return mayHaveCode(s, b, words);
    }

    /**
     * The rest of the first look, in one pass that stops only at the few bytes that are neither letters
     * nor spaces (most punctuation too): whether the text is plain after all, and whether it has a digit
     * an AADSTS row can read or the digits a status row can read (see the class comment).
     */
    private boolean mayHaveCode(String s, byte[] b, int words) {
        boolean digits = false;
        boolean window = false;
        boolean alone = false;
        int n = b.length;
        for (int i = 0; i < n; i++) {
            int kind = KIND[b[i]]; // ASCII: the caller checked
            if (kind == 0) {
                continue;
            }
            if (kind == NOT_PLAIN || kind == QUESTION && s.charAt(i) != '?') {
                return true; // an escape, an entity, whitespace Text would change, a replaced character
            }
            if (kind == DIGIT) {
                int end = i + 1;
                while (end < n && isDigit(b[end])) {
                    end++;
                }
                digits = true;
                for (int first = i; first <= end - 3; first++) {
                    window |= isCodeStart(b[first]);
                }
                alone |= end - i == 3 && (b[i] == '4' || b[i] == '5')
                        && httpRows[(b[i] - '4') * 100 + (b[i + 1] - '0') * 10 + (b[i + 2] - '0')];
                i = end - 1;
            }
        }
        if (!digits) {
            return false; // no code of any kind without a digit
        }
        return (words & AADSTS_WORD) != 0 || statusRows && (alone || window && (words & STATUS_WORD) != 0);
    }

    /**
     * The literal probes, every stride-th trigram as {@link Index#find} probes the lower-cased text.
     * Nothing is lower-cased: a trigram is the same for either case, and a candidate is compared
     * lower-casing as it goes.
     */
    private int words(byte[] b) {
        if (stride == 2) {
            return wordsStepTwo(b);
        }
        int words = 0;
        for (int j = 0, last = b.length - 3; j <= last; j += stride) {
            int t = Index.trigram(b[j], b[j + 1], b[j + 2]);
            if ((trigrams[t >>> 6] & (1L << t)) != 0) {
                words |= wordsAt(b, j, t & (Index.BUCKETS - 1));
                if ((words & LITERAL) != 0) {
                    return words;
                }
            }
        }
        return words;
    }

    /**
     * {@link #words} for the step every provider table has (its shortest literals have four characters): a
     * loop with a constant step is one the JIT unrolls and drops the bounds checks of.
     */
    private int wordsStepTwo(byte[] b) {
        int words = 0;
        for (int j = 0, last = b.length - 3; j <= last; j += 2) {
            int t = Index.trigram(b[j], b[j + 1], b[j + 2]);
            if ((trigrams[t >>> 6] & (1L << t)) != 0) {
                words |= wordsAt(b, j, t & (Index.BUCKETS - 1));
                if ((words & LITERAL) != 0) {
                    return words;
                }
            }
        }
        return words;
    }

    /** The kinds of literal occurring in the text at an offset whose bucket the trigram at {@code j} is. */
    private int wordsAt(byte[] text, int j, int bucket) {
        int words = 0;
        for (int e : buckets[bucket]) {
            int l = e >>> 8;
            int at = j - (e & 0xff);
            if (at >= 0 && startsWithLowering(text, at, literalBytes[l])) {
                words |= literalKinds[l];
            }
        }
        return words;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isCodeStart(byte d) {
        return d == '1' || d == '4' || d == '5';
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
}
