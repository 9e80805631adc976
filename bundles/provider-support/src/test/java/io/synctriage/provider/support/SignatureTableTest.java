package io.synctriage.provider.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Set;

import org.junit.Test;

import io.synctriage.model.Account;
import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Match;
import io.synctriage.provider.support.testing.Fixtures;

public class SignatureTableTest {

    private static final String TABLE = String.join("\n",
            "# comment line",
            "",
            "aadsts:53003\tCONDITIONAL_ACCESS_BLOCK\tPOLICY\tspecific\t0.95\t-\t-\tAADSTS53003 blocked by CA",
            "aadsts:530035\tBASIC_AUTH_RETIRED\tPOLICY\tspecific\t0.9\t-\t-\tAADSTS530035 security defaults",
            "aadsts:50173  ADMIN_REVOKED_SESSIONS  POLICY  specific  0.85  USER_REVOKED_ACCESS:0.5,PASSWORD_CHANGED:0.6  scope  AADSTS50173 FreshTokenNeeded",
            "token:invalid_grant\t-\tAUTH\tinfo\t0.3\t-\t-\tOAuth invalid_grant",
            "text:Token has been expired or revoked.\tUSER_REVOKED_ACCESS\tAUTH\theuristic\t0.6\tPASSWORD_CHANGED:0.3\t-\ttoken expired or revoked",
            "imap_code:AUTHENTICATIONFAILED\tPASSWORD_CHANGED\tAUTH\tspecific\t0.8\t-\t-\t[AUTHENTICATIONFAILED]",
            "imap_code:AUTHENTICATIONFAILED && provider:icloud|yahoo\tAPP_PASSWORD_REQUIRED\tAUTH\tspecific\t0.85\t-\t-\t[AUTHENTICATIONFAILED] on iCloud/Yahoo",
            "imap_code:AUTHENTICATIONFAILED && domain:me.com\tAPP_PASSWORD_REQUIRED\tAUTH\tspecific\t0.85\t-\t-\t[AUTHENTICATIONFAILED] on an Apple domain",
            "regex:parse (?:error|failed) && !text:skip\tPLATFORM_SYNC_ERROR\tOTHER\theuristic\t0.6\t-\t-\tparse error",
            "eas_status:129\tEAS_DEVICE_BLOCKED\tPOLICY\tspecific\t0.95\t-\t-\tEAS status 129",
            "http:500|503\tREPEATED_SERVER_ERROR\tSERVER\theuristic\t0.6\t-\t-\tHTTP 5xx");

    private static SignatureTable table() throws IOException {
        return SignatureTable.parse("test.tsv", new StringReader(TABLE), Set.of("scope"));
    }

    private static List<Signature> find(String text) throws IOException {
        return table().find(Text.of(text), null);
    }

    @Test
    public void parsesEveryRowWithTabsOrWideSpaces() throws IOException {
        SignatureTable t = table();
        assertEquals(11, t.signatures().size());
        Signature s = t.signatures().get(2);
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, s.cause());
        assertEquals(Set.of("scope"), s.tags());
        // alternatives are sorted best first
        assertEquals(Cause.PASSWORD_CHANGED, s.alternatives().get(0).cause());
        assertEquals("AADSTS50173 FreshTokenNeeded", s.label());
        assertTrue(t.causes().contains(Cause.EAS_DEVICE_BLOCKED));
    }

    @Test
    public void wholeNumberCodes() throws IOException {
        assertEquals("AADSTS530035 security defaults", find("AADSTS530035: blocked").get(0).label());
        assertEquals(1, find("AADSTS530035: blocked").size());
        assertEquals("AADSTS53003 blocked by CA", find("AADSTS53003: blocked").get(0).label());
        assertEquals(1, find("AADSTS53003: blocked").size());
    }

    @Test
    public void tolerantOfCaseNoiseAndJson() throws IOException {
        String json = "2026-01-01 ERROR [req 9f2e] token refresh: {\\\"error\\\":\\\"INVALID_GRANT\\\","
                + "\\\"error_description\\\":\\\"token HAS BEEN expired or revoked\\\"} trace=ab12";
        List<Signature> found = find(json);
        assertEquals(2, found.size());
        assertEquals(Cause.USER_REVOKED_ACCESS, found.get(0).cause());
        assertNull(found.get(1).cause());
    }

    @Test
    public void tokensNeedWordBoundaries() throws IOException {
        assertTrue(find("error=not_invalid_grant_x").isEmpty());
        assertTrue(find("invalid_grants").isEmpty());
        assertEquals(1, find("(invalid_grant)").size());
    }

    @Test
    public void imapCodesNeedTheBracket() throws IOException {
        assertEquals(1, find("a1 NO [AUTHENTICATIONFAILED] Authentication failed.").size());
        assertEquals(1, find("a1 NO [authenticationfailed Invalid]").size());
        assertTrue(find("AUTHENTICATIONFAILED without bracket").isEmpty());
        assertTrue(find("[AUTHENTICATIONFAILEDX]").isEmpty());
    }

    @Test
    public void providerQualifiedRowShadowsTheGenericOne() throws IOException {
        Account icloud = Fixtures.account("a").provider("icloud", ProviderFamily.IMAP).build();
        Account own = Fixtures.account("b").provider("imap", ProviderFamily.IMAP).email("x@own-host.se").build();
        Account apple = Fixtures.account("c").provider("imap", ProviderFamily.IMAP).email("x@ME.com").build();
        String line = "NO [AUTHENTICATIONFAILED] Authentication failed.";
        List<Signature> a = table().find(Text.of(line), icloud);
        assertEquals(1, a.size());
        assertEquals(Cause.APP_PASSWORD_REQUIRED, a.get(0).cause());
        assertEquals(Cause.PASSWORD_CHANGED, table().find(Text.of(line), own).get(0).cause());
        assertEquals(Cause.APP_PASSWORD_REQUIRED, table().find(Text.of(line), apple).get(0).cause());
    }

    @Test
    public void negatedTerms() throws IOException {
        assertEquals(1, find("ERROR parse error in message 12").size());
        assertTrue(find("WARN parse error in message 12; skipped").isEmpty());
    }

    @Test
    public void numericAlternatives() throws IOException {
        assertEquals(1, find("HTTP 503 Service Unavailable").size());
        assertEquals(1, find("HTTP/1.1 500").size());
        assertTrue(find("HTTP 502").isEmpty());
        assertEquals(Cause.EAS_DEVICE_BLOCKED, find("<Status>129</Status>").get(0).cause());
    }

    @Test
    public void specificFirstThenHeuristicThenInfo() throws IOException {
        List<Signature> found = find("invalid_grant AADSTS50173 Token has been expired or revoked");
        assertEquals(3, found.size());
        assertEquals(SignatureLevel.SPECIFIC, found.get(0).level());
        assertEquals(SignatureLevel.HEURISTIC, found.get(1).level());
        assertEquals(SignatureLevel.INFO, found.get(2).level());
    }

    @Test
    public void classifyGivesMatches() throws IOException {
        List<Match> m = table().classify("invalid_grant", "AADSTS50173: grant revoked", null);
        assertEquals(2, m.size());
        assertEquals("AADSTS50173 FreshTokenNeeded", m.get(0).signature());
        assertEquals(Cause.ADMIN_REVOKED_SESSIONS, m.get(0).cause());
        assertEquals(ErrorKind.POLICY, m.get(0).kind());
        assertTrue(m.get(0).specific());
        assertFalse(m.get(1).specific());
        assertEquals(ErrorKind.AUTH, m.get(1).kind());
        assertTrue(table().classify(null, null, null).isEmpty());
    }

    private static void assertRejected(String row, String expectedMessagePart) {
        try {
            SignatureTable.parse("bad.tsv", new StringReader(row), Set.of("scope"));
            fail("accepted: " + row);
        } catch (IllegalStateException | IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expectedMessagePart));
            assertTrue(e.getMessage(), e.getMessage().startsWith("bad.tsv line 1"));
        }
    }

    @Test
    public void malformedRowsFailTheLoadWithTheLineNumber() {
        assertRejected("aadsts:1\tPASSWORD_CHANGED\tAUTH\tspecific\t0.9\t-\t-", "expected 8 columns");
        assertRejected("aadsts:1\tNOPE\tAUTH\tspecific\t0.9\t-\t-\tx", "unknown cause");
        assertRejected("aadsts:1\t-\tAUTH\tspecific\t0.9\t-\t-\tx", "must name a cause");
        assertRejected("aadsts:1\tPASSWORD_CHANGED\tAUTH\tinfo\t0.9\t-\t-\tx", "names no cause");
        assertRejected("aadsts:x\tPASSWORD_CHANGED\tAUTH\tspecific\t0.9\t-\t-\tx", "not a number");
        assertRejected("aadsts:1\tPASSWORD_CHANGED\tAUTH\tspecific\t1.5\t-\t-\tx", "outside [0, 1]");
        assertRejected("aadsts:1\tPASSWORD_CHANGED\tAUTH\tspecific\t0.9\t-\tnope\tx", "unknown tag");
        assertRejected("aadsts:1\tPASSWORD_CHANGED\tNOPE\tspecific\t0.9\t-\t-\tx", "unknown kind");
        assertRejected("regex:(\tPASSWORD_CHANGED\tAUTH\tspecific\t0.9\t-\t-\tx", "bad regex");
        assertRejected("words:x\tPASSWORD_CHANGED\tAUTH\tspecific\t0.9\t-\t-\tx", "unknown match type");
        assertRejected("!text:x\tPASSWORD_CHANGED\tAUTH\tspecific\t0.9\t-\t-\tx", "must not be negated");
        assertRejected("text:x\tPASSWORD_CHANGED\tAUTH\tspecific\t0.9\tPASSWORD_CHANGED:0.2\t-\tx", "repeats");
        assertRejected("text:x\tUNDETERMINED\tAUTH\tspecific\t0.9\t-\t-\tx", "UNDETERMINED");
    }

    @Test
    public void duplicateMatchIsRejected() {
        try {
            SignatureTable.parse("dup.tsv", new StringReader(
                    "text:a\tPASSWORD_CHANGED\tAUTH\tspecific\t0.9\t-\t-\tx\ntext:A.\tPASSWORD_CHANGED\tAUTH\tspecific\t0.9\t-\t-\ty"),
                    Set.of());
            fail();
        } catch (IllegalStateException | IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("dup.tsv line 2: duplicate match"));
        }
    }

    @Test(expected = IllegalStateException.class)
    public void emptyTableIsRejected() throws IOException {
        SignatureTable.parse("empty.tsv", new StringReader("# nothing\n"), Set.of());
    }
}
