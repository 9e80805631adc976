package io.synctriage.engine.internal;

import static io.synctriage.engine.internal.Maps.map;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.synctriage.model.AuthType;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.InvalidEvidenceException;
import io.synctriage.model.ProviderFamily;

public class EvidenceNormalizerTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private final EvidenceNormalizer normalizer = new EvidenceNormalizer(Clock.fixed(NOW, ZoneOffset.UTC));

    private Evidence norm(Map<String, Object> bundle) throws InvalidEvidenceException {
        return normalizer.normalize(bundle);
    }

    private void assertInvalid(Map<String, Object> bundle, String field) {
        try {
            norm(bundle);
            fail("expected InvalidEvidenceException for " + field);
        } catch (InvalidEvidenceException e) {
            assertEquals(e.getMessage(), field, e.field());
        }
    }

    @Test
    public void requiredAndWrongTypesNameTheField() {
        assertInvalid(map("now", "2026-11-20T10:00:00Z"), "account");
        assertInvalid(map("account", "abc"), "account");
        assertInvalid(map("account", map("email", "a@b.c")), "account.id");
        assertInvalid(map("account", map("id", "")), "account.id");
        assertInvalid(map("account", map("id", List.of("x"))), "account.id");
        assertInvalid(map("account", map("id", "a", "linked_at", "yesterday")), "account.linked_at");
        assertInvalid(map("account", map("id", "a", "linked_at", true)), "account.linked_at");
        assertInvalid(map("account", map("id", "a"), "webhooks", map("type", "account.invalid")), "webhooks");
        assertInvalid(map("account", map("id", "a"), "webhooks", List.of(map("date", 1))), "webhooks[0].type");
        assertInvalid(map("account", map("id", "a"), "api_log", List.of(map("timestamp", "2026-01-01T00:00:00Z"), "GET /x")), "api_log[1]");
        assertInvalid(map("account", map("id", "a"), "api_log", List.of(map("status", "OK"))), "api_log[0].status");
        assertInvalid(map("account", map("id", "a"), "sync_log", List.of(map("timestamp", List.of()))), "sync_log[0].timestamp");
        assertInvalid(map("account", map("id", "a"), "peers", List.of(map("id", "p", "events", List.of(map("timestamp", 5))))),
                "peers[0].events[0].type");
        assertInvalid(map("account", map("id", "a", "inbox_count", 1.5)), "account.inbox_count");
        assertInvalid(map("account", map("id", "a"), "now", -5), "now");
    }

    @Test
    public void timestampsInEveryForm() throws Exception {
        Instant t = Instant.parse("2026-11-20T09:01:00Z");
        for (Object v : new Object[] {"2026-11-20T09:01:00Z", "2026-11-20T10:01:00+01:00", "2026-11-20T09:01:00",
                "2026-11-20 09:01:00Z", 1795165260, 1795165260L, 1795165260.0, "1795165260", 1795165260000L}) {
            assertEquals(String.valueOf(v), t, EvidenceNormalizer.time(v, "x"));
        }
        assertEquals(Instant.parse("2026-11-20T00:00:00Z"), EvidenceNormalizer.time("2026-11-20", "x"));
        assertNull(EvidenceNormalizer.time("", "x"));
        assertNull(EvidenceNormalizer.time(null, "x"));
    }

    @Test
    public void v2SlashAccountShapeAndProviderFamilies() throws Exception {
        Evidence e = norm(map("account", map("id", "a1", "email_address", "Bo@Example.COM", "provider", "EWS",
                "sync_state", "invalid-credentials", "linked_at", 1795165260)));
        assertEquals("Bo@Example.COM", e.account().email());
        assertEquals("example.com", e.account().domain());
        assertEquals(ProviderFamily.EAS, e.account().family());
        assertEquals(AuthType.BASIC, e.account().authType());
        assertEquals("invalid-credentials", e.account().state());
        assertEquals(NOW, e.now());
        assertEquals(2, e.account().apiVersion());

        assertEquals(ProviderFamily.MICROSOFT, norm(map("account", map("id", "a", "provider", "ews",
                "authentication_type", "oauth"))).account().family());
        assertEquals(ProviderFamily.IMAP, norm(map("account", map("id", "a", "provider", "fastmail"))).account().family());
        assertEquals(AuthType.OAUTH, norm(map("account", map("id", "a", "provider", "hotmail"))).account().authType());
        assertEquals(AuthType.BASIC, norm(map("account", map("id", "a", "provider", "gmail",
                "authentication_type", "password"))).account().authType());
        Evidence none = norm(map("account", map("id", "a")));
        assertNull(none.account().family());
        assertNull(none.account().authType());
        assertFalse(none.supplied().contains(EvidenceSource.PROVIDER));
    }

    @Test
    public void v3GrantLinkedAtIsLatestOfCreatedAndReauthentication() throws Exception {
        Map<String, Object> updated = map("specversion", "1.0", "type", "grant.updated", "id", "n1", "time", 1790000000,
                "data", map("object", map("grant_id", "g1", "reauthentication_flag", true)));
        Map<String, Object> updatedNoReauth = map("specversion", "1.0", "type", "grant.updated", "id", "n2", "time", 1791000000,
                "data", map("object", map("grant_id", "g1", "reauthentication_flag", false)));
        Map<String, Object> expired = map("specversion", "1.0", "type", "grant.expired", "id", "n3", "time", 1792000000,
                "data", map("object", map("grant_id", "g1", "email", "x@y.org", "provider", "google",
                        "grant_updated_at", 1791500000, "code", 25009)));
        Evidence e = norm(map("account", map("id", "g1", "grant_status", "invalid", "created_at", 1780000000),
                "webhooks", List.of(updated, updatedNoReauth, expired)));
        assertEquals(3, e.account().apiVersion());
        assertEquals(Instant.ofEpochSecond(1790000000), e.account().linkedAt());
        assertEquals(Instant.ofEpochSecond(1791500000), e.account().lastActivityAt());
        assertEquals("x@y.org", e.account().email());
        assertEquals(ProviderFamily.GOOGLE, e.account().family());
        assertEquals(3, e.events().size());
        assertTrue(e.events().get(2).isFailure());
        assertFalse(e.events().get(1).isReauthentication());
    }

    @Test
    public void messagesGivenAsObjectsStaySearchableText() throws Exception {
        Evidence e = norm(map("account", map("id", "a"), "auth_log", List.of(map("timestamp", 1795165260,
                "message", map("error", "invalid_grant", "error_description", "AADSTS70043: \"quoted\"")))));
        assertEquals("{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70043: \\\"quoted\\\"\"}",
                e.authLog().get(0).message());
    }

    /**
     * A peer's linked_at equal to one of its event times is not read twice: the time is the same whatever
     * the events' order (they are sorted after reading), shape or position, and a different value is read.
     */
    @Test
    public void peerLinkedAtEqualToAnEventTimeIsThatTime() throws Exception {
        Map<String, Object> peerEvents = map("id", "p", "linked_at", "2025-10-20T20:32:10+02:00", "events", List.of(
                map("type", "account.running", "timestamp", "2026-03-07T14:32:10Z"),
                map("type", "account.connected", "timestamp", "2025-10-20T20:32:10+02:00"),
                map("type", "account.stopped", "timestamp", 1772000000)));
        Map<String, Object> epoch = map("id", "q", "linked_at", 1772000000, "events", List.of(
                map("type", "account.running", "timestamp", "2026-03-07T14:32:10Z"),
                map("type", "account.stopped", "timestamp", 1772000000)));
        Map<String, Object> other = map("id", "r", "linked_at", "2025-10-20T20:32:11Z", "events", List.of(
                map("type", "account.connected", "timestamp", "2025-10-20T20:32:10Z")));
        Map<String, Object> undated = map("id", "s", "linked_at", "", "created_at", "2024-01-01T00:00:00Z",
                "events", List.of(map("type", "account.connected", "timestamp", "")));
        Evidence e = norm(map("account", map("id", "a"), "peers", List.of(peerEvents, epoch, other, undated)));
        assertEquals(Instant.parse("2025-10-20T18:32:10Z"), e.peers().get(0).linkedAt());
        assertEquals("account.connected", e.peers().get(0).events().get(0).type());
        assertEquals(Instant.ofEpochSecond(1772000000), e.peers().get(1).linkedAt());
        assertEquals(Instant.parse("2025-10-20T20:32:11Z"), e.peers().get(2).linkedAt());
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), e.peers().get(3).linkedAt());
    }

    /** Whole numbers of every boxed type are read alike; a fraction is refused. */
    @Test
    public void statusCodesOfEveryNumberType() throws Exception {
        for (Object status : List.of(401, 401L, (short) 401, 401.0, "401", " 401 ", new java.math.BigInteger("401"))) {
            Evidence e = norm(map("account", map("id", "a"), "api_log", List.of(map("timestamp", 10, "status", status))));
            assertEquals(status.toString(), Integer.valueOf(401), e.apiLog().get(0).status());
        }
        assertInvalid(map("account", map("id", "a"), "api_log", List.of(map("timestamp", 10, "status", 401.5))),
                "api_log[0].status");
    }

    @Test
    public void emptyArraysCountAsSuppliedAndLogsAreSortedByTime() throws Exception {
        Evidence e = norm(map("account", map("id", "a"), "api_log", List.of(), "peers", List.of(),
                "sync_log", List.of(map("timestamp", 20, "message", "b"), map("timestamp", 10, "message", "a"), "bare line")));
        assertTrue(e.supplied().contains(EvidenceSource.API_LOG));
        assertTrue(e.supplied().contains(EvidenceSource.PEERS));
        assertFalse(e.supplied().contains(EvidenceSource.AUTH_LOG));
        assertEquals("bare line", e.syncLog().get(0).message());
        assertEquals("a", e.syncLog().get(1).message());
    }

    @Test
    public void webhooksAboutOtherAccountsAreIgnoredAndUnknownStatesKept() throws Exception {
        Map<String, Object> own = map("date", 100, "type", "account.invalid", "object_data", map("account_id", "a"));
        Map<String, Object> other = map("date", 200, "type", "account.invalid", "object_data", map("account_id", "b"));
        Evidence e = norm(map("account", map("id", "a", "sync_state", "quarantined-by-platform"),
                "webhooks", List.of(map("deltas", List.of(own, other)))));
        assertEquals(1, e.events().size());
        assertEquals("quarantined-by-platform", e.account().state());
    }

    @Test
    public void errorResponsesOfTheAccountsApiCallsBecomeLogLines() throws Exception {
        Map<String, Object> failed = map("timestamp", 100, "method", "GET", "path", "/messages", "status", 404,
                "account_id", "a", "response", map("message", "MailboxNotEnabledForRESTAPI"));
        Map<String, Object> ok = map("timestamp", 90, "method", "GET", "path", "/messages", "status", 200,
                "account_id", "a", "response", map("data", List.of()));
        Map<String, Object> other = map("timestamp", 95, "method", "GET", "path", "/messages", "status", 500,
                "account_id", "b", "response", "boom");
        Map<String, Object> appLevel = map("timestamp", 96, "method", "GET", "path", "/a/c/accounts", "status", 503,
                "response", "down");
        Evidence e = norm(map("account", map("id", "a", "provider", "imap"), "api_log", List.of(failed, ok, other, appLevel)));
        assertEquals("{\"message\":\"MailboxNotEnabledForRESTAPI\"}", e.apiLog().get(3).response());
        assertEquals("down", e.apiLog().get(2).response());
        assertTrue("no sync_log was supplied", e.syncLog().isEmpty());
        assertFalse(e.supplied().contains(EvidenceSource.SYNC_LOG));
        // The engine reads the account's error responses as log lines (bundle and stored evidence alike).
        RecordingCheck check = new RecordingCheck();
        new TriageEngine(EngineSettings.defaults()).diagnose(e, f -> new BoundCheck(check, "t", "1"));
        List<io.synctriage.model.LogLine> seen = check.context.evidence().syncLog();
        assertEquals(1, seen.size());
        assertEquals(EvidenceSource.API_LOG, seen.get(0).source());
        assertTrue(seen.get(0).message(), seen.get(0).message().contains("HTTP 404 on GET /messages"));
        assertTrue(seen.get(0).message().contains("MailboxNotEnabledForRESTAPI"));
    }

    /** Records the context the engine hands to a provider check. */
    private static final class RecordingCheck implements io.synctriage.model.spi.ProviderCheck {
        io.synctriage.model.spi.CheckContext context;

        @Override
        public ProviderFamily family() {
            return ProviderFamily.IMAP;
        }

        @Override
        public List<String> checkNames() {
            return List.of();
        }

        @Override
        public List<io.synctriage.model.spi.Match> classify(String error, String message, io.synctriage.model.Subject s) {
            return List.of();
        }

        @Override
        public io.synctriage.model.spi.ProviderReport check(io.synctriage.model.spi.CheckContext context) {
            this.context = context;
            return io.synctriage.model.spi.ProviderReport.empty();
        }
    }
}
