package io.synctriage.provider.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

public class TextTest {

    @Test
    public void errorCodeListsMaySeparateWithSpaces() {
        assertEquals(Set.of(50076, 50079), Text.of("invalid_grant", "{\"error_codes\":[50076 50079]}").aadsts());
        assertEquals(Set.of(70043), Text.of("invalid_grant", "{\"error_codes\":[ 70043 , ]}").aadsts());
    }

    @Test
    public void joinsErrorAndMessage() {
        assertEquals("invalid_grant AADSTS70043: x", Text.of("invalid_grant", "AADSTS70043: x").normalized());
        assertEquals("only message", Text.of(null, "only message").normalized());
        assertEquals("only_error", Text.of("only_error", " ").normalized());
        assertTrue(Text.of(null, null).isEmpty());
    }

    @Test
    public void undoesJsonEscapesIncludingDoubleEscapedBodies() {
        String once = "{\\\"error\\\":\\\"invalid_grant\\\",\\\"error_description\\\":\\\"reauth related error (invalid_rapt)\\\"}";
        assertEquals("{\"error\":\"invalid_grant\",\"error_description\":\"reauth related error (invalid_rapt)\"}",
                Text.of(once).normalized());
        String twice = "body=\"{\\\\\\\"error\\\\\\\":\\\\\\\"deleted_client\\\\\\\"}\"";
        assertTrue(Text.of(twice).normalized(), Text.of(twice).normalized().contains("\"error\":\"deleted_client\""));
        assertEquals("a\u00e9b https://x/y", Text.of("a\\u00e9b https:\\/\\/x\\/y").normalized());
        assertEquals("line one line two", Text.of("line one\\nline   two").normalized());
    }

    @Test
    public void undoesXmlEntitiesAndCollapsesWhitespace() {
        Text t = Text.of("&lt;Status&gt;129&lt;/Status&gt;\t\n  done");
        assertEquals("<Status>129</Status> done", t.normalized());
        assertEquals(Set.of(129), t.easStatus());
    }

    /**
     * ASCII texts are read as bytes (one UTF-8 encoding tells ASCII apart and copies them): on random
     * texts, with non-ASCII letters, a lone surrogate (which the encoder turns into '?') and every kind
     * of whitespace, the lower-cased form, ASCII-ness and collapsed whitespace equal their definitions.
     */
    @Test
    public void byteWiseReadingEqualsTheCharacters() {
        String[] pieces = {"a", "Z", "Mix", "?", "\uD800", "\uDC00x", "\uD83D\uDE00", "\u00e9", "\u00c9", "\u212A", "\u00a0",
            " ", "  ", "\t", "\r\n", "\u000B", "\f", "\u0001", "0", "12", "401", "1290", "x9", "[", "@", "`", "_", "~"};
        Random random = new Random(5);
        for (int round = 0; round < 100_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(10); i >= 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String raw = sb.toString();
            Text t = Text.of(raw);
            String s = t.normalized();
            assertEquals(raw, Text.normalize(raw), s);
            assertEquals(raw, s.toLowerCase(java.util.Locale.ROOT), t.lower());
            assertEquals(raw, s.chars().allMatch(c -> c < 128), t.ascii());
            if (t.ascii()) {
                assertEquals(raw, t.lower(), new String(t.lowerAscii(), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        assertFalse(Text.of("lone \uD800 surrogate").ascii());
        assertEquals("lone \uD800 surrogate", Text.of("Lone \uD800 Surrogate").lower());
    }

    /**
     * The hand-written reading of HTTP_REASON finds exactly what the regex finds, on random texts made
     * of its pieces and of what its look-behind, case rule and word boundary turn on.
     */
    @Test
    public void httpReasonCodesEqualTheRegex() {
        String[] pieces = {"401", "429", "503", "4041", "200", "5", "1", " ", "  ", "\t", "\n", ".", ":", "/", "-", "_", "x",
            "(", "Unauthorized", "UNAUTHORIZED", "unauthorised", "forbidden", "Not Found", "not  found", "retry with",
            "Internal Server Error", "service unavailable", "Bad Gateway", "gateway timeout", "Gateway Time-out",
            "gateway time out", "bad request", "Too Many Requests", "redirect", "blocked", "BLOCKED", "expired password",
            "need provisioning", "\u0301", "\u00e9", "\u212Aed", "\uD835\uDC00", "\u00a0", "s", "9", "e"};
        Random random = new Random(17);
        int found = 0;
        for (int round = 0; round < 200_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(9); i >= 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
                if (random.nextInt(3) == 0) {
                    // a code, whitespace and a phrase in a row: what the regex looks for
                    sb.append(pieces[random.nextInt(7)]).append(pieces[7 + random.nextInt(3)]).append(pieces[18 + random.nextInt(20)]);
                }
            }
            Text t = Text.of(sb.toString());
            String s = t.normalized();
            Set<Integer> expected = new LinkedHashSet<>();
            Matcher m = Text.HTTP_REASON.matcher(s);
            while (m.find()) {
                int n = Integer.parseInt(m.group(1));
                if (n >= 400 && n <= 599) {
                    expected.add(n);
                }
            }
            Set<Integer> actual = t.httpReasonCodes(null);
            assertEquals(s, List.copyOf(expected), actual == null ? List.of() : List.copyOf(actual));
            found += expected.size();
        }
        assertTrue("random texts must hold reason phrases often enough to test anything", found > 10_000);
    }

    @Test
    public void aadstsCodesAreWholeNumbers() {
        assertEquals(Set.of(530035), Text.of("AADSTS530035: blocked by security defaults").aadsts());
        assertFalse(Text.of("AADSTS530035: blocked").aadsts().contains(53003));
        assertEquals(Set.of(50076), Text.of("aadsts50076 MFA").aadsts());
        assertFalse(Text.of("AADSTS50076").aadsts().contains(5007));
        assertEquals(Set.of(70043, 50173), Text.of("AADSTS70043 then AADSTS50173").aadsts());
    }

    @Test
    public void aadstsCodesFromTokenEndpointJsonAndErrorUrls() {
        Text json = Text.of("{\"error\":\"invalid_grant\",\"error_codes\":[70043, 50173],\"trace_id\":\"0d1e\"}");
        assertEquals(Set.of(70043, 50173), json.aadsts());
        assertEquals(Set.of(50173), Text.of("see https://login.microsoftonline.com/error?code=50173").aadsts());
        // a trace/correlation id never yields a code
        assertTrue(Text.of("Trace ID: 7f3c1a2b-5300-3aa1 Correlation ID: 53003").aadsts().isEmpty());
    }

    @Test
    public void easStatusForms() {
        assertEquals(Set.of(129), Text.of("FolderSync https://mail.x.de/Microsoft-Server-ActiveSync: Status 129 (DeviceIsBlockedForThisUser)").easStatus());
        assertEquals(Set.of(129), Text.of("<Status>129</Status>").easStatus());
        assertEquals(Set.of(177), Text.of("<AirSync:Status>177</AirSync:Status>").easStatus());
        assertEquals(Set.of(142), Text.of("provision failed status=142").easStatus());
        assertEquals(Set.of(131), Text.of("Status code: 131").easStatus());
        assertEquals(Set.of(126), Text.of("{\"Status\":\"126\"}").easStatus());
        assertEquals(Set.of(111), Text.of("sync failed, Status 111.").easStatus());
        assertTrue(Text.of("Status 1290").easStatus().isEmpty());
        assertTrue(Text.of("Sync status 12 (folder hierarchy changed)").easStatus().isEmpty());
        assertTrue(Text.of("initial sync not complete; retry 5/6").easStatus().isEmpty());
        assertTrue(Text.of("Statuses: 129 items").easStatus().isEmpty());
    }

    /**
     * The code sets are computed only when the text holds what a pattern cannot match without; on
     * random texts built from the patterns' own pieces they equal running every pattern on every text.
     */
    @Test
    public void prefiltersNeverChangeTheCodes() {
        String[] pieces = {"HTTP", "http/1.1", " ", "  ", ":", "=", "status", "Status", "<Status>", "</Status>", "code",
            "401", "4041", "503", "129", "1290", "12", "5", "0", "1", "4", ".", "Unauthorized", "too many requests",
            "returned", "responded with", "got", "failed with", "AADSTS", "aadsts", "70043", "error_codes",
            "\"error_codes\":[", "]", ",", "/error?code=", "x", "(", "\"", "-", "/"};
        Random random = new Random(11);
        int withCodes = 0;
        for (int round = 0; round < 200_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(8); i >= 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            Text t = Text.of(sb.toString());
            String s = t.normalized();
            Set<Integer> eas = new LinkedHashSet<>();
            Set<Integer> web = new LinkedHashSet<>();
            for (Pattern p : new Pattern[] {Text.STATUS_XML, Text.STATUS_WORD}) {
                Matcher m = p.matcher(s);
                while (m.find()) {
                    int n = Integer.parseInt(m.group(1));
                    if (n >= 100 && n <= 199) {
                        eas.add(n);
                    } else if (n >= 400 && n <= 599) {
                        web.add(n);
                    }
                }
            }
            for (Pattern p : new Pattern[] {Text.HTTP_WORD, Text.HTTP_REASON, Text.HTTP_VERB}) {
                Matcher m = p.matcher(s);
                while (m.find()) {
                    int n = Integer.parseInt(m.group(1));
                    if (n >= 400 && n <= 599) {
                        web.add(n);
                    }
                }
            }
            assertEquals(s, List.copyOf(eas), List.copyOf(t.easStatus()));
            assertEquals(s, List.copyOf(web), List.copyOf(t.http()));
            Set<Integer> aadsts = new LinkedHashSet<>();
            // "error_codes":[5 1] (space-separated) once threw NumberFormatException: both split on commas and spaces now
            aadstsByEveryPattern(s, aadsts);
            assertEquals(s, List.copyOf(aadsts), List.copyOf(t.aadsts()));
            if (!web.isEmpty() || !eas.isEmpty() || !aadsts.isEmpty()) {
                withCodes++;
            }
        }
        assertTrue("random texts must hold codes often enough to test anything", withCodes > 10_000);
    }

    private static void aadstsByEveryPattern(String s, Set<Integer> into) {
        Matcher m = Text.AADSTS.matcher(s);
        while (m.find()) {
            addCode(into, m.group(1));
        }
        m = Text.ERROR_CODES.matcher(s);
        while (m.find()) {
            for (String part : m.group(1).split("[,\\s]+")) {
                addCode(into, part.trim());
            }
        }
        m = Text.ERROR_URL.matcher(s);
        while (m.find()) {
            addCode(into, m.group(1));
        }
    }

    /** Codes are at most nine digits: a longer number is an id. */
    private static void addCode(Set<Integer> into, String digits) {
        if (!digits.isEmpty() && digits.length() <= 9) {
            into.add(Integer.parseInt(digits));
        }
    }

    @Test
    public void httpStatusForms() {
        assertEquals(Set.of(401), Text.of("HTTP/1.1 401 Unauthorized").http());
        assertEquals(Set.of(503), Text.of("HTTP 503 from server").http());
        assertEquals(Set.of(403), Text.of("request failed: 403 Forbidden").http());
        assertEquals(Set.of(449), Text.of("Sync returned 449").http());
        assertEquals(Set.of(457), Text.of("OPTIONS responded with 457").http());
        assertEquals(Set.of(500), Text.of("status=500").http());
        assertEquals(Set.of(451), Text.of("{\"status\": 451, \"X-MS-Location\": \"https://mail2\"}").http());
        assertEquals(Set.of(456), Text.of("HTTP status code: 456").http());
        assertEquals(Set.of(503), Text.of("http_status=503").http());
        assertTrue(Text.of("IDLE on INBOX (mail.example.se:993)").http().isEmpty());
        assertTrue(Text.of("550 5.7.30 Basic authentication is not supported").http().isEmpty());
        assertTrue(Text.of("HTTP 4010 weird").http().isEmpty());
        assertTrue(Text.of("Status 129").http().isEmpty());
    }
}
