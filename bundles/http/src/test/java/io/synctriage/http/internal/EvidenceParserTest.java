package io.synctriage.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Test;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * {@link EvidenceParser} must give, for every body, what {@link JsonMapping#EVIDENCE_READER} gives: equal values
 * of the same classes in the same order, or the same exception with the same message and location.
 */
public class EvidenceParserTest {

    private static final String[] KEYS = {"id", "account_id", "email", "type", "a", "", "é", "日本", "x y", "\"q\"",
            "back\\slash", "tab\t", "emoji😀"};

    // --- values ----------------------------------------------------------------------------------

    @Test
    public void readsPlainValuesAsJacksonDoes() throws IOException {
        Object value = same("{\"a\": [1, 2.5, true, false, null, \"s\", {\"b\": 1795165260}], \"c\": {}, \"d\": []}");
        Map<?, ?> map = (Map<?, ?>) value;
        assertEquals(LinkedHashMap.class, map.getClass());
        assertEquals(ArrayList.class, map.get("a").getClass());
        assertEquals(List.of("a", "c", "d"), new ArrayList<>(map.keySet()));
    }

    @Test
    public void numbersOfEverySizeGetJacksonsTypes() throws IOException {
        String[] numbers = {"0", "-0", "1", "-1", "9", "123456789", "-123456789", "2147483647", "2147483648",
                "-2147483648", "-2147483649", "1774017130", "1774017130123", "999999999999999999", "9223372036854775807",
                "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "12345678901234567890123",
                "-98765432109876543210987654321", "0.0", "-0.0", "1.5", "-1.5", "1e3", "1E3", "1e-3", "1.25e+10",
                "-2.5E-300", "1e308", "1e309", "-1e400", "4.9e-324", "1e-400", "0.1", "3.141592653589793238462643383",
                "100000000000000000000000.0", "1774017130.125"};
        for (String n : numbers) {
            Map<?, ?> map = (Map<?, ?>) same("{\"n\": " + n + ", \"l\": [" + n + "]}");
            assertTrue(n, map.get("n") instanceof Number);
        }
        assertEquals(Integer.class, ((Map<?, ?>) same("{\"n\": 2147483647}")).get("n").getClass());
        assertEquals(Long.class, ((Map<?, ?>) same("{\"n\": 2147483648}")).get("n").getClass());
        assertEquals(BigInteger.class, ((Map<?, ?>) same("{\"n\": 9223372036854775808}")).get("n").getClass());
        assertEquals(Double.class, ((Map<?, ?>) same("{\"n\": 1.0}")).get("n").getClass());
    }

    @Test
    public void stringsWithEscapesAndUnicode() throws IOException {
        same("{\"s\": \"\\u0041\\u00e9\\u65e5\\ud83d\\ude00 \\\" \\\\ \\/ \\b \\f \\n \\r \\t\"}");
        same("{\"lone\": \"\\ud83d x \\ude00\"}"); // unpaired surrogates: Jackson keeps them
        same("{\"raw\": \"é 日本 😀 \u007f\"}");
        same("{\"\\u0069\\u0064\": 1}");
        same("{\"" + "k".repeat(300) + "\": \"" + "v".repeat(70_000) + "\"}");
    }

    @Test
    public void emptyAndNestedContainers() throws IOException {
        same("{}");
        same(" \r\n\t{ } \r\n\t");
        same("{\"a\": [], \"b\": {}, \"c\": [[]], \"d\": [{}], \"e\": [[[1, [2, [3]]]], {\"f\": {\"g\": {}}}]}");
        same("{\"deep\": " + "[".repeat(500) + "]".repeat(500) + "}");
        same("{\"deep\": " + "{\"a\":".repeat(500) + "1" + "}".repeat(500) + "}");
    }

    @Test
    public void deepNestingNeedsNoDeepStack() throws Throwable {
        // As deep as the parser allows (1000 levels), on a thread stack that recursing that deep overflows.
        byte[][] bodies = {
            ("{\"deep\": " + "[".repeat(998) + "]".repeat(998) + "}").getBytes(StandardCharsets.UTF_8),
            ("{\"deep\": " + "{\"a\":".repeat(998) + "1" + "}".repeat(998) + "}").getBytes(StandardCharsets.UTF_8),
        };
        Object[] values = new Object[bodies.length];
        Throwable[] failure = new Throwable[1];
        Thread reader = new Thread(null, () -> {
            try {
                for (int i = 0; i < bodies.length; i++) {
                    values[i] = EvidenceParser.read(bodies[i]);
                }
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "small-stack", 256 * 1024);
        reader.start();
        reader.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        for (int i = 0; i < bodies.length; i++) {
            assertEquals(JsonMapping.EVIDENCE_READER.readValue(bodies[i]), values[i]);
        }
    }

    @Test
    public void randomTreesReadAlike() throws IOException {
        Random random = new Random(20261120);
        for (int i = 0; i < 2000; i++) {
            StringBuilder json = new StringBuilder();
            writeObject(random, json, 0);
            same(json.toString());
        }
    }

    // --- errors ----------------------------------------------------------------------------------

    @Test
    public void duplicateKeysAreRejectedAtEveryDepth() throws IOException {
        String[] bodies = {
            "{\"a\": 1, \"a\": 2}",
            "{\"a\": null, \"a\": null}",
            "{\"a\": {}, \"b\": 2, \"a\": []}",
            "{\"x\": {\"id\": \"1\", \"id\": \"2\"}}",
            "{\"x\": [{\"ok\": 1}, {\"id\": 1, \"e\": 2, \"id\": 3}]}",
            "{\"x\": [[[{\"d\": {\"k\": 1, \"k\": 1}}]]]}",
            "{\"\\u0061\": 1, \"a\": 2}",
            "{\"a\": 1, \"a\": }", // duplicate, then a syntax error: Jackson reports the duplicate first
            "{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4, \"e\": 5, \"c\": 6}",
        };
        for (String body : bodies) {
            JsonProcessingException e = (JsonProcessingException) sameFailure(body);
            assertTrue(body + ": " + e.getOriginalMessage(), e.getOriginalMessage().startsWith("Duplicate field '"));
        }
        // The same key in different objects is no duplicate.
        same("{\"a\": {\"a\": {\"a\": 1}}, \"b\": [{\"a\": 1}, {\"a\": 2}]}");
    }

    @Test
    public void trailingTokensAndGarbageAreRejected() throws IOException {
        String[] bodies = {"{} {}", "{\"a\": 1} x", "{}]", "{}}", "{},", "{} 1", "{} null", "{} \"s\"", "{} []",
            "{}\u0000", "{} //", "{} /* */"};
        for (String body : bodies) {
            sameFailure(body);
        }
    }

    @Test
    public void malformedBodiesFailAlike() throws IOException {
        String[] bodies = {"{", "{\"a\"", "{\"a\":", "{\"a\": 1", "{\"a\": 1,", "{\"a\": 1,}", "{\"a\" 1}", "{a: 1}",
            "{'a': 1}", "{\"a\": [1, 2}", "{\"a\": [1, 2,]}", "{\"a\": tru}", "{\"a\": truex}", "{\"a\": nul}",
            "{\"a\": 01}", "{\"a\": -}", "{\"a\": 1.}", "{\"a\": .5}", "{\"a\": 1e}", "{\"a\": +1}", "{\"a\": NaN}",
            "{\"a\": Infinity}", "{\"a\": 0x10}", "{\"a\": 1 2}", "{\"a\": \"\\x\"}", "{\"a\": \"\\u12\"}",
            "{\"a\": \"tab\tinside\"}", "{\"a\": \"line\ninside\"}", "{\"a\": \"unterminated}", "{// c\n}",
            "{\"a\": 1}\n\n  x", "\n\n  {\"a\": [\n   1, }"};
        for (String body : bodies) {
            sameFailure(body);
        }
    }

    @Test
    public void everyTruncationFailsAlike() throws IOException {
        String body = "{\"account\": {\"id\": \"a1\", \"n\": -12.5e3, \"ok\": true, \"no\": null},"
                + " \"l\": [1, \"x\\u00e9\", {}, []], \"é\": \"日本\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int length = 1; length < bytes.length; length++) {
            byte[] cut = new byte[length];
            System.arraycopy(bytes, 0, cut, 0, length);
            sameOutcome(cut);
        }
    }

    @Test
    public void corruptedBytesFailAlike() throws IOException {
        Random random = new Random(7);
        byte[] original = "{\"a\": [1, 2.5, \"é\", {\"b\": null, \"c\": true}], \"d\": \"x\"}"
                .getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = original.clone();
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            sameOutcome(bytes);
        }
    }

    @Test
    public void invalidUtf8FailsAlike() throws IOException {
        int[][] sequences = {{0x80}, {0xbf}, {0xc0, 0x80}, {0xc3}, {0xc3, 0x28}, {0xe6, 0x97}, {0xed, 0xa0, 0x80},
            {0xf0, 0x9f, 0x98}, {0xf4, 0x90, 0x80, 0x80}, {0xf8, 0x88, 0x80, 0x80, 0x80}, {0xff}, {0xfe}};
        for (int[] sequence : sequences) {
            byte[] inString = utf8Around("{\"a\": \"x", sequence, "x\"}");
            sameOutcome(inString);
            sameOutcome(utf8Around("{\"", sequence, "\": 1}"));
            sameOutcome(utf8Around("{\"a\": ", sequence, "}"));
        }
    }

    @Test
    public void otherEncodingsReadAlike() throws IOException {
        String body = "{\"account\": {\"id\": \"é日本😀\"}}";
        for (String charset : new String[] {"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE"}) {
            same(body.getBytes(Charset.forName(charset)));
        }
        byte[] utf8 = body.getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[utf8.length + 3];
        bom[0] = (byte) 0xef;
        bom[1] = (byte) 0xbb;
        bom[2] = (byte) 0xbf;
        System.arraycopy(utf8, 0, bom, 3, utf8.length);
        same(bom);
        // Looks like UTF-32BE ("{"), then a code point beyond Unicode.
        sameOutcome(new byte[] {0, 0, 0, '{', 0x7f, 0, 0, 0});
    }

    @Test
    public void bodiesThatAreNotObjectsReadAlike() throws IOException {
        for (String body : new String[] {"[]", "[{\"a\": 1}]", "\"s\"", "1", "-2.5", "true", "false", "null",
            " null ", "[] []", "1 2", "\ufeff"}) {
            sameOutcome(body.getBytes(StandardCharsets.UTF_8));
        }
        sameOutcome(new byte[0]);
        sameOutcome(" \n\t".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void readLimitsApplyAlike() throws IOException {
        sameFailure("{\"deep\": " + "[".repeat(1001) + "]".repeat(1001) + "}");
        sameFailure("{\"deep\": " + "{\"a\":".repeat(1001) + "1" + "}".repeat(1001) + "}");
        sameFailure("{\"n\": " + "9".repeat(1001) + "}");
        sameFailure("{\"n\": 0." + "9".repeat(1001) + "}");
        same("{\"n\": " + "9".repeat(1000) + "}");
        sameFailure("{\"" + "k".repeat(50_001) + "\": 1}");
    }

    // --- comparison ------------------------------------------------------------------------------

    private static Object same(String json) throws IOException {
        return same(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Both read {@code body} to equal values of the same classes, in the same order. */
    private static Object same(byte[] body) throws IOException {
        Object expected = JsonMapping.EVIDENCE_READER.readValue(body);
        Object actual = EvidenceParser.read(body);
        assertSameTree(new String(body, StandardCharsets.UTF_8), expected, actual);
        return actual;
    }

    private static Exception sameFailure(String json) throws IOException {
        Exception e = sameOutcome(json.getBytes(StandardCharsets.UTF_8));
        if (e == null) {
            fail("expected a failure for " + json);
        }
        return e;
    }

    /** Both read {@code body} alike, or both fail alike; the failure, if any. */
    private static Exception sameOutcome(byte[] body) throws IOException {
        Object expected;
        try {
            expected = JsonMapping.EVIDENCE_READER.readValue(body);
        } catch (IOException e) {
            try {
                EvidenceParser.read(body);
            } catch (IOException actual) {
                assertSameFailure(e, actual);
                return actual;
            }
            throw new AssertionError("EvidenceParser accepted what Jackson rejects ("
                    + e.getMessage() + "): " + new String(body, StandardCharsets.ISO_8859_1));
        }
        assertSameTree(new String(body, StandardCharsets.ISO_8859_1), expected, EvidenceParser.read(body));
        return null;
    }

    private static void assertSameFailure(IOException expected, IOException actual) {
        assertEquals(expected.getClass(), actual.getClass());
        assertEquals(expected.getMessage(), actual.getMessage());
        if (expected instanceof JsonProcessingException) {
            JsonLocation e = ((JsonProcessingException) expected).getLocation();
            JsonLocation a = ((JsonProcessingException) actual).getLocation();
            assertEquals(e == null, a == null);
            if (e != null) {
                assertEquals(e.getLineNr(), a.getLineNr());
                assertEquals(e.getColumnNr(), a.getColumnNr());
                assertEquals(e.getByteOffset(), a.getByteOffset());
            }
        }
    }

    private static void assertSameTree(String where, Object expected, Object actual) {
        if (expected == null || actual == null) {
            assertEquals(where, expected, actual);
            return;
        }
        assertEquals(where, expected.getClass(), actual.getClass());
        if (expected instanceof Map) {
            Iterator<? extends Map.Entry<?, ?>> e = ((Map<?, ?>) expected).entrySet().iterator();
            Iterator<? extends Map.Entry<?, ?>> a = ((Map<?, ?>) actual).entrySet().iterator();
            while (e.hasNext()) {
                assertTrue(where, a.hasNext());
                Map.Entry<?, ?> ee = e.next();
                Map.Entry<?, ?> ae = a.next();
                assertEquals(where, ee.getKey(), ae.getKey());
                assertSameTree(where + "." + ee.getKey(), ee.getValue(), ae.getValue());
            }
            assertTrue(where, !a.hasNext());
        } else if (expected instanceof List) {
            List<?> e = (List<?>) expected;
            List<?> a = (List<?>) actual;
            assertEquals(where, e.size(), a.size());
            for (int i = 0; i < e.size(); i++) {
                assertSameTree(where + "[" + i + "]", e.get(i), a.get(i));
            }
        } else {
            assertEquals(where, expected, actual);
        }
    }

    // --- random JSON -----------------------------------------------------------------------------

    private static void writeObject(Random random, StringBuilder json, int depth) {
        json.append('{');
        int n = random.nextInt(depth == 0 ? 8 : 5);
        List<String> used = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = KEYS[random.nextInt(KEYS.length)] + (random.nextInt(4) == 0 ? "" : i);
            if (used.contains(key)) {
                continue;
            }
            if (!used.isEmpty()) {
                json.append(',');
            }
            used.add(key);
            whitespace(random, json);
            writeString(random, json, key);
            whitespace(random, json);
            json.append(':');
            whitespace(random, json);
            writeValue(random, json, depth + 1);
            whitespace(random, json);
        }
        json.append('}');
    }

    private static void writeValue(Random random, StringBuilder json, int depth) {
        int kind = random.nextInt(depth > 5 ? 6 : 8);
        switch (kind) {
            case 0 -> writeString(random, json, randomText(random));
            case 1 -> json.append(randomInteger(random));
            case 2 -> json.append(randomFloat(random));
            case 3 -> json.append(random.nextBoolean());
            case 4 -> json.append("null");
            case 5 -> writeString(random, json, KEYS[random.nextInt(KEYS.length)]);
            case 6 -> writeObject(random, json, depth);
            default -> {
                json.append('[');
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        json.append(',');
                    }
                    whitespace(random, json);
                    writeValue(random, json, depth + 1);
                }
                whitespace(random, json);
                json.append(']');
            }
        }
    }

    private static String randomInteger(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Integer.toString(random.nextInt(100) - 50);
            case 1 -> Integer.toString(random.nextInt());
            case 2 -> Long.toString(random.nextLong());
            case 3 -> Long.toString(1_700_000_000L + random.nextInt(100_000_000));
            case 4 -> new BigInteger(64 + random.nextInt(100), random).negate().toString();
            default -> new BigInteger(1 + random.nextInt(70), random).toString();
        };
    }

    private static String randomFloat(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> Double.toString(random.nextDouble() * 1000 - 500);
            case 1 -> Double.toString(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL));
            case 2 -> (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + "." + random.nextInt(1000)
                    + (random.nextBoolean() ? "e" + (random.nextInt(800) - 400) : "");
            case 3 -> random.nextInt(10) + "E+" + random.nextInt(30);
            default -> "0." + new BigInteger(1 + random.nextInt(200), random);
        };
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int n = random.nextInt(20);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            if (kind < 6) {
                text.append((char) (' ' + random.nextInt(95)));
            } else if (kind == 6) {
                text.append((char) random.nextInt(0x20));
            } else if (kind == 7) {
                text.append((char) (0xa0 + random.nextInt(0x700)));
            } else if (kind == 8) {
                text.appendCodePoint(0x10000 + random.nextInt(0x10000));
            } else {
                text.append((char) (0x3000 + random.nextInt(0x5000)));
            }
        }
        return text.toString();
    }

    /** {@code text} as a JSON string, escaping what must be and, at random, what may be. */
    private static void writeString(Random random, StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || random.nextInt(12) == 0) {
                if (c == '\n' && random.nextBoolean()) {
                    json.append("\\n");
                } else if (c == '/' && random.nextBoolean()) {
                    json.append("\\/");
                } else {
                    json.append(String.format(random.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
                }
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }

    private static void whitespace(Random random, StringBuilder json) {
        int n = random.nextInt(3) == 0 ? random.nextInt(4) : 0;
        for (int i = 0; i < n; i++) {
            json.append(" \t\r\n".charAt(random.nextInt(4)));
        }
    }

    private static byte[] utf8Around(String before, int[] sequence, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + sequence.length + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        for (int i = 0; i < sequence.length; i++) {
            bytes[head.length + i] = (byte) sequence[i];
        }
        System.arraycopy(tail, 0, bytes, head.length + sequence.length, tail.length);
        return bytes;
    }
}
