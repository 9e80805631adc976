package io.synctriage.provider.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * The prefilters must never change an answer: the literals a regex is keyed by are really
 * necessary, whitespace collapsing equals the regex it replaced, and an indexed table finds exactly
 * the rows a full scan finds.
 */
public class IndexTest {

    @Test
    public void regexLiteralsAreNecessary() {
        assertEquals(List.of("conn", "connecting", "etimedout"), Literals.ofRegex(
                "conn(?:ect|ection)?(?:\\s+to\\s+\\S+)?\\s+timed?\\s*out|timed?\\s*out (?:while )?connecting|\\bETIMEDOUT\\b"));
        assertEquals(List.of("5.7.30"), Literals.ofRegex("(?<![\\d.])5\\.7\\.30(?![\\d])"));
        assertEquals(List.of("signed certificate"), Literals.ofRegex("self[- ]signed certificate"));
        assertEquals(List.of("doesn't", "does not"), Literals.ofRegex("host ?name .{0,80}(?:doesn't|does not) match"));
        // an optional part or a too-short alternative gives no literal at all
        assertNull(Literals.ofRegex("(?:abc)?x"));
        assertNull(Literals.ofRegex("abc|x"));
        assertNull(Literals.ofRegex("a+b+"));
        // unknown constructs: give up rather than guess
        assertNull(Literals.ofRegex("(?i)password"));
        assertNull(Literals.ofRegex("\\Qpass\\E"));
        assertNull(Literals.ofRegex("(pass)\\1"));
    }

    @Test
    public void collapsingWhitespaceEqualsTheRegex() {
        Pattern ws = Pattern.compile("\\s+");
        for (String s : new String[] {"", " ", "a", " a ", "a  b", "a\tb", "a\u00a0 b", "\u00a0a\u00a0", "a\u000Bb\fc\r\nd",
            "\u0001x\u0001", "x \u2003 y", "already clean", "end ", "  lead"}) {
            assertEquals("[" + s + "]", ws.matcher(s.replace('\u00a0', ' ')).replaceAll(" ").trim(),
                    Text.collapseWhitespace(s));
        }
    }

    /**
     * The first look at plain texts never rules out a text the full path would match: on random texts
     * made of the table's keys, code words, digits, case changes, escapes, entities, non-ASCII letters and
     * whitespace, "no" always means an empty find (and a non-empty text); and it says "no" often enough.
     */
    @Test
    public void plainFirstLookNeverLosesAMatch() throws Exception {
        SignatureTable table = SignatureTable.parse("t.tsv", new java.io.StringReader(String.join("\n",
                "aadsts:70043|50076\tCA_SIGNIN_FREQUENCY\tPOLICY\tspecific\t0.95\t-\t-\tAADSTS70043",
                "http:401|503\tPASSWORD_CHANGED\tAUTH\theuristic\t0.5\t-\t-\tHTTP 401",
                "eas_status:129\tEAS_DEVICE_BLOCKED\tPOLICY\tspecific\t0.9\t-\t-\tStatus 129",
                "imap_code:AUTHENTICATIONFAILED\tPASSWORD_CHANGED\tAUTH\tspecific\t0.8\t-\t-\tIMAP auth",
                "regex:conn(?:ect|ection)?(?:\\s+to\\s+\\S+)?\\s+timed?\\s*out|\\bETIMEDOUT\\b\tNETWORK_RESTRICTED"
                        + "\tNETWORK\theuristic\t0.5\t-\t-\ttimeout",
                "text:Token has been expired or revoked\tUSER_REVOKED_ACCESS\tAUTH\theuristic\t0.5\t-\t-\trevoked",
                "token:invalid_grant\t-\tAUTH\tinfo\t0.3\t-\t-\tinvalid_grant")), Set.of());
        String[] pieces = {"sync ok", " ", "  ", "\t", "Token has been", " expired or revoked", "TOKEN HAS BEEN EXPIRED",
            "invalid_grant", "INVALID_GRANT", "[AUTHENTICATIONFAILED]", "conn", "Connect to x timed out", "ETIMEDOUT",
            "aadsts", "AADSTS", "70043", "50076", "error", "ERROR_codes", "\"error_codes\":[70043]", "/error?code=50076",
            "HTTP 401", "status=129", "Status 129", "401", "503", "129", "12", "4041", "x", ".", "\\n", "\\u0041",
            "&amp;", "&lt;", "\u00e9", "\u212A", "tim", "ed out", "503 Service Unavailable", "429 Too Many Requests",
            "returned 401", "got 503", "responded with 401", "Status code: 401", "<Status>129</Status>", "status",
            "http", "HTTP/1.1", "expires in 3599 s", "4230", "1290", " 401 ", "(503)", "401.5", "5031", "14"};
        java.util.Random random = new java.util.Random(23);
        int no = 0;
        for (int round = 0; round < 200_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(6); i >= 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String s = sb.toString().trim();
            if (!table.mayMatchPlain(s)) {
                no++;
                Text t = Text.of(s);
                assertEquals("[" + s + "] is not empty", false, t.isEmpty());
                assertEquals("[" + s + "]", List.of(), table.find(t, null));
            }
        }
        org.junit.Assert.assertTrue("the first look must rule out plain benign texts (" + no + ")", no > 20_000);
    }

    /** The first look reads numbers as Text's status patterns do: a count or an unkeyed code is no row's. */
    @Test
    public void plainFirstLookRulesOutCountsAndCodesNoRowIsKeyedBy() throws Exception {
        SignatureTable table = SignatureTable.parse("t.tsv", new java.io.StringReader(String.join("\n",
                "http:401|503\tPASSWORD_CHANGED\tAUTH\theuristic\t0.5\t-\t-\tHTTP 401",
                "eas_status:129\tEAS_DEVICE_BLOCKED\tPOLICY\tspecific\t0.9\t-\t-\tStatus 129",
                "token:invalid_grant\t-\tAUTH\tinfo\t0.3\t-\t-\tinvalid_grant")), Set.of());
        for (String no : List.of("Access token refreshed, expires in 3599 s", "renewed (expires in 4230 minutes)",
                "Graph request throttled (429 Too Many Requests)", "fetched 129 messages", "sync ok")) {
            assertEquals(no, false, table.mayMatchPlain(no));
        }
        for (String maybe : List.of("503 Service Unavailable", "server returned 401", "HTTP 4290 then 500",
                "Status code: 429", "<Status>129</Status>", "sync failed: invalid_grant")) {
            assertEquals(maybe, true, table.mayMatchPlain(maybe));
        }
    }

    @Test
    public void indexedFindEqualsAFullScan() throws Exception {
        SignatureTable table = SignatureTable.parse("t.tsv", new java.io.StringReader(String.join("\n",
                "aadsts:70043\tCA_SIGNIN_FREQUENCY\tPOLICY\tspecific\t0.95\t-\t-\tAADSTS70043",
                "http:401\tPASSWORD_CHANGED\tAUTH\theuristic\t0.5\t-\t-\tHTTP 401",
                "eas_status:129\tEAS_DEVICE_BLOCKED\tPOLICY\tspecific\t0.9\t-\t-\tStatus 129",
                "imap_code:AUTHENTICATIONFAILED\tPASSWORD_CHANGED\tAUTH\tspecific\t0.8\t-\t-\tIMAP auth",
                "imap_code:AUTHENTICATIONFAILED && provider:icloud\tAPP_PASSWORD_REQUIRED\tAUTH\tspecific\t0.9\t-\t-\ticloud",
                "imap_code:ALERT\t-\tOTHER\tinfo\t0.1\t-\t-\talert",
                "regex:conn(?:ect|ection)?(?:\\s+to\\s+\\S+)?\\s+timed?\\s*out|\\bETIMEDOUT\\b\tNETWORK_RESTRICTED"
                        + "\tNETWORK\theuristic\t0.5\t-\t-\ttimeout",
                "regex:connection refused && !text:localhost\tNETWORK_RESTRICTED\tNETWORK\theuristic\t0.5\t-\t-\trefused",
                "regex:k.lvin\tNETWORK_RESTRICTED\tNETWORK\theuristic\t0.4\t-\t-\tkelvin",
                "regex:\\d{3} x\tNETWORK_RESTRICTED\tNETWORK\theuristic\t0.3\t-\t-\tunkeyed",
                "text:Token has been expired or revoked\tUSER_REVOKED_ACCESS\tAUTH\theuristic\t0.5\t-\t-\trevoked",
                "token:invalid_grant\t-\tAUTH\tinfo\t0.3\t-\t-\tinvalid_grant")), Set.of());
        List<String> lines = new ArrayList<>(List.of("connection timed out", "Connect to mail.example.com timed out",
                "a1 NO [AUTHENTICATIONFAILED] x", "AADSTS70043", "{\"error_codes\":[50173]}", "HTTP/1.1 401 Unauthorized",
                "Status 129", "sync ok batch 12", "", "ünïcode [ALERT] connection refused", "\u212Aelvin and kelvin",
                "\u212Aelvin alone", "123 x", "localhost connection refused",
                "Token  has\tbeen expired or revoked.", "INVALID_GRANT", "invalid_grants"));
        for (Signature s : table.signatures()) {
            lines.add(s.label());
            lines.add(String.join(" ", s.terms().get(0).values()));
        }
        for (String line : lines) {
            Text t = Text.of(line);
            List<Signature> full = new ArrayList<>();
            for (Signature s : table.signatures()) {
                if (s.matches(t, null)) {
                    full.add(s);
                }
            }
            List<Signature> indexed = new Index(table.signatures()).find(t, null);
            assertEquals(line, full, indexed);
        }
    }
}
