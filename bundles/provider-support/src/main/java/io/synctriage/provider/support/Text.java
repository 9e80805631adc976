package io.synctriage.provider.support;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One logged text prepared for matching: the OAuth {@code error} field and the raw message joined,
 * JSON/HTML escapes undone (token-endpoint bodies are often logged as escaped JSON inside JSON),
 * whitespace collapsed, plus the numeric codes found in it, each as a <em>whole</em> number.
 *
 * <p>Numbers are extracted once per text so that a table row for {@code AADSTS53003} is a set lookup
 * and can never match {@code AADSTS530035}, and EAS {@code Status 129} / {@code <Status>129</Status>}
 * / {@code status=129} all yield 129.
 */
public final class Text {

    static final Pattern AADSTS = Pattern.compile("(?i)aadsts(\\d+)");
    /** Microsoft token endpoint JSON: {@code "error_codes":[70043]}; error page URLs: {@code error?code=50173}. */
    static final Pattern ERROR_CODES = Pattern.compile("(?i)\"?error_codes\"?\\s*[:=]\\s*\\[([\\d,\\s]+)]");
    static final Pattern ERROR_URL = Pattern.compile("(?i)/error\\?code=(\\d+)");

    /** {@code <Status>129</Status>}, also namespaced ({@code <AirSync:Status>}). */
    static final Pattern STATUS_XML = Pattern.compile("(?i)<(?:[a-z]+:)?status>\\s*(\\d{1,3})\\s*</");
    /** {@code Status 129}, {@code status=129}, {@code Status code: 129}, {@code "Status":"129"}, {@code status_code 401}. */
    static final Pattern STATUS_WORD = Pattern.compile(
            "(?i)(?<![a-z])status(?:[\\s_-]*code)?[\"']?\\s*(?:[:=]|is)?\\s*[\"']?\\(?\\s*(\\d{1,3})(?!\\d)(?!\\.\\d)");
    /** {@code HTTP/1.1 401}, {@code HTTP 503}, {@code HTTP status 403}, {@code HTTP error: 500}. */
    static final Pattern HTTP_WORD = Pattern.compile(
            "(?i)\\bhttp(?:/\\d(?:\\.\\d)?)?\\s*(?:(?:status|error|code|response)\\s*)*[:=]?\\s*(\\d{3})(?!\\d)");
    /** A status number followed by its reason phrase: {@code 401 Unauthorized}, {@code 503 Service Unavailable}. */
    static final Pattern HTTP_REASON = Pattern.compile(
            "(?i)(?<![\\d.:/-])(\\d{3})\\s+(?:unauthorized|forbidden|not found|retry with|internal server error"
                    + "|service unavailable|bad gateway|gateway time-?out|bad request|too many requests|redirect"
                    + "|blocked|expired password|need provisioning)\\b");
    /**
     * The reason phrases of {@link #HTTP_REASON}, spelled out for {@link #httpReasonCodes}: every
     * alternative of the regex, "gateway time-?out" as its two spellings.
     */
    private static final String[] REASON_PHRASES = {"unauthorized", "forbidden", "not found", "retry with",
        "internal server error", "service unavailable", "bad gateway", "gateway timeout", "gateway time-out",
        "bad request", "too many requests", "redirect", "blocked", "expired password", "need provisioning"};
    /** {@code returned 401}, {@code responded with 503}, {@code response code 449}, {@code failed with 456}. */
    static final Pattern HTTP_VERB = Pattern.compile(
            "(?i)\\b(?:returned|responded|response|answered|got|received|failed with)"
                    + "(?:\\s+(?:with|http|status|code|an?|error|response))*\\s*[:=]?\\s*(\\d{3})(?!\\d)(?!\\.\\d)");

    private final String normalized;
    /**
     * {@link #normalized} lower-cased (root locale): built on first use. Index's literal scan reads
     * {@link #lowerAscii} instead and most lines never need the String: only the code sets of lines
     * with numbers and the phrase/regex terms of candidate rows read it.
     */
    private volatile String lower;
    /** {@link #normalized} lower-cased as ASCII bytes when the text is ASCII, else null. */
    private final byte[] lowerAscii;
    private final boolean ascii;
    /** Whether {@link #normalized} has its whitespace collapsed already (always, once {@link #of} returns). */
    private final boolean collapsed;
    /** Longest run of ASCII digits: the code patterns need one ({@code \d} is ASCII-only), HTTP ones three. */
    private final int digitRun;
    /**
     * Whether the text has three ASCII digits in a row starting with 4 or 5 (an HTTP code 400-599 could
     * be read from it), or with 1 (an EAS status 100-199). Every code the status patterns keep is such
     * a substring, so without one the patterns need not run: most lines have numbers, few have these.
     */
    private final boolean webDigits;
    private final boolean easDigits;
    /**
     * Whether the text has a run of exactly three ASCII digits starting with 4 or 5: what
     * {@link #HTTP_REASON} and {@link #HTTP_VERB} read (neither lets a digit touch the code), so their
     * keyword scans are skipped for texts with only longer numbers ({@code expires in 3599 s}).
     */
    private final boolean webCode;
    /*
     * The code sets are computed on first use: most logged lines are benign, and a table without
     * EAS rows never asks for EAS statuses. Volatile because a Text is a value and may be read by
     * another thread; computing twice is harmless (same result).
     */
    private volatile Set<Integer> aadsts;
    private volatile Set<Integer> easStatus;
    private volatile Set<Integer> http;

    /* The flags of a scan, packed into an int: see scanBytes / scanChars. */
    private static final int CLEAN = 1;
    private static final int WEB_DIGITS = 2;
    private static final int EAS_DIGITS = 4;
    private static final int WEB_CODE = 8;
    /** The longest digit run is kept above the flag bits. */
    private static final int RUN_SHIFT = 4;
    /** What {@link #scanBytes} answers for a text that is not ASCII after all. */
    private static final int NOT_ASCII = -1;

    /**
     * Reads the text once for everything a table asks of it: ASCII-ness (then the lower-cased bytes),
     * digit runs, and whether its whitespace still needs collapsing ({@link #of} then builds the
     * collapsed text instead; the constructor does not decide which string a Text holds).
     */
    private Text(String normalized) {
        this.normalized = normalized;
        // Encoding as UTF-8 is an intrinsic copy when every character is ASCII, and otherwise longer
        // than the text (unless a lone surrogate became '?': scanBytes checks): one cheap call
        // answers "ASCII?" and gives the bytes to lower-case in place.
        byte[] bytes = normalized.getBytes(StandardCharsets.UTF_8);
        int flags = bytes.length == normalized.length() ? scanBytes(normalized, bytes) : NOT_ASCII;
        this.ascii = flags != NOT_ASCII;
        if (!ascii) {
            flags = scanChars(normalized);
        }
        this.lowerAscii = ascii ? bytes : null;
        this.collapsed = (flags & CLEAN) != 0;
        this.webDigits = (flags & WEB_DIGITS) != 0;
        this.easDigits = (flags & EAS_DIGITS) != 0;
        this.webCode = (flags & WEB_CODE) != 0;
        this.digitRun = flags >>> RUN_SHIFT;
    }

    /**
     * Lower-cases the ASCII bytes of {@code s} in place (A-Z only: exactly what toLowerCase(ROOT) does
     * to ASCII) and answers the flags, or {@link #NOT_ASCII} when a '?' of the bytes is not one of
     * the text (a lone surrogate replaced by the encoder).
     */
    private static int scanBytes(String s, byte[] bytes) {
        int n = bytes.length;
        boolean web = false;
        boolean eas = false;
        boolean code = false;
        boolean clean = n == 0 || bytes[0] > ' ' && bytes[n - 1] > ' ';
        int longest = 0;
        for (int i = 0; i < n; i++) {
            int c = bytes[i];
            if (c > '9') {
                // letters and most punctuation, nearly all of a text: only A-Z needs work; the rare
                // characters between '9' and 'A' include '?'
                if (c <= 'Z') {
                    if (c >= 'A') {
                        bytes[i] = (byte) (c + ('a' - 'A'));
                    } else if (c == '?' && s.charAt(i) != '?') {
                        return NOT_ASCII;
                    }
                }
                continue;
            }
            if (c >= '0') {
                // a run of digits, read whole: its length, and which digits start a three-digit window
                int end = i + 1;
                while (end < n && bytes[end] >= '0' && bytes[end] <= '9') {
                    end++;
                }
                longest = Math.max(longest, end - i);
                for (int first = i; first <= end - 3; first++) {
                    web |= isWebFirstDigit(bytes[first]);
                    eas |= bytes[first] == '1';
                }
                code |= end - i == 3 && isWebFirstDigit(bytes[i]);
                i = end - 1;
                continue;
            }
            // the checks of collapseWhitespace
            if (c <= ' ' && (c != ' ' ? isRegexSpace((char) c) : i + 1 < n && bytes[i + 1] == ' ')) {
                clean = false;
            }
        }
        return pack(clean, web, eas, code, longest);
    }

    /** The flags of {@link #scanBytes} for a text that is not ASCII, character by character. */
    private static int scanChars(String s) {
        int n = s.length();
        boolean web = false;
        boolean eas = false;
        boolean code = false;
        boolean clean = n == 0 || s.charAt(0) > ' ' && s.charAt(n - 1) > ' ';
        int run = 0;
        int longest = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                longest = Math.max(longest, ++run);
                if (run >= 3) {
                    char first = s.charAt(i - 2);
                    web |= isWebFirstDigit(first);
                    eas |= first == '1';
                }
                continue;
            }
            code |= run == 3 && isWebFirstDigit(s.charAt(i - 3));
            run = 0;
            if (c >= 128) {
                clean &= c != '\u00a0';
            } else if (c <= ' ' && (c != ' ' ? isRegexSpace(c) : i + 1 < n && s.charAt(i + 1) == ' ')) {
                clean = false;
            }
        }
        code |= run == 3 && isWebFirstDigit(s.charAt(n - 3));
        return pack(clean, web, eas, code, longest);
    }

    private static int pack(boolean clean, boolean web, boolean eas, boolean code, int longestRun) {
        // only "none", "some" and "three or more" of the run length matter: capped, it always fits
        return (clean ? CLEAN : 0) | (web ? WEB_DIGITS : 0) | (eas ? EAS_DIGITS : 0) | (code ? WEB_CODE : 0)
                | Math.min(longestRun, 1 << 20) << RUN_SHIFT;
    }

    private static boolean isWebFirstDigit(int c) {
        return c == '4' || c == '5';
    }

    /**
     * EAS statuses and HTTP codes. Each pattern runs only when the text holds what it cannot match
     * without (a digit, three digits in a row, the word "status", "http", a verb), in the original
     * order, so the sets and their order are those of running every pattern.
     */
    private void statusCodes() {
        if (!webDigits && !easDigits) {
            this.http = Set.of();
            this.easStatus = Set.of();
            return;
        }
        // Sets are made only for a code found: most texts that get here (a count, a year) hold none.
        Set<Integer> eas = null;
        Set<Integer> web = null;
        if (digitRun > 0) {
            String lower = lower();
            if (lower.contains("status")) {
                for (Pattern p : new Pattern[] {STATUS_XML, STATUS_WORD}) {
                    Matcher m = p.matcher(normalized);
                    while (m.find()) {
                        int n = Integer.parseInt(m.group(1));
                        // EAS command statuses live in 100-199 (MS-ASCMD); 4xx/5xx next to "status" are HTTP.
                        if (n >= 100 && n <= 199) {
                            eas = add(eas, n);
                        } else if (n >= 400 && n <= 599) {
                            web = add(web, n);
                        }
                    }
                }
            }
            if (digitRun >= 3 && webDigits) {
                if (lower.contains("http")) {
                    web = addHttp(web, HTTP_WORD);
                }
                if (webCode) {
                    // as cheap as the keyword scans that used to guard the regex it replaces
                    web = httpReasonCodes(web);
                }
                if (webCode && lower.contains("returned") || lower.contains("respon") || lower.contains("answered")
                        || lower.contains("got") || lower.contains("received") || lower.contains("failed with")) {
                    web = addHttp(web, HTTP_VERB);
                }
            }
        }
        this.http = frozen(web);
        this.easStatus = frozen(eas);
    }

    private Set<Integer> addHttp(Set<Integer> web, Pattern p) {
        Set<Integer> out = web;
        Matcher m = p.matcher(normalized);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n >= 400 && n <= 599) {
                out = add(out, n);
            }
        }
        return out;
    }

    /**
     * The 400-599 codes {@link #HTTP_REASON} finds, in order, without running it: the regex tests its
     * look-behind at every position of the text (microseconds on one throttling line, the single most
     * expensive step of reading a log), while a match needs three digits followed by whitespace. Each
     * such run is checked the way the regex checks it: not preceded by {@code [\d.:/-]}, then
     * whitespace, a reason phrase (ASCII letters case-insensitively, other characters exactly, as
     * CASE_INSENSITIVE without UNICODE_CASE compares) and a word boundary. Matches cannot overlap (a
     * phrase holds no digit), so checking every run finds what {@code find()} finds.
     */
    Set<Integer> httpReasonCodes(Set<Integer> web) {
        Set<Integer> out = web;
        String s = normalized;
        int n = s.length();
        for (int p = 0; p + 3 < n; p++) {
            if (!isDigit(s.charAt(p)) || !isDigit(s.charAt(p + 1)) || !isDigit(s.charAt(p + 2))
                    || !isRegexSpace(s.charAt(p + 3))) {
                continue;
            }
            if (p > 0) {
                char before = s.charAt(p - 1);
                if (isDigit(before) || before == '.' || before == ':' || before == '/' || before == '-') {
                    continue;
                }
            }
            int at = p + 4;
            while (at < n && isRegexSpace(s.charAt(at))) {
                at++;
            }
            if (startsWithReason(s, at)) {
                int code = (s.charAt(p) - '0') * 100 + (s.charAt(p + 1) - '0') * 10 + (s.charAt(p + 2) - '0');
                if (code >= 400 && code <= 599) {
                    out = add(out, code);
                }
            }
        }
        return out;
    }

    private static boolean startsWithReason(String s, int at) {
        for (String phrase : REASON_PHRASES) {
            int end = at + phrase.length();
            if (end <= s.length() && regionMatchesAsciiCaseInsensitive(s, at, phrase) && wordBoundaryAfterLetter(s, end)) {
                return true;
            }
        }
        return false;
    }

    /** {@code s[at…]} equals the lower-case phrase, an ASCII upper-case letter of s also matching its lower case. */
    private static boolean regionMatchesAsciiCaseInsensitive(String s, int at, String lowerPhrase) {
        for (int k = 0; k < lowerPhrase.length(); k++) {
            char c = s.charAt(at + k);
            char p = lowerPhrase.charAt(k);
            if (c != p && !(c >= 'A' && c <= 'Z' && c + ('a' - 'A') == p)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Java's {@code \b} right after a letter: the end of the text, or a character that is not a word
     * character to the regex (letter, digit, '_', or a non-spacing mark, which joins the letter).
     */
    private static boolean wordBoundaryAfterLetter(String s, int at) {
        if (at >= s.length()) {
            return true;
        }
        int cp = s.codePointAt(at);
        return !(cp == '_' || Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Adds to the set, made on the first code (insertion order kept). */
    private static Set<Integer> add(Set<Integer> into, int code) {
        Set<Integer> out = into == null ? new LinkedHashSet<>(4) : into;
        out.add(code);
        return out;
    }

    private static Set<Integer> frozen(Set<Integer> codes) {
        return codes == null ? Set.of() : Collections.unmodifiableSet(codes);
    }

    /** The OAuth error field and the message joined with a space (either may be null). */
    public static Text of(String error, String message) {
        String e = error == null ? "" : error.trim();
        String m = message == null ? "" : message.trim();
        return of(e.isEmpty() ? m : m.isEmpty() ? e : e + " " + m);
    }

    /** One raw text (null is the empty text). */
    public static Text of(String raw) {
        String s = undoEscapes(raw == null ? "" : raw);
        // Most texts need no collapsing: the constructor's single pass tells, and only then is it redone.
        Text t = new Text(s);
        return t.collapsed ? t : new Text(collapseWhitespace(s));
    }

    /**
     * Undoes JSON string escapes (repeatedly, for JSON logged inside JSON) and the few HTML entities
     * that XML-escaped EAS responses carry, then collapses whitespace.
     */
    public static String normalize(String raw) {
        return collapseWhitespace(undoEscapes(raw));
    }

    private static String undoEscapes(String raw) {
        String s = raw;
        for (int pass = 0; pass < 3 && s.indexOf('\\') >= 0; pass++) {
            String next = unescapeJson(s);
            if (next.equals(s)) {
                break;
            }
            s = next;
        }
        if (s.indexOf('&') >= 0) {
            s = s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'")
                    .replace("&apos;", "'").replace("&amp;", "&");
        }
        return s;
    }

    /**
     * {@code WHITESPACE.matcher(s.replace('\u00a0', ' ')).replaceAll(" ").trim()} without the regex:
     * the text itself when it has nothing to collapse (the usual case).
     */
    static String collapseWhitespace(String s) {
        int n = s.length();
        boolean clean = n == 0 || s.charAt(0) > ' ' && s.charAt(n - 1) > ' ';
        for (int i = 0; clean && i < n; i++) {
            char c = s.charAt(i);
            // Only characters up to ' ' and the no-break space can need work: one comparison for
            // the letters and digits that make up nearly all of a text.
            if ((c <= ' ' || c == '\u00a0')
                    && (c == '\u00a0' || c != ' ' && isRegexSpace(c) || c == ' ' && i + 1 < n && s.charAt(i + 1) == ' ')) {
                clean = false;
            }
        }
        if (clean) {
            return s;
        }
        StringBuilder out = new StringBuilder(n);
        boolean inRun = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\u00a0') {
                c = ' ';
            }
            if (isRegexSpace(c)) {
                if (!inRun) {
                    out.append(' ');
                    inRun = true;
                }
            } else {
                out.append(c);
                inRun = false;
            }
        }
        return out.toString().trim();
    }

    /** {@code \s} without UNICODE_CHARACTER_CLASS: {@code [ \t\n\x0B\f\r]}. */
    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static String unescapeJson(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(i + 1);
            switch (n) {
                case '"', '\\', '/', '\'' -> {
                    out.append(n);
                    i++;
                }
                case 'n', 'r', 't', 'b', 'f' -> {
                    out.append(' ');
                    i++;
                }
                case 'u' -> {
                    if (isHex(s, i + 2, i + 6)) {
                        out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                        i += 5;
                    } else {
                        out.append(c);
                    }
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(String s, int from, int to) {
        if (to > s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Each pattern runs only when the lower-cased text holds its keyword (it cannot match without). */
    private Set<Integer> aadstsCodes(String s, String lower) {
        boolean aadsts = lower.contains("aadsts");
        // both other keywords contain "error": one scan rules them out for most lines
        boolean error = lower.contains("error");
        if (!aadsts && !error) {
            return Set.of();
        }
        Set<Integer> codes = null;
        if (aadsts && ascii) {
            // AADSTS's matches, read off the lower-cased text (index for index the same when ASCII):
            // the case-insensitive regex tests every position of what are often long error lines.
            for (int at = lower.indexOf("aadsts"); at >= 0; ) {
                int end = at + 6;
                while (end < lower.length() && lower.charAt(end) >= '0' && lower.charAt(end) <= '9') {
                    end++;
                }
                if (end > at + 6) {
                    codes = addNumber(codes, lower, at + 6, end);
                    at = lower.indexOf("aadsts", end);
                } else {
                    at = lower.indexOf("aadsts", at + 1);
                }
            }
        } else if (aadsts) {
            Matcher m = AADSTS.matcher(s);
            while (m.find()) {
                codes = addNumber(codes, m.group(1));
            }
        }
        if (error && lower.contains("error_codes")) {
            Matcher m = ERROR_CODES.matcher(s);
            while (m.find()) {
                for (String part : m.group(1).split("[,\\s]+")) {
                    codes = addNumber(codes, part.trim());
                }
            }
        }
        if (error && lower.contains("/error?code=")) {
            Matcher m = ERROR_URL.matcher(s);
            while (m.find()) {
                codes = addNumber(codes, m.group(1));
            }
        }
        return frozen(codes);
    }

    private static Set<Integer> addNumber(Set<Integer> into, String digits) {
        return addNumber(into, digits, 0, digits.length());
    }

    /** The number written by the ASCII digits {@code s[from, to)}, without a substring. */
    private static Set<Integer> addNumber(Set<Integer> into, String s, int from, int to) {
        // Codes are at most 7 digits (7000222); anything longer is an id, not a code.
        if (to == from || to - from > 9) {
            return into;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (s.charAt(i) - '0');
        }
        return add(into, n);
    }

    /** The text with escapes undone and whitespace collapsed. */
    public String normalized() {
        return normalized;
    }

    /** {@link #normalized()} lower-cased (root locale). */
    public String lower() {
        String l = lower;
        if (l == null) {
            // racy but safe: every thread computes the same value
            l = ascii ? new String(lowerAscii, StandardCharsets.ISO_8859_1) : normalized.toLowerCase(Locale.ROOT);
            lower = l;
        }
        return l;
    }

    /** AADSTS codes: {@code AADSTS70043}, {@code "error_codes":[70043]}, {@code /error?code=70043}. */
    public Set<Integer> aadsts() {
        Set<Integer> a = aadsts;
        if (a == null) {
            a = digitRun == 0 ? Set.of() : aadstsCodes(normalized, lower());
            aadsts = a;
        }
        return a;
    }

    /** EAS command status codes (100-199) in any of the logged forms. */
    public Set<Integer> easStatus() {
        Set<Integer> e = easStatus;
        if (e == null) {
            statusCodes();
            e = easStatus;
        }
        return e;
    }

    /** HTTP status codes 400-599 in any of the logged forms. */
    public Set<Integer> http() {
        Set<Integer> h = http;
        if (h == null) {
            statusCodes();
            h = http;
        }
        return h;
    }

    /** {@link #lower()} as ASCII bytes, or null when the text is not ASCII. Callers must not modify it. */
    byte[] lowerAscii() {
        return lowerAscii;
    }

    /** Whether the text has only ASCII characters (then {@link #lower()} matches it index for index). */
    public boolean ascii() {
        return ascii;
    }

    /** Whether {@link #lower()} contains one of the strings. */
    boolean containsAny(java.util.List<String> strings) {
        String lower = lower();
        for (int i = 0, n = strings.size(); i < n; i++) {
            if (lower.contains(strings.get(i))) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return normalized.isEmpty();
    }

    @Override
    public String toString() {
        return normalized;
    }
}
