package io.synctriage.source.webhook.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.Test;

public class SignaturesTest {

    @Test
    public void knownAnswer() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                Signatures.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    public void outcomes() {
        Signatures both = Signatures.of("client", "hook");
        byte[] body = "{\"deltas\":[]}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Signatures.Outcome.V2, both.check(Signatures.sign("client", body), body));
        assertEquals(Signatures.Outcome.V3, both.check(Signatures.sign("hook", body), body));
        assertEquals(Signatures.Outcome.V3, both.check(" " + Signatures.sign("hook", body) + " ", body));
        assertEquals(Signatures.Outcome.MISMATCH, both.check(Signatures.sign("other", body), body));
        assertEquals(Signatures.Outcome.MISSING, both.check(null, body));
        assertEquals(Signatures.Outcome.MALFORMED, both.check("abc", body));
        assertTrue(both.configured());
        assertFalse(Signatures.of(null, "").configured());
        assertEquals("a trailing blank pasted into the cfg file is not part of the secret",
                Signatures.Outcome.V2, Signatures.of("client ", null).check(Signatures.sign("client", body), body));
    }

    @Test
    public void hex() {
        assertNull(Signatures.decodeHex("0g" + "0".repeat(62)));
        assertEquals(32, Signatures.decodeHex("Ab".repeat(32)).length);
    }
}
