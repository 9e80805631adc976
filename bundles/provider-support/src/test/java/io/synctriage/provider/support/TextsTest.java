package io.synctriage.provider.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.synctriage.model.Cause;

public class TextsTest {

    private static Texts parse(String s) throws IOException {
        return Texts.parse("t.properties", new StringReader(s));
    }

    /** The hand-written fill equals the regex replacement it replaced, on random templates. */
    @Test
    public void fillEqualsTheRegexReplacement() {
        java.util.regex.Pattern placeholder = java.util.regex.Pattern.compile("\\{([a-z]+)}");
        Map<String, String> vars = Map.of("email", "a@b.c", "host", "$1 \\ {x}", "x", "");
        String[] pieces = {"{", "}", "email", "host", "x", "X", "{email}", "{host}", "{x}", "{}", " ", "$", "\\", "{{", "é"};
        java.util.Random random = new java.util.Random(3);
        for (int round = 0; round < 50_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(8); i >= 0; i--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String template = sb.toString();
            java.util.regex.Matcher m = placeholder.matcher(template);
            StringBuilder expected = new StringBuilder();
            while (m.find()) {
                String v = vars.get(m.group(1));
                m.appendReplacement(expected, java.util.regex.Matcher.quoteReplacement(v == null ? "" : v));
            }
            m.appendTail(expected);
            assertEquals(template, expected.toString(), Texts.fill(template, vars));
        }
    }

    @Test
    public void rendersSummaryAndOrderedStepsWithPlaceholders() throws IOException {
        Texts t = parse("PASSWORD_CHANGED.summary = {email} failed with {signature} at {when}.\n"
                + "PASSWORD_CHANGED.step.2 = Second for {host}\n"
                + "PASSWORD_CHANGED.step.1 = First \u203a menu\n"
                + "PASSWORD_CHANGED.non-ascii.summary = Non-ASCII for {email}\n"
                + "PASSWORD_CHANGED.non-ascii.step.1 = Choose an ASCII-only password\n");
        Texts.Rendered r = t.render(Cause.PASSWORD_CHANGED, null,
                Map.of("email", "a@b.c", "signature", "[AUTHENTICATIONFAILED]", "when", "2026-01-01T00:00:00Z",
                        "host", "mail.b.c"));
        assertEquals("a@b.c failed with [AUTHENTICATIONFAILED] at 2026-01-01T00:00:00Z.", r.summary());
        assertEquals(List.of("First \u203a menu", "Second for mail.b.c"), r.remediation());
        assertEquals("Non-ASCII for a@b.c", t.render(Cause.PASSWORD_CHANGED, "non-ascii", Map.of("email", "a@b.c")).summary());
        // an unknown variant falls back to the cause's text
        assertEquals(2, t.render(Cause.PASSWORD_CHANGED, "other", Map.of()).remediation().size());
        assertTrue(t.has("PASSWORD_CHANGED.non-ascii"));
    }

    @Test(expected = IllegalStateException.class)
    public void renderingACauseWithoutTextFails() throws IOException {
        parse("PASSWORD_CHANGED.summary = x\nPASSWORD_CHANGED.step.1 = y\n").render(Cause.USER_DISABLED, null, Map.of());
    }

    private static void assertRejected(String props, String part) {
        try {
            parse(props);
            fail("accepted " + props);
        } catch (IllegalStateException | IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(part));
        }
    }

    @Test
    public void badTextsFailTheLoad() {
        assertRejected("PASSWORD_CHANGED.summary = {nope}\nPASSWORD_CHANGED.step.1 = y\n", "unknown placeholder {nope}");
        assertRejected("PASSWORD_CHANGED.summary = x\n", "no step.1");
        assertRejected("PASSWORD_CHANGED.step.1 = x\n", "no summary");
        assertRejected("PASSWORD_CHANGED.summary = x\nPASSWORD_CHANGED.step.1 = a\nPASSWORD_CHANGED.step.3 = c\n", "without gaps");
        assertRejected("NOT_A_CAUSE.summary = x\nNOT_A_CAUSE.step.1 = y\n", "is not a cause");
        assertRejected("PASSWORD_CHANGED.title = x\n", "must read");
        assertRejected("PASSWORD_CHANGED.summary = \nPASSWORD_CHANGED.step.1 = y\n", "is empty");
    }
}
