package io.synctriage.provider.support;

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

    private static final Pattern AADSTS = Pattern.compile("(?i)aadsts(\\d+)");
    /** Microsoft token endpoint JSON: {@code "error_codes":[70043]}; error page URLs: {@code error?code=50173}. */
    private static final Pattern ERROR_CODES = Pattern.compile("(?i)\"?error_codes\"?\\s*[:=]\\s*\\[([\\d,\\s]+)]");
    private static final Pattern ERROR_URL = Pattern.compile("(?i)/error\\?code=(\\d+)");

    /** {@code <Status>129</Status>}, also namespaced ({@code <AirSync:Status>}). */
    private static final Pattern STATUS_XML = Pattern.compile("(?i)<(?:[a-z]+:)?status>\\s*(\\d{1,3})\\s*</");
    /** {@code Status 129}, {@code status=129}, {@code Status code: 129}, {@code "Status":"129"}, {@code status_code 401}. */
    private static final Pattern STATUS_WORD = Pattern.compile(
            "(?i)(?<![a-z])status(?:[\\s_-]*code)?[\"']?\\s*(?:[:=]|is)?\\s*[\"']?\\(?\\s*(\\d{1,3})(?!\\d)(?!\\.\\d)");
    /** {@code HTTP/1.1 401}, {@code HTTP 503}, {@code HTTP status 403}, {@code HTTP error: 500}. */
    private static final Pattern HTTP_WORD = Pattern.compile(
            "(?i)\\bhttp(?:/\\d(?:\\.\\d)?)?\\s*(?:(?:status|error|code|response)\\s*)*[:=]?\\s*(\\d{3})(?!\\d)");
    /** A status number followed by its reason phrase: {@code 401 Unauthorized}, {@code 503 Service Unavailable}. */
    private static final Pattern HTTP_REASON = Pattern.compile(
            "(?i)(?<![\\d.:/-])(\\d{3})\\s+(?:unauthorized|forbidden|not found|retry with|internal server error"
                    + "|service unavailable|bad gateway|gateway time-?out|bad request|too many requests|redirect"
                    + "|blocked|expired password|need provisioning)\\b");
    /** What {@link #HTTP_REASON} cannot match without (lower case). */
    private static final String[] REASONS = {"unauthorized", "forbidden", "not found", "retry with",
        "internal server error", "service unavailable", "bad gateway", "gateway time", "bad request",
        "too many requests", "redirect", "blocked", "expired password", "need provisioning"};
    /** {@code returned 401}, {@code responded with 503}, {@code response code 449}, {@code failed with 456}. */
    private static final Pattern HTTP_VERB = Pattern.compile(
            "(?i)\\b(?:returned|responded|response|answered|got|received|failed with)"
                    + "(?:\\s+(?:with|http|status|code|an?|error|response))*\\s*[:=]?\\s*(\\d{3})(?!\\d)(?!\\.\\d)");

    private final String normalized;
    private final String lower;
    private final boolean ascii;
    /** Longest run of ASCII digits: the code patterns need one ({@code \d} is ASCII-only), HTTP ones three. */
    private final int digitRun;
    /*
     * The code sets are computed on first use: most logged lines are benign, and a table without
     * EAS rows never asks for EAS statuses. Volatile because a Text is a value and may be read by
     * another thread; computing twice is harmless (same result).
     */
    private volatile Set<Integer> aadsts;
    private volatile Set<Integer> easStatus;
    private volatile Set<Integer> http;

    private Text(String normalized) {
        this.normalized = normalized;
        this.lower = normalized.toLowerCase(Locale.ROOT);
        boolean a = true;
        int run = 0;
        int longest = 0;
        for (int i = 0, n = normalized.length(); i < n; i++) {
            char c = normalized.charAt(i);
            if (c >= '0' && c <= '9') {
                longest = Math.max(longest, ++run);
            } else {
                run = 0;
                a &= c < 128;
            }
        }
        this.ascii = a;
        this.digitRun = longest;
    }

    /**
     * EAS statuses and HTTP codes. Each pattern runs only when the text holds what it cannot match
     * without (a digit, three digits in a row, the word "status", "http", a verb), in the original
     * order, so the sets and their order are those of running every pattern.
     */
    private void statusCodes() {
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
            if (digitRun >= 3) {
                if (lower.contains("http")) {
                    addHttp(web, HTTP_WORD);
                }
                for (String reason : REASONS) {
                    if (lower.contains(reason)) {
                        addHttp(web, HTTP_REASON);
                        break;
                    }
                }
                if (lower.contains("returned") || lower.contains("respon") || lower.contains("answered")
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
        return new Text(normalize(raw == null ? "" : raw));
    }

    /**
     * Undoes JSON string escapes (repeatedly, for JSON logged inside JSON) and the few HTML entities
     * that XML-escaped EAS responses carry, then collapses whitespace.
     */
    public static String normalize(String raw) {
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
        return collapseWhitespace(s);
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
            if (c == '\u00a0' || c != ' ' && isRegexSpace(c) || c == ' ' && i + 1 < n && s.charAt(i + 1) == ' ') {
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
    private static Set<Integer> aadstsCodes(String s, String lower) {
        Set<Integer> codes = new LinkedHashSet<>();
        if (lower.contains("aadsts")) {
            Matcher m = AADSTS.matcher(s);
            while (m.find()) {
                addNumber(codes, m.group(1));
            }
        }
        if (lower.contains("error_codes")) {
            Matcher m = ERROR_CODES.matcher(s);
            while (m.find()) {
                for (String part : m.group(1).split(",")) {
                    addNumber(codes, part.trim());
                }
            }
        }
        if (lower.contains("/error?code=")) {
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
