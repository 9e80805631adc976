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
    /** What {@link #HTTP_REASON} cannot match without (lower case). */
    private static final String[] REASONS = {"unauthorized", "forbidden", "not found", "retry with",
        "internal server error", "service unavailable", "bad gateway", "gateway time", "bad request",
        "too many requests", "redirect", "blocked", "expired password", "need provisioning"};
    /** {@code returned 401}, {@code responded with 503}, {@code response code 449}, {@code failed with 456}. */
    static final Pattern HTTP_VERB = Pattern.compile(
            "(?i)\\b(?:returned|responded|response|answered|got|received|failed with)"
                    + "(?:\\s+(?:with|http|status|code|an?|error|response))*\\s*[:=]?\\s*(\\d{3})(?!\\d)(?!\\.\\d)");

    private final String normalized;
    private final String lower;
    /** {@link #lower} as bytes when the text is ASCII, else null. */
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

    /**
     * Reads the text once for everything a table asks of it: the lower-cased copy, ASCII-ness, digit
     * runs, and whether its whitespace still needs collapsing ({@link #of} then builds the collapsed
     * text instead; the constructor does not decide which string a Text holds).
     */
    private Text(String normalized) {
        this.normalized = normalized;
        int n = normalized.length();
        // ASCII texts are lower-cased here, byte by byte (A-Z only, exactly what toLowerCase(ROOT)
        // does to ASCII); the bytes also feed Index's literal scan, which then reads no String.
        byte[] bytes = new byte[n];
        boolean a = true;
        boolean web = false;
        boolean eas = false;
        boolean code = false;
        boolean clean = n == 0 || normalized.charAt(0) > ' ' && normalized.charAt(n - 1) > ' ';
        int run = 0;
        int longest = 0;
        for (int i = 0; i < n; i++) {
            char c = normalized.charAt(i);
            if (c >= '0' && c <= '9') {
                longest = Math.max(longest, ++run);
                if (run >= 3) {
                    char first = normalized.charAt(i - 2);
                    web |= first == '4' || first == '5';
                    eas |= first == '1';
                }
                bytes[i] = (byte) c;
                continue;
            }
            code |= run == 3 && isWebFirstDigit(normalized.charAt(i - 3));
            run = 0;
            if (c >= 128) {
                a = false;
                clean &= c != '\u00a0';
            } else {
                // the checks of collapseWhitespace, behind one comparison for printable characters
                if (c <= ' ' && (c != ' ' ? isRegexSpace(c) : i + 1 < n && normalized.charAt(i + 1) == ' ')) {
                    clean = false;
                }
                bytes[i] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            }
        }
        this.ascii = a;
        this.lowerAscii = a ? bytes : null;
        this.lower = a ? new String(bytes, StandardCharsets.ISO_8859_1) : normalized.toLowerCase(Locale.ROOT);
        this.collapsed = clean;
        this.digitRun = longest;
        this.webDigits = web;
        this.easDigits = eas;
        this.webCode = code || run == 3 && isWebFirstDigit(normalized.charAt(n - 3));
    }

    private static boolean isWebFirstDigit(char c) {
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
        Set<Integer> eas = new LinkedHashSet<>();
        Set<Integer> web = new LinkedHashSet<>();
        if (digitRun > 0) {
            if (lower.contains("status")) {
                for (Pattern p : new Pattern[] {STATUS_XML, STATUS_WORD}) {
                    Matcher m = p.matcher(normalized);
                    while (m.find()) {
                        int n = Integer.parseInt(m.group(1));
                        // EAS command statuses live in 100-199 (MS-ASCMD); 4xx/5xx next to "status" are HTTP.
                        if (n >= 100 && n <= 199) {
                            eas.add(n);
                        } else if (n >= 400 && n <= 599) {
                            web.add(n);
                        }
                    }
                }
            }
            if (digitRun >= 3 && webDigits) {
                if (lower.contains("http")) {
                    addHttp(web, HTTP_WORD);
                }
                for (int r = 0; webCode && r < REASONS.length; r++) {
                    if (lower.contains(REASONS[r])) {
                        addHttp(web, HTTP_REASON);
                        break;
                    }
                }
                if (webCode && lower.contains("returned") || lower.contains("respon") || lower.contains("answered")
                        || lower.contains("got") || lower.contains("received") || lower.contains("failed with")) {
                    addHttp(web, HTTP_VERB);
                }
            }
        }
        this.http = Collections.unmodifiableSet(web);
        this.easStatus = Collections.unmodifiableSet(eas);
    }

    private void addHttp(Set<Integer> web, Pattern p) {
        Matcher m = p.matcher(normalized);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            if (n >= 400 && n <= 599) {
                web.add(n);
            }
        }
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
        Set<Integer> codes = new LinkedHashSet<>();
        if (aadsts && ascii) {
            // AADSTS's matches, read off the lower-cased text (index for index the same when ASCII):
            // the case-insensitive regex tests every position of what are often long error lines.
            for (int at = lower.indexOf("aadsts"); at >= 0; ) {
                int end = at + 6;
                while (end < lower.length() && lower.charAt(end) >= '0' && lower.charAt(end) <= '9') {
                    end++;
                }
                if (end > at + 6) {
                    addNumber(codes, lower.substring(at + 6, end));
                    at = lower.indexOf("aadsts", end);
                } else {
                    at = lower.indexOf("aadsts", at + 1);
                }
            }
        } else if (aadsts) {
            Matcher m = AADSTS.matcher(s);
            while (m.find()) {
                addNumber(codes, m.group(1));
            }
        }
        if (error && lower.contains("error_codes")) {
            Matcher m = ERROR_CODES.matcher(s);
            while (m.find()) {
                for (String part : m.group(1).split("[,\\s]+")) {
                    addNumber(codes, part.trim());
                }
            }
        }
        if (error && lower.contains("/error?code=")) {
            Matcher m = ERROR_URL.matcher(s);
            while (m.find()) {
                addNumber(codes, m.group(1));
            }
        }
        return Collections.unmodifiableSet(codes);
    }

    private static void addNumber(Set<Integer> into, String digits) {
        // Codes are at most 7 digits (7000222); anything longer is an id, not a code.
        if (!digits.isEmpty() && digits.length() <= 9) {
            into.add(Integer.parseInt(digits));
        }
    }

    /** The text with escapes undone and whitespace collapsed. */
    public String normalized() {
        return normalized;
    }

    /** {@link #normalized()} lower-cased (root locale). */
    public String lower() {
        return lower;
    }

    /** AADSTS codes: {@code AADSTS70043}, {@code "error_codes":[70043]}, {@code /error?code=70043}. */
    public Set<Integer> aadsts() {
        Set<Integer> a = aadsts;
        if (a == null) {
            a = digitRun == 0 ? Set.of() : aadstsCodes(normalized, lower);
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
