package io.synctriage.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import io.synctriage.engine.internal.EvidenceNormalizer;
import io.synctriage.model.AccountEvent;

/** The P2 input: distinct deliveries, each signed as the receiver verifies it and read as an account.invalid. */
public class WebhookBodiesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void everyLineIsADistinctSignedAccountInvalidDelivery() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("bodies.tsv");
        WebhookBodies.main(new String[] {"--secret", " s3cret ", "--count", "5", "--run", "t1", "--out", out.toString()});

        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(5, lines.size());
        Mac mac = Mac.getInstance("HmacSHA256");
        // the receiver trims the configured secret (a cfg value easily picks up a blank)
        mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        EvidenceNormalizer reader = new EvidenceNormalizer(Clock.systemUTC());
        Set<String> accounts = new HashSet<>();
        for (int k = 0; k < lines.size(); k++) {
            String[] parts = lines.get(k).split("\t", -1);
            assertEquals(2, parts.length);
            byte[] body = parts[1].getBytes(StandardCharsets.UTF_8);
            assertEquals(hex(mac.doFinal(body)), parts[0]);
            List<AccountEvent> events = reader.notifications(RealisticBundle.EVIDENCE_READER.readValue(body), "body");
            assertEquals(1, events.size());
            assertEquals("account.invalid", events.get(0).type());
            assertEquals("bencht1n" + k, events.get(0).accountId());
            accounts.add(events.get(0).accountId());
        }
        assertEquals(5, accounts.size());
    }

    @Test
    public void aRunContinuesInAnotherFileWithNewAccounts() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("second.tsv");
        WebhookBodies.main(new String[] {"--secret", "s", "--count", "2", "--run", "t2", "--first", "5", "--out", out.toString()});
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).contains("\"account_id\":\"bencht2n5\""));
        assertTrue(lines.get(1).contains("\"account_id\":\"bencht2n6\""));
    }

    @Test
    public void aRunIdThatCouldBreakTheLikePatternIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WebhookBodies.runId("a%b"));
        assertThrows(IllegalArgumentException.class, () -> WebhookBodies.runId("A1"));
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }
}
